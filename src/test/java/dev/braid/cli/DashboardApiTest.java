package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.observe.dashboard.DashboardServer;
import dev.braid.observe.dashboard.DashboardSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's JSON and log streams for what runs really record. */
class DashboardApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anAgentTaskShowsItsPromptAndTheAgentsReportFromItsEvents() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    assertThat(new ProcessBuilder("git", "init", "-q", repo.toString()).start().waitFor()).isZero();
    Files.copy(
        Path.of("examples/agents/fake-agent"),
        bin.resolve("claude"),
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(
        repo.resolve("braid.yaml"),
        """
        tasks:
          - task_id: CART_API
            title: Cart API
            agent: claude
            file_scope: [src/api/cart/]
        """);
    Map<String, String> env =
        Map.of(
            "PATH", bin + ":/usr/local/bin:/usr/bin:/bin", "HOME", dir.resolve("home").toString());
    assertThat(CliProcess.run(repo, env, "run", "--plain")).succeeded();

    try (DashboardServer server = serve(repo.resolve(".braid"))) {
      JsonNode runs = get(server, "/api/runs");
      String run = runs.get(0).get("run_id").asText();
      JsonNode task = get(server, "/api/runs/" + run + "/tasks/CART_API");
      assertThat(task.get("prompt").asText()).contains("# Task CART_API: Cart API");
      assertThat(task.at("/plan/agent").asText()).isEqualTo("claude");
      JsonNode succeeded =
          Stream.of(task.get("events"))
              .flatMap(e -> Stream.iterate(0, i -> i < e.size(), i -> i + 1).map(e::get))
              .filter(e -> e.get("type").asText().equals("task.succeeded"))
              .findFirst()
              .orElseThrow();
      assertThat(succeeded.at("/data/agent/cost_usd").asDouble()).isEqualTo(0.0125);
      assertThat(succeeded.at("/data/agent/tokens/total").asLong()).isEqualTo(720);
    }
  }

  @Test
  void aLongLogIsTailedFromACharacterBoundaryAndStreamedWholeFromAnOffset() throws Exception {
    // "x" then 150,000 two-byte characters: chunks of 256 KiB end inside a character.
    Files.writeString(
        dir.resolve("braid.yaml"),
        """
        version: 1
        tasks:
          - task_id: long
            command: printf x; yes é | head -n 150000 | tr -d '\\n'; echo
        """);
    assertThat(Cli.run("run", dir.resolve("braid.yaml").toString(), "--plain", "-q")).succeeded();
    String expected = "x" + "é".repeat(150_000) + "\n";
    try (DashboardServer server = serve(dir.resolve(".braid"))) {
      String run = get(server, "/api/runs").get(0).get("run_id").asText();
      String stream = "/api/runs/" + run + "/tasks/long/log/stream";

      List<JsonNode> tail = chunks(server, stream, null);
      assertThat(tail).hasSize(1);
      long skipped = tail.get(0).get("skipped").asLong();
      assertThat(skipped).isBetween(300_002L - 64 * 1024, 300_002L - 64 * 1024 + 1);
      assertThat(tail.get(0).get("text").asText())
          .isEqualTo(
              expected.substring(expected.length() - tail.get(0).get("text").asText().length()))
          .doesNotContain("\uFFFD");

      List<JsonNode> whole = chunks(server, stream, "0");
      assertThat(whole).hasSizeGreaterThan(1);
      StringBuilder text = new StringBuilder();
      whole.forEach(c -> text.append(c.get("text").asText()));
      assertThat(text.toString()).isEqualTo(expected);
    }
  }

  @Test
  void aFailedRunThatIsResumedShowsItsNewEnding() throws Exception {
    Files.writeString(
        dir.resolve("braid.yaml"),
        """
        version: 1
        tasks:
          - task_id: needs-file
            command: test -f ready
        """);
    String plan = dir.resolve("braid.yaml").toString();
    assertThat(Cli.run("run", plan, "--plain", "-q")).exitedWith(1);
    try (DashboardServer server = serve(dir.resolve(".braid"))) {
      String run = get(server, "/api/runs").get(0).get("run_id").asText();
      assertThat(get(server, "/api/runs/" + run).at("/run/status").asText()).isEqualTo("failed");
      assertThat(get(server, "/api/runs").get(0).get("status").asText()).isEqualTo("failed");

      Files.writeString(dir.resolve("ready"), "");
      assertThat(Cli.run("run", plan, "--plain", "-q")).succeeded();
      JsonNode resumed = get(server, "/api/runs/" + run);
      assertThat(resumed.at("/run/status").asText()).isEqualTo("succeeded");
      assertThat(resumed.at("/tasks/0/attempts").asInt()).isEqualTo(2);
      assertThat(get(server, "/api/runs").get(0).get("status").asText()).isEqualTo("succeeded");
    }
  }

  @Test
  void aLogThatGaveNothingSaysWhetherTheTaskPrintedNothingOrTheLogIsLostAsBraidLogsDoes()
      throws Exception {
    Files.writeString(
        dir.resolve("braid.yaml"),
        """
        version: 1
        tasks:
          - task_id: quiet
            command: 'true'
          - task_id: talk
            command: echo hello
        """);
    assertThat(Cli.run("run", dir.resolve("braid.yaml").toString(), "--plain", "-q")).succeeded();
    Path state = dir.resolve(".braid");
    try (DashboardServer server = serve(state)) {
      String run = get(server, "/api/runs").get(0).get("run_id").asText();
      String quiet = "/api/runs/" + run + "/tasks/quiet/log";
      String talk = "/api/runs/" + run + "/tasks/talk/log";
      assertThat(end(server, talk + "/stream").get("empty").isNull()).isTrue();

      HttpResponse<String> silent = raw(server, quiet);
      assertThat(silent.statusCode()).isEqualTo(200);
      assertThat(silent.body()).isEmpty();
      assertThat(silent.headers().firstValue("X-Braid-Empty-Log")).hasValue("silent");
      JsonNode silentEnd = end(server, quiet + "/stream");
      assertThat(silentEnd.get("empty").asText()).isEqualTo("silent");
      assertThat(silentEnd.get("note").asText()).isEqualTo("quiet printed nothing (attempt 1)");

      Path log = Path.of(logOf(state, run));
      Files.delete(log);
      String said = "log of talk attempt 1 is missing: " + log + " (it printed 6 bytes)";
      assertThat(Cli.run("logs", "talk", "--state-dir", state.toString()).err()).contains(said);
      HttpResponse<String> lost = raw(server, talk);
      assertThat(lost.statusCode()).isEqualTo(410);
      assertThat(lost.body()).isEqualTo(said + "\n");
      JsonNode lostEnd = end(server, talk + "/stream");
      assertThat(lostEnd.get("empty").asText()).isEqualTo("lost");
      assertThat(lostEnd.get("note").asText()).isEqualTo(said);
    }
  }

  private DashboardServer serve(Path state) {
    return DashboardServer.start(new DashboardSettings(state, "127.0.0.1", 0, null));
  }

  private JsonNode get(DashboardServer server, String path)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static String logOf(Path state, String run) {
    return state.resolve("runs").resolve(run).resolve("logs").resolve("talk.1.log").toString();
  }

  private HttpResponse<String> raw(DashboardServer server, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code end} event of a log stream of a finished attempt. */
  private JsonNode end(DashboardServer server, String path)
      throws IOException, InterruptedException {
    String body = raw(server, path).body();
    int at = body.indexOf("event: end\ndata: ");
    assertThat(at).as(body).isNotNegative();
    return JSON.readTree(body.substring(at + 17, body.indexOf('\n', at + 17)));
  }

  /** The chunks of a log stream of a finished attempt, which ends by itself. */
  private List<JsonNode> chunks(DashboardServer server, String path, String lastEventId)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    List<JsonNode> chunks = new ArrayList<>();
    try (Stream<String> lines =
        http.send(request.build(), HttpResponse.BodyHandlers.ofLines()).body()) {
      String event = null;
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ") && "chunk".equals(event)) {
          chunks.add(JSON.readTree(line.substring(6)));
        }
      }
    }
    return chunks;
  }
}
