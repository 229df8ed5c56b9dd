package dev.braid.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Claude Code's {@code --output-format stream-json} (with {@code --verbose}): one message per line,
 * {@code system} (subtype {@code init}) first, then {@code assistant} and {@code user} messages
 * whose {@code message.content} holds {@code text}, {@code thinking}, {@code tool_use} and {@code
 * tool_result} blocks, and last a {@code result} with {@code result}, {@code is_error}, {@code
 * num_turns}, {@code total_cost_usd} and {@code usage}. Shapes as documented for the Agent SDK's
 * SDKMessage types; see docs/agents.md.
 */
final class ClaudeStreamParser implements OutputParser {

  /** Paths inside it are shown relative to it: the agent's own cwd once its init says it. */
  private Path workDir;

  ClaudeStreamParser(Path workDir) {
    this.workDir = workDir;
  }

  @Override
  public List<AgentEvent> parse(String line) {
    if (line.isBlank()) {
      return List.of();
    }
    JsonNode n = Text.object(line);
    if (n == null) {
      return notJson(line);
    }
    String type = Text.text(n, "type");
    if (type == null) {
      return List.of(new AgentEvent.Problem("JSON without a type: " + Text.oneLine(line)));
    }
    return switch (type) {
      case "system" -> {
        String cwd = Text.text(n, "cwd");
        if ("init".equals(Text.text(n, "subtype")) && cwd != null && cwd.startsWith("/")) {
          workDir = Path.of(cwd);
        }
        yield system(n);
      }
      case "assistant" -> assistant(n);
      case "result" -> List.of(result(n));
      default -> List.of(); // user (tool results), stream_event, and types added later
    };
  }

  /** Stderr is merged into the log: a plain line is shown, and counted as unreadable. */
  static List<AgentEvent> notJson(String line) {
    String text = Text.plain(line).strip();
    if (text.isEmpty()) {
      return List.of();
    }
    return List.of(
        new AgentEvent.Activity(Text.shorten(text, Text.MAX_ACTIVITY)),
        new AgentEvent.Problem("not a JSON event: " + Text.shorten(text, 200)));
  }

  private static List<AgentEvent> system(JsonNode n) {
    if (!"init".equals(Text.text(n, "subtype"))) {
      return List.of();
    }
    String model = Text.text(n, "model");
    return List.of(
        new AgentEvent.Activity(model == null ? "starting" : "starting (" + model + ")"));
  }

  private List<AgentEvent> assistant(JsonNode n) {
    List<AgentEvent> out = new ArrayList<>();
    String error = Text.text(n, "error");
    if (error != null) {
      out.add(new AgentEvent.Problem("agent error: " + error));
    }
    JsonNode content = n.path("message").path("content");
    if (content.isTextual()) {
      addText(out, content.asText());
      return out;
    }
    for (JsonNode block : content) {
      String kind = Text.text(block, "type");
      switch (kind == null ? "" : kind) {
        case "text" -> addText(out, Text.text(block, "text"));
        case "thinking" -> out.add(new AgentEvent.Activity("thinking"));
        case "tool_use" -> out.add(new AgentEvent.Activity(tool(block)));
        default -> {}
      }
    }
    return out;
  }

  private static void addText(List<AgentEvent> out, String text) {
    if (text != null && !text.isBlank()) {
      out.add(new AgentEvent.Activity(Text.oneLine(text)));
      out.add(new AgentEvent.Message(text.strip()));
    }
  }

  /** A tool call as an activity: {@code editing src/auth/jwt.ts}, {@code running npm test}. */
  private String tool(JsonNode block) {
    String name = Text.text(block, "name");
    JsonNode in = block.path("input");
    String path = Text.relative(Text.text(in, "file_path"), workDir);
    String activity =
        switch (name == null ? "" : name) {
          case "Edit", "MultiEdit" -> "editing " + path;
          case "Write" -> "writing " + path;
          case "Read" -> "reading " + path;
          case "NotebookEdit" ->
              "editing " + Text.relative(Text.text(in, "notebook_path"), workDir);
          case "Bash" -> "running " + Text.oneLine(Text.text(in, "command"));
          case "Grep" -> "searching for " + Text.oneLine(Text.text(in, "pattern"));
          case "Glob" -> "looking for " + Text.oneLine(Text.text(in, "pattern"));
          case "LS" -> "listing " + Text.relative(Text.text(in, "path"), workDir);
          case "WebFetch" -> "fetching " + Text.oneLine(Text.text(in, "url"));
          case "WebSearch" -> "searching the web for " + Text.oneLine(Text.text(in, "query"));
          case "TodoWrite" -> todo(in);
          case "Task", "Agent" -> "delegating: " + Text.oneLine(Text.text(in, "description"));
          default -> "using " + (name == null ? "a tool" : name);
        };
    return Text.shorten(activity.strip(), Text.MAX_ACTIVITY);
  }

  /** The to-do in progress ({@code activeForm} is its "-ing" wording), else "planning". */
  private static String todo(JsonNode in) {
    for (JsonNode t : in.path("todos")) {
      if ("in_progress".equals(Text.text(t, "status"))) {
        String active = Text.text(t, "activeForm");
        return Text.oneLine(active != null ? active : Text.text(t, "content"));
      }
    }
    return "planning";
  }

  private static AgentEvent result(JsonNode n) {
    String subtype = Text.text(n, "subtype");
    boolean error =
        n.path("is_error").asBoolean(false) || (subtype != null && subtype.startsWith("error"));
    String summary = Text.text(n, "result");
    if (summary == null && error) {
      summary = subtype == null ? "the agent reported an error" : "ended with " + subtype;
    }
    JsonNode usage = n.get("usage");
    Tokens tokens =
        usage == null || !usage.isObject()
            ? null
            : new Tokens(
                Text.count(usage, "input_tokens"),
                Text.count(usage, "output_tokens"),
                Text.count(usage, "cache_read_input_tokens"),
                Text.count(usage, "cache_creation_input_tokens"));
    return new AgentEvent.Result(
        summary == null ? null : summary.strip(),
        Text.number(n, "total_cost_usd"),
        tokens,
        Text.integer(n, "num_turns"),
        error);
  }
}
