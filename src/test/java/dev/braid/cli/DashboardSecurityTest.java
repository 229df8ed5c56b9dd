package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.observe.dashboard.DashboardException;
import dev.braid.observe.dashboard.DashboardServer;
import dev.braid.observe.dashboard.DashboardSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the dashboard refuses: other hosts without a token, paths, unknown ids, other methods. */
class DashboardSecurityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>";

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private Path state;
  private String runId;

  @BeforeEach
  void aFinishedRun() throws IOException {
    Files.writeString(
        dir.resolve("braid.yaml"),
        """
        version: 1
        tasks:
          - task_id: A
            command: printf '%%s\\n' '%s'
          - task_id: a/b
            command: echo slash
          - task_id: utf8
            command: printf 'h\\303\\251llo \\342\\234\\223\\n'
        """
            .formatted(PAYLOAD));
    assertThat(Cli.run("run", dir.resolve("braid.yaml").toString(), "--plain", "-q")).succeeded();
    state = dir.resolve(".braid");
    runId =
        JSON.readTree(Cli.run("status", "--json", "--state-dir", state.toString()).out())
            .get("run_id")
            .asText();
  }

  @Test
  void aNonLoopbackHostWithoutATokenIsRefused() {
    Cli.Result r = Cli.run("dashboard", "--state-dir", state.toString(), "--host", "0.0.0.0");
    assertThat(r)
        .exitedWith(2)
        .complained("0.0.0.0 is not a loopback address", "--token")
        .noStackTrace();
    Cli.Result run =
        Cli.run(
            "run",
            dir.resolve("braid.yaml").toString(),
            "--fresh",
            "--dashboard",
            "--host",
            "0.0.0.0");
    assertThat(run).exitedWith(2).complained("not a loopback address");
    assertThatThrownBy(
            () -> DashboardServer.start(new DashboardSettings(state, "0.0.0.0", 0, null)))
        .isInstanceOf(DashboardException.class)
        .hasMessageContaining("needs a token");
  }

  @Test
  void pathsAndUnknownIdsAre404AndKnownTasksWithAnyIdAreServed() throws Exception {
    try (DashboardServer server = loopback()) {
      String base = "http://127.0.0.1:" + server.port();
      String run = "/api/runs/" + runId;
      for (String path :
          Stream.of(
                  "/api/runs/no-such-run",
                  run + "/tasks/Z",
                  run + "/tasks/Z/log",
                  run + "/tasks/Z/log/stream",
                  run + "/tasks/A/log?attempt=2",
                  run + "/tasks/A/log?attempt=..%2F..%2Fbraid.db",
                  run + "/tasks/..%2F..%2Fbraid.db/log",
                  run + "/tasks/%2E%2E/log",
                  run + "/tasks/A/../../../../braid.db",
                  run + "/tasks/A/log/../../../braid.db",
                  run + "/tasks/A/other",
                  "/api/runs/..%2F.braid/tasks/A/log",
                  "/braid.db",
                  "/../braid.db",
                  "/app.js/../../braid.db",
                  "/%2e%2e/%2e%2e/etc/passwd",
                  "/etc/passwd",
                  "/api/events/x")
              .toList()) {
        assertThat(rawGet(server.port(), path)).as(path).startsWith("HTTP/1.1 404");
      }
      HttpResponse<String> slash = get(base + run + "/tasks/a%2Fb");
      assertThat(slash.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(slash.body()).at("/task/task_id").asText()).isEqualTo("a/b");
      assertThat(get(base + run + "/tasks/a%2Fb/log").body()).isEqualTo("slash\n");

      HttpResponse<String> log = get(base + run + "/tasks/A/log");
      assertThat(log.statusCode()).isEqualTo(200);
      assertThat(log.body()).isEqualTo(PAYLOAD + "\n");
      assertThat(log.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
      assertThat(log.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(log.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("script-src 'self'")
          .doesNotContain("unsafe-inline");

      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(rawGet(server.port(), "/", "evil.example")).startsWith("HTTP/1.1 403");
      assertThat(rawGet(server.port(), "/", "localhost:" + server.port()))
          .startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aTokenIsAskedOfEveryRequestAndKeptInACookie() throws Exception {
    try (DashboardServer server =
        DashboardServer.start(new DashboardSettings(state, "127.0.0.1", 0, "s3cret-token"))) {
      String base = "http://127.0.0.1:" + server.port();
      assertThat(server.url().toString()).endsWith("/?token=s3cret-token");
      assertThat(get(base + "/").statusCode()).isEqualTo(401);
      assertThat(get(base + "/api/runs").statusCode()).isEqualTo(401);
      assertThat(get(base + "/?token=wrong-token").statusCode()).isEqualTo(401);

      HttpResponse<String> entry = get(server.url().toString());
      assertThat(entry.statusCode()).isEqualTo(303);
      assertThat(entry.headers().firstValue("Location")).hasValue("/");
      String cookie = entry.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).contains("HttpOnly", "SameSite=Strict");

      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/"))
                  .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<title>Braid dashboard</title>");
      HttpResponse<String> api =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                  .header("Authorization", "Bearer s3cret-token")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(api.body()).get(0).get("run_id").asText()).isEqualTo(runId);
    }
  }

  @Test
  void theEventStreamResumesAfterTheLastEventId() throws Exception {
    try (DashboardServer server = loopback()) {
      String base = "http://127.0.0.1:" + server.port();
      JsonNode detail = JSON.readTree(get(base + "/api/runs/" + runId).body());
      long last = detail.get("last_seq").asLong();
      HttpResponse<Stream<String>> stream =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/events?after=0"))
                  .header("Last-Event-ID", Long.toString(last - 1))
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      assertThat(stream.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("text/event-stream");
      try (Stream<String> lines = stream.body()) {
        Iterator<String> it = lines.iterator();
        String id = null;
        String data = null;
        while (data == null && it.hasNext()) {
          String line = it.next();
          if (line.startsWith("id: ")) {
            id = line.substring(4);
          } else if (line.startsWith("data: ")) {
            data = line.substring(6);
          }
        }
        assertThat(id).isEqualTo(Long.toString(last));
        JsonNode update = JSON.readTree(data);
        assertThat(update.at("/event/type").asText()).isEqualTo("run.finished");
        assertThat(update.at("/run/status").asText()).isEqualTo("succeeded");
        assertThat(update.at("/report/counts/succeeded").asInt()).isEqualTo(3);
      }
    }
  }

  @Test
  void aLogStreamSendsTheLogThenEndsWithItsAttempt() throws Exception {
    try (DashboardServer server = loopback()) {
      String url = "http://127.0.0.1:" + server.port() + "/api/runs/" + runId + "/tasks/utf8/log";
      HttpResponse<Stream<String>> stream =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/stream")).build(),
              HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> lines = stream.body()) {
        List<String> events =
            lines.filter(l -> l.startsWith("event: ") || l.startsWith("data: ")).toList();
        assertThat(events).hasSize(4);
        assertThat(events.get(0)).isEqualTo("event: chunk");
        assertThat(JSON.readTree(events.get(1).substring(6)).get("text").asText())
            .isEqualTo("héllo ✓\n");
        assertThat(events.get(2)).isEqualTo("event: end");
      }
    }
  }

  @Test
  void tokenAloneMakesOneUpAndPrintsItInTheAddress() throws Exception {
    try (BraidProcess braid =
        BraidProcess.start(
            dir, "dashboard", "--state-dir", state.toString(), "--port", "0", "--token")) {
      String url = braid.awaitLine(Pattern.compile("dashboard at (http://\\S+)"), 60);
      assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{22}");
      String base = url.substring(0, url.indexOf("?"));
      assertThat(get(base + "api/runs").statusCode()).isEqualTo(401);
      assertThat(get(url).statusCode()).isEqualTo(303);
      assertThat(get(base + "api/runs?token=" + url.substring(url.indexOf('=') + 1)).statusCode())
          .isEqualTo(200);
    }
  }

  private DashboardServer loopback() {
    return DashboardServer.start(new DashboardSettings(state, "127.0.0.1", 0, null));
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A request with the path exactly as given (no client normalizes it) and a Host header. */
  private static String rawGet(int port, String path) throws IOException {
    return rawGet(port, path, "127.0.0.1:" + port);
  }

  private static String rawGet(int port, String path, String host) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      return in.readLine();
    }
  }
}
