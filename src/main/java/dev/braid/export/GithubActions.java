package dev.braid.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.manifest.Task;
import java.time.Duration;

/**
 * A GitHub Actions workflow that runs the plan: one job per task, {@code needs:} from its
 * dependencies and from the conflicting tasks it must follow (see {@link RunOrder}), started by
 * hand ({@code workflow_dispatch}). A conflict only orders two jobs, it does not need the first to
 * succeed: a job that follows conflicting jobs gets an {@code if:} that runs it, once they are
 * over, when its real dependencies succeeded, whatever the conflicting jobs' results (without it
 * GitHub skips a job whenever any job it needs did not succeed). Each job checks the repository out
 * and runs the task's command with {@code bash} and {@code BRAID_TASK_ID} set; a task's {@code
 * timeout} becomes {@code timeout-minutes}.
 */
final class GithubActions {

  private GithubActions() {}

  static final String RUNNER = "ubuntu-latest";
  static final String CHECKOUT = "actions/checkout@v4";

  static ObjectNode workflow(RunOrder run, String source) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("name", literal("braid: " + source));
    root.putObject("on").putObject("workflow_dispatch");
    ObjectNode jobs = root.putObject("jobs");
    Names names = new Names("t_", false);
    int n = run.graph.size();
    String[] job = new String[n];
    for (int t = 0; t < n; t++) {
      job[t] = names.name(run.graph.id(t));
    }
    for (int t : run.order) {
      Task task = run.graph.task(t);
      ObjectNode j = jobs.putObject(job[t]);
      j.put("name", literal(task.title() == null ? task.id() : task.id() + ": " + task.title()));
      int[] deps = run.graph.deps(t);
      if (deps.length + run.after[t].length > 0) {
        ArrayNode needs = j.putArray("needs");
        for (int d : deps) {
          needs.add(job[d]);
        }
        for (int a : run.after[t]) {
          needs.add(job[a]);
        }
      }
      if (run.after[t].length > 0) {
        // !cancelled() lifts the implicit success() over every needed job; the real dependencies
        // are then required one by one (job ids are letters, digits, _ and -, which GitHub's
        // property syntax accepts)
        StringBuilder condition = new StringBuilder("${{ !cancelled()");
        for (int d : deps) {
          condition.append(" && needs.").append(job[d]).append(".result == 'success'");
        }
        j.put("if", condition.append(" }}").toString());
      }
      j.put("runs-on", RUNNER);
      Duration timeout = task.timeout();
      if (timeout != null) {
        j.put("timeout-minutes", Math.max(1, (timeout.toSeconds() + 59) / 60));
      }
      ArrayNode steps = j.putArray("steps");
      steps.addObject().put("uses", CHECKOUT);
      ObjectNode step = steps.addObject();
      step.put("name", literal(task.id()));
      step.put("shell", "bash");
      step.putObject("env").put("BRAID_TASK_ID", literal(task.id()));
      step.put("run", literal(task.command()));
    }
    return root;
  }

  /** GitHub evaluates {@code ${{ ... }}} in most values; text that has it must stay as written. */
  static String literal(String text) {
    return text.replace("${{", "${{ '${{' }}");
  }
}
