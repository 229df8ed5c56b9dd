package dev.braid.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The output parsers, fed recorded streams line by line as a running agent's output would be. The
 * fixtures under src/test/resources/dev/braid/agent follow the documented shapes (docs/agents.md
 * names the sources): Claude Code's stream-json messages, Codex's exec --json thread events.
 */
class AgentMonitorTest {

  static final Path REPO = Path.of("/work/repo");

  /** Every activity shown while the stream was read, and the monitor. */
  record Fed(AgentMonitor monitor, List<String> activities) {}

  static Fed feed(String resource, ParserKind kind) throws IOException {
    List<String> shown = new ArrayList<>();
    AgentMonitor m = new AgentMonitor("agent", kind, REPO, shown::add);
    for (String line : lines(resource)) {
      m.onLine(line);
    }
    return new Fed(m, shown);
  }

  static List<String> lines(String resource) throws IOException {
    try (InputStream in = AgentMonitorTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void claudeStreamShowsEachToolAndRecordsTheResult() throws Exception {
    Fed f = feed("claude-stream.jsonl", ParserKind.CLAUDE_STREAM_JSON);
    assertThat(f.activities())
        .containsExactly(
            "starting (claude-sonnet-4-5-20250929)",
            "I'll start by looking at the existing JWT module.",
            "reading src/auth/jwt.ts",
            "Running the JWT tests",
            "editing src/auth/jwt.ts",
            "running npm test -- src/auth",
            "Added `iat` to every signed token in src/auth/jwt.ts. I could not run the tests (Bash was"
                + " not permi…");
    AgentReport r = f.monitor().report();
    assertThat(r.summary())
        .isEqualTo(
            "Added `iat` to every signed token in src/auth/jwt.ts. I could not run the tests (Bash"
                + " was not permitted).");
    assertThat(r.costUsd()).isEqualTo(0.1834215);
    assertThat(r.tokens()).isEqualTo(new Tokens(30, 541, 89178, 2283));
    assertThat(r.tokens().total()).isEqualTo(92032);
    assertThat(r.turns()).isEqualTo(7);
    assertThat(r.agentError()).isFalse();
    assertThat(r.warningCount()).isZero();
  }

  @Test
  void claudeErrorResultIsAnAgentErrorWithItsSubtype() throws Exception {
    Fed f = feed("claude-max-turns.jsonl", ParserKind.CLAUDE_STREAM_JSON);
    assertThat(f.activities())
        .containsExactly(
            "starting (claude-opus-4-1-20250805)",
            "thinking",
            "writing db/migrations/002_cart.sql");
    AgentReport r = f.monitor().report();
    assertThat(r.agentError()).isTrue();
    assertThat(r.summary()).isEqualTo("ended with error_max_turns");
    assertThat(r.turns()).isEqualTo(10);
    assertThat(r.costUsd()).isEqualTo(0.92);
  }

  @Test
  void damagedClaudeLinesAreWarningsAndTheLastTextIsTheSummary() throws Exception {
    Fed f = feed("claude-damaged.jsonl", ParserKind.CLAUDE_STREAM_JSON);
    assertThat(f.activities())
        .contains("editing src/cart/api.ts", "using mcp__linear__create_issue")
        .last()
        .isEqualTo("Routes added under src/cart/routes.ts.");
    AgentReport r = f.monitor().report();
    assertThat(r.summary()).isEqualTo("Routes added under src/cart/routes.ts.");
    assertThat(r.costUsd()).isNull();
    assertThat(r.tokens()).isNull();
    assertThat(r.turns()).isNull();
    assertThat(r.agentError()).isFalse();
    // stderr noise, a truncated event, an object without a type, a JSON array
    assertThat(r.warningCount()).isEqualTo(4);
    assertThat(r.warnings())
        .anySatisfy(w -> assertThat(w).startsWith("not a JSON event: [2m(node:4121) Warning"))
        .anySatisfy(w -> assertThat(w).startsWith("JSON without a type"));
  }

  @Test
  void codexEventsGiveActivityTokensAndTurns() throws Exception {
    Fed f = feed("codex-exec.jsonl", ParserKind.CODEX_JSON);
    assertThat(f.activities())
        .containsExactly(
            "starting",
            "thinking",
            "running bash -lc 'rg -n \"reserve\" src/inventory'",
            "Add release() (0/2 done)",
            "editing src/inventory/stock.ts (+1 more)",
            "Cover it with a test (1/2 done)",
            "Added `release()` to src/inventory/stock.ts with a test.");
    AgentReport r = f.monitor().report();
    assertThat(r.summary())
        .isEqualTo(
            "Added `release()` to src/inventory/stock.ts with a test.\nAll inventory tests pass.");
    assertThat(r.tokens()).isEqualTo(new Tokens(315, 122, 24448, 0));
    assertThat(r.turns()).isEqualTo(1);
    assertThat(r.costUsd()).as("codex reports no cost").isNull();
    assertThat(r.agentError()).isFalse();
  }

  @Test
  void aFailedCodexTurnIsAnAgentErrorAndReconnectsAreWarnings() throws Exception {
    AgentReport r = feed("codex-failed.jsonl", ParserKind.CODEX_JSON).monitor().report();
    assertThat(r.agentError()).isTrue();
    assertThat(r.summary()).isEqualTo("turn failed: model response stream ended unexpectedly");
    assertThat(r.warnings())
        .containsExactly(
            "agent error: Reconnecting... 1/5", "agent error: command timed out after 60s");
  }

  @Test
  void plainLinesShowTheLastLineWithoutColours() throws Exception {
    Fed f = feed("aider.txt", ParserKind.LINES);
    assertThat(f.activities())
        .containsExactly(
            "Aider v0.86.1",
            "Main model: anthropic/claude-sonnet-4-5",
            "Applied edit to src/ui/cart.tsx",
            "Done: the cart page shows totals.");
    assertThat(f.monitor().report().summary()).isEqualTo("Done: the cart page shows totals.");
    assertThat(f.monitor().activity()).isEqualTo("Done: the cart page shows totals.");
  }

  @Test
  void onlyTheFirstWarningsAreKeptWordForWord() {
    AgentMonitor m = new AgentMonitor("claude", ParserKind.CLAUDE_STREAM_JSON, REPO, null);
    for (int i = 0; i < 20; i++) {
      m.onLine("garbage " + i);
    }
    AgentReport r = m.report();
    assertThat(r.warningCount()).isEqualTo(20);
    assertThat(r.warnings()).hasSize(AgentMonitor.KEPT_WARNINGS);
    assertThat(m.activity()).isEqualTo("garbage 19");
  }

  @Test
  void theReportIsJsonWithSnakeCaseNames() throws Exception {
    AgentReport r = feed("claude-stream.jsonl", ParserKind.CLAUDE_STREAM_JSON).monitor().report();
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    String json = mapper.writeValueAsString(r);
    assertThat(json)
        .contains("\"cost_usd\":0.1834215", "\"cache_read\":89178", "\"total\":92032")
        .contains("\"warning_count\":0", "\"agent_error\":false");
    assertThat(mapper.readValue(json, AgentReport.class)).isEqualTo(r);
  }
}
