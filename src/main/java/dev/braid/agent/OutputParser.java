package dev.braid.agent;

import java.nio.file.Path;
import java.util.List;

/** Reads an agent's output one line at a time. Never throws for what the agent prints. */
interface OutputParser {

  /** What {@code line} (without its terminator) meant; empty when nothing worth showing. */
  List<AgentEvent> parse(String line);

  /** A parser for {@code kind}; paths inside {@code workDir} are shown relative to it. */
  static OutputParser of(ParserKind kind, Path workDir) {
    return switch (kind) {
      case CLAUDE_STREAM_JSON -> new ClaudeStreamParser(workDir);
      case CODEX_JSON -> new CodexJsonParser(workDir);
      case LINES -> new LinesParser();
    };
  }
}
