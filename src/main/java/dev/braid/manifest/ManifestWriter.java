package dev.braid.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes a plan in the seed field names, leaving out what the reader would fill in anyway (empty
 * lists, {@code parallel: true}, values equal to the plan's defaults), so that reading what it
 * writes gives back the same plan.
 */
public final class ManifestWriter {

  private ManifestWriter() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final com.fasterxml.jackson.core.JsonFactory STREAM =
      new com.fasterxml.jackson.core.JsonFactory();

  /** The mappers are slow to build; a run only needs {@link #taskJson}, which streams. */
  private static final class Mappers {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final YAMLMapper YAML =
        YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();
  }

  public static String toJson(Manifest m) {
    try {
      return Mappers.JSON.writeValueAsString(tree(m)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toYaml(Manifest m) {
    try {
      return Mappers.YAML.writeValueAsString(tree(m));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The plan as a Jackson tree in the seed field names. */
  public static ObjectNode tree(Manifest m) {
    ObjectNode root = NODES.objectNode();
    root.put("version", m.version());
    Defaults d = m.defaults();
    if (!d.equals(Defaults.NONE)) {
      ObjectNode o = root.putObject("defaults");
      putIf(o, "agent", d.agent());
      if (d.timeout() != null) {
        o.put("timeout", Durations.format(d.timeout()));
      }
      if (d.retries() != null) {
        o.put("retries", d.retries());
      }
      if (d.priority() != null) {
        o.put("priority", d.priority());
      }
      if (d.est().isPresent()) {
        o.set("est", estimate(d.est()));
      }
    }
    if (m.checkpoint() != null) {
      ObjectNode c = root.putObject("checkpoint");
      c.put("command", m.checkpoint().command());
      c.put("after", Checkpoint.After.format(m.checkpoint().after()));
    }
    if (!m.agents().isEmpty()) {
      ObjectNode agents = root.putObject("agents");
      for (AgentSpec a : new TreeMap<>(m.agents()).values()) {
        ObjectNode o = agents.putObject(a.name());
        if (!a.command().isEmpty()) {
          strings(o, "command", a.command());
        }
        putIf(o, "prompt_via", a.promptVia());
        if (!a.env().isEmpty()) {
          ObjectNode env = o.putObject("env");
          new TreeMap<>(a.env()).forEach(env::put);
        }
        if (!a.extraArgs().isEmpty()) {
          strings(o, "args", a.extraArgs());
        }
        putIf(o, "parser", a.parser());
      }
    }
    if (!m.resources().isEmpty()) {
      root.set("resources", capacities(m.resources()));
    }
    if (!m.sharedFiles().isEmpty()) {
      strings(root, "shared_files", m.sharedFiles());
    }
    if (!m.frozenFiles().isEmpty()) {
      strings(root, "frozen_files", m.frozenFiles());
    }
    if (m.promptTemplate() != null) {
      root.set("prompt_template", promptTemplate(m.promptTemplate()));
    }
    ArrayNode tasks = root.putArray("tasks");
    for (Task t : m.tasks()) {
      tasks.add(task(t, d));
    }
    return root;
  }

  /**
   * One task as it would be written with no defaults, as indented JSON: two tasks that do the same
   * thing give the same text (a runner hashes it to see whether a task changed between runs, so the
   * text must not change between Braid versions). Streamed, byte for byte what {@link #toJson}
   * writes for a task, without building an object mapper.
   */
  public static String taskJson(Task t) {
    java.io.StringWriter out = new java.io.StringWriter(256);
    try (com.fasterxml.jackson.core.JsonGenerator g = STREAM.createGenerator(out)) {
      g.setPrettyPrinter(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter());
      write(g, task(t, Defaults.NONE));
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** A tree as the object mapper writes it (field order kept), without one. */
  private static void write(com.fasterxml.jackson.core.JsonGenerator g, JsonNode n)
      throws java.io.IOException {
    switch (n.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode item : n) {
          write(g, item);
        }
        g.writeEndArray();
      }
      case STRING -> g.writeString(n.textValue());
      case NUMBER -> {
        switch (n.numberType()) {
          case INT -> g.writeNumber(n.intValue());
          case LONG -> g.writeNumber(n.longValue());
          case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
          case FLOAT -> g.writeNumber(n.floatValue());
          case DOUBLE -> g.writeNumber(n.doubleValue());
          case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(n.booleanValue());
      case NULL -> g.writeNull();
      case BINARY, POJO, MISSING -> throw new IllegalStateException("not in a plan: " + n);
    }
  }

  private static ObjectNode task(Task t, Defaults d) {
    ObjectNode o = NODES.objectNode();
    o.put("task_id", t.id());
    putIf(o, "title", t.title());
    putIf(o, "description", t.description());
    putIf(o, "command", t.command());
    // The reader gives a task without command or agent the default agent.
    boolean agentImplied = t.command() == null && Objects.equals(t.agent(), d.agent());
    if (t.agent() != null && !agentImplied) {
      o.put("agent", t.agent());
    }
    nonEmpty(o, "depends_on_tasks", t.dependsOn());
    nonEmpty(o, "conflicts_with", t.conflictsWith());
    nonEmpty(o, "file_scope", t.fileScope());
    if (!t.parallel()) {
      o.put("parallel", false);
    }
    putIf(o, "parallelism_group", t.parallelismGroup());
    if (t.risk() != null) {
      o.put("risk", t.risk().label());
    }
    if (!t.est().equals(d.est()) && t.est().isPresent()) {
      o.set("est", estimate(t.est()));
    }
    int priority = d.priority() != null ? d.priority() : Task.DEFAULT_PRIORITY;
    if (t.priority() != priority) {
      o.put("priority", t.priority());
    }
    if (!t.acceptanceCriteria().isEmpty()) {
      ArrayNode list = o.putArray("acceptance_criteria");
      for (AcceptanceCriterion c : t.acceptanceCriteria()) {
        if (c.id() == null) {
          list.add(c.text());
        } else {
          list.addObject().put("id", c.id()).put("text", c.text());
        }
      }
    }
    if (!t.resources().isEmpty()) {
      o.set("resources", capacities(t.resources()));
    }
    Duration timeout = t.timeout();
    if (timeout != null && !timeout.equals(d.timeout())) {
      o.put("timeout", Durations.format(timeout));
    }
    int retries = d.retries() != null ? d.retries() : 0;
    if (t.retries() != retries) {
      o.put("retries", t.retries());
    }
    nonEmpty(o, "related_specs", t.relatedSpecs());
    nonEmpty(o, "test_verification", t.testVerification());
    putIf(o, "capability_id", t.capabilityId());
    if (t.promptTemplate() != null) {
      o.set("prompt_template", promptTemplate(t.promptTemplate()));
    }
    return o;
  }

  private static JsonNode promptTemplate(PromptTemplate p) {
    return switch (p) {
      case PromptTemplate.File f -> NODES.textNode(f.path());
      case PromptTemplate.Inline i -> NODES.objectNode().put("text", i.text());
    };
  }

  private static ObjectNode estimate(Estimate e) {
    ObjectNode o = NODES.objectNode();
    if (e.minutes() != null) {
      double m = e.minutes();
      if (m == Math.rint(m) && Math.abs(m) < 1e15) {
        o.put("minutes", (long) m);
      } else {
        o.put("minutes", m);
      }
    }
    if (e.size() != null) {
      o.put("size", e.size().name());
    }
    return o;
  }

  private static ObjectNode capacities(Map<String, Integer> map) {
    ObjectNode o = NODES.objectNode();
    new TreeMap<>(map).forEach(o::put);
    return o;
  }

  private static void putIf(ObjectNode o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static void nonEmpty(ObjectNode o, String key, List<String> values) {
    if (!values.isEmpty()) {
      strings(o, key, values);
    }
  }

  private static void strings(ObjectNode o, String key, List<String> values) {
    ArrayNode a = o.putArray(key);
    values.forEach(a::add);
  }
}
