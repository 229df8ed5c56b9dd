package dev.braid.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.Conflict;
import dev.braid.manifest.Task;
import dev.braid.plan.Recommendation;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Writes a validated plan in a format other tools run or draw. */
public final class Exporter {

  private Exporter() {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();

  /**
   * {@code plan} as {@code format}; {@code source} names the plan in comments and titles, {@code
   * outputName} the file it is written to (null for standard output), for the instructions in it.
   *
   * @throws IllegalArgumentException when {@code format} runs commands and a task has none: the
   *     message names those tasks
   */
  public static String export(
      CheckedPlan plan, ExportFormat format, String source, String outputName) {
    if (format.runsCommands()) {
      List<String> missing =
          plan.manifest().tasks().stream()
              .filter(t -> t.command() == null || t.command().isBlank())
              .map(Task::id)
              .toList();
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(
            missing.size()
                + (missing.size() == 1 ? " task has" : " tasks have")
                + " no shell command ("
                + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                + (missing.size() > 5 ? ", ..." : "")
                + ")");
      }
    }
    try {
      return switch (format) {
        case MAKE -> {
          RunOrder run = RunOrder.of(plan);
          yield Makefiles.render(run, source, outputName, Recommendation.of(run.graph).agents());
        }
        case GITHUB_ACTIONS ->
            YAML.writeValueAsString(GithubActions.workflow(RunOrder.of(plan), source));
        case MERMAID -> Graphs.mermaid(plan);
        case DOT -> Graphs.dot(plan);
        case JSON -> JSON.writeValueAsString(tree(plan, source)) + "\n";
        case YAML -> YAML.writeValueAsString(tree(plan, source));
      };
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The plan as data: each task with its dependencies, the conflicting tasks it must follow ({@code
   * runs_after}), its conflicts with their reasons and its place in the schedule's order.
   */
  static ObjectNode tree(CheckedPlan plan, String source) {
    RunOrder run = RunOrder.of(plan);
    int n = run.graph.size();
    int[] position = new int[n];
    for (int p = 0; p < n; p++) {
      position[run.order[p]] = p;
    }
    List<List<Conflict>> conflicts = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      conflicts.add(new ArrayList<>());
    }
    for (Conflict c : plan.conflicts().pairs()) {
      conflicts.get(c.a()).add(c);
      conflicts.get(c.b()).add(c);
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("source", source);
    ArrayNode tasks = root.putArray("tasks");
    for (int t = 0; t < n; t++) {
      Task task = run.graph.task(t);
      ObjectNode o = tasks.addObject();
      o.put("id", task.id());
      if (task.title() != null) {
        o.put("title", task.title());
      }
      if (task.command() != null) {
        o.put("command", task.command());
      }
      ArrayNode deps = o.putArray("depends_on");
      for (int d : run.graph.deps(t)) {
        deps.add(run.graph.id(d));
      }
      ArrayNode after = o.putArray("runs_after");
      for (int a : run.after[t]) {
        after.add(run.graph.id(a));
      }
      ArrayNode cs = o.putArray("conflicts");
      for (Conflict c : conflicts.get(t)) {
        ObjectNode co = cs.addObject();
        co.put("with", run.graph.id(c.a() == t ? c.b() : c.a()));
        ArrayNode reasons = co.putArray("reasons");
        c.reasons().forEach(r -> reasons.add(Conflict.Reason.describe(r)));
      }
      o.put("parallel", task.parallel());
      o.put("priority", task.priority());
      o.put("est_minutes", task.estimatedMinutes());
      o.put("order", position[t]);
    }
    return root;
  }
}
