package dev.braid.agent;

import java.util.List;

/** Output in no known format: each non-blank line is the current activity. */
final class LinesParser implements OutputParser {

  @Override
  public List<AgentEvent> parse(String line) {
    String text = Text.plain(line).strip();
    if (text.isEmpty()) {
      return List.of();
    }
    return List.of(
        new AgentEvent.Activity(Text.shorten(text, Text.MAX_ACTIVITY)),
        new AgentEvent.Message(text));
  }
}
