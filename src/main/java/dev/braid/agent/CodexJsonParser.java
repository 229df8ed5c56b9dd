package dev.braid.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Codex's {@code exec --json}: one thread event per line, {@code thread.started}, {@code
 * turn.started}, {@code item.started}/{@code item.updated}/{@code item.completed} (items of type
 * {@code agent_message}, {@code reasoning}, {@code command_execution}, {@code file_change}, {@code
 * mcp_tool_call}, {@code web_search}, {@code todo_list}, {@code error}), {@code turn.completed}
 * with {@code usage} ({@code input_tokens}, {@code cached_input_tokens}, {@code output_tokens}),
 * {@code turn.failed} and {@code error}. Shapes from codex-rs/exec/src/exec_events.rs; see
 * docs/agents.md. Codex reports no cost.
 */
final class CodexJsonParser implements OutputParser {

  private final Path workDir;

  CodexJsonParser(Path workDir) {
    this.workDir = workDir;
  }

  @Override
  public List<AgentEvent> parse(String line) {
    if (line.isBlank()) {
      return List.of();
    }
    JsonNode n = Text.object(line);
    if (n == null) {
      return ClaudeStreamParser.notJson(line);
    }
    String type = Text.text(n, "type");
    if (type == null) {
      return List.of(new AgentEvent.Problem("JSON without a type: " + Text.oneLine(line)));
    }
    return switch (type) {
      case "thread.started" -> List.of(new AgentEvent.Activity("starting"));
      case "item.started", "item.updated", "item.completed" ->
          item(n.path("item"), type.equals("item.completed"));
      case "turn.completed" -> List.of(new AgentEvent.TurnUsage(usage(n.path("usage"))));
      case "turn.failed" ->
          List.of(
              new AgentEvent.Result(
                  "turn failed: " + message(n.path("error")), null, null, null, true));
      // Codex also reports transient reconnects this way; the run goes on.
      case "error" -> List.of(new AgentEvent.Problem("agent error: " + message(n)));
      default -> List.of();
    };
  }

  private static String message(JsonNode n) {
    String m = Text.text(n, "message");
    return m == null ? "(no message)" : Text.oneLine(m);
  }

  /** Codex's input count includes cached input; Braid's excludes it. */
  private static Tokens usage(JsonNode u) {
    long input = Text.count(u, "input_tokens");
    long cached = Math.min(input, Text.count(u, "cached_input_tokens"));
    return new Tokens(input - cached, Text.count(u, "output_tokens"), cached, 0);
  }

  private List<AgentEvent> item(JsonNode item, boolean completed) {
    String type = Text.text(item, "type");
    if (type == null) {
      type = Text.text(item, "item_type"); // the first releases of this format
    }
    List<AgentEvent> out = new ArrayList<>();
    switch (type == null ? "" : type) {
      case "agent_message", "assistant_message" -> {
        String text = Text.text(item, "text");
        if (completed && text != null && !text.isBlank()) {
          out.add(new AgentEvent.Activity(Text.oneLine(text)));
          out.add(new AgentEvent.Message(text.strip()));
        }
      }
      case "reasoning" -> out.add(new AgentEvent.Activity("thinking"));
      case "command_execution" -> {
        if (!completed) {
          out.add(new AgentEvent.Activity("running " + Text.oneLine(Text.text(item, "command"))));
        }
      }
      case "file_change" -> {
        JsonNode changes = item.path("changes");
        if (changes.size() > 0) {
          String path = Text.relative(Text.text(changes.get(0), "path"), workDir);
          String more = changes.size() > 1 ? " (+" + (changes.size() - 1) + " more)" : "";
          String verb =
              switch (String.valueOf(Text.text(changes.get(0), "kind"))) {
                case "add" -> "adding ";
                case "delete" -> "deleting ";
                default -> "editing ";
              };
          out.add(new AgentEvent.Activity(Text.shorten(verb + path + more, Text.MAX_ACTIVITY)));
        }
      }
      case "mcp_tool_call" ->
          out.add(
              new AgentEvent.Activity(
                  "using " + Text.text(item, "server") + "." + Text.text(item, "tool")));
      case "web_search" ->
          out.add(
              new AgentEvent.Activity(
                  "searching the web for " + Text.oneLine(Text.text(item, "query"))));
      case "todo_list" -> out.add(new AgentEvent.Activity(todo(item.path("items"))));
      case "error" -> out.add(new AgentEvent.Problem("agent error: " + message(item)));
      default -> {}
    }
    return out;
  }

  /** The first open to-do, else "planning". */
  private static String todo(JsonNode items) {
    int done = 0;
    String next = null;
    for (JsonNode t : items) {
      if (t.path("completed").asBoolean(false)) {
        done++;
      } else if (next == null) {
        next = Text.text(t, "text");
      }
    }
    return next == null
        ? "planning"
        : Text.shorten(Text.oneLine(next) + " (" + done + "/" + items.size() + " done)", 100);
  }
}
