package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (headless Chromium) during a real {@code braid run}: tasks wait
 * on FIFOs the test opens, so the test decides when each one finishes.
 */
class DashboardBrowserTest {

  private static final Pattern URL = Pattern.compile("dashboard at (http://\\S+)");
  private static final Path TARGET = Path.of("target");

  /** What a task prints: markup that would run if the page ever parsed output as HTML. */
  private static final String PAYLOAD =
      "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";

  /** A task id that is markup as well. */
  private static final String HTML_ID = "B <img src=y onerror=window.__xss=3>";

  @TempDir Path dir;

  @Test
  void followsARunLiveFromRunningToSucceededAndTailsATaskLog() throws Exception {
    Path gateA = fifo("gate-a");
    Path gateB = fifo("gate-b");
    Files.writeString(
        dir.resolve("braid.yaml"),
        """
        version: 1
        tasks:
          - task_id: A
            est: {minutes: 1}
            command: |
              printf '%%s\\n' '%s'
              echo "A waiting"
              read -r line < '%s'
              echo "A released"
          - task_id: "%s"
            command: |
              echo "B waiting"
              read -r line < '%s'
          - task_id: C
            depends_on_tasks: [A]
            file_scope: [shared.txt]
            command: echo "C done"
          - task_id: D
            depends_on_tasks: [A]
            file_scope: [shared.txt]
            command: echo "D done"
        """
            .formatted(PAYLOAD, gateA, HTML_ID, gateB));
    try (BraidProcess braid =
            BraidProcess.start(
                dir, "run", "braid.yaml", "--dashboard", "--port", "0", "--plain", "-j", "2");
        Browser browser = Browser.start(dir)) {
      String url = braid.awaitLine(URL, 60);
      browser.driver().get(url);
      awaitState(browser, "A", "running");
      awaitState(browser, HTML_ID, "running");
      browser.js("window.__samePage = 'yes'");

      // The task's detail tails its log live; its markup is text.
      openTask(browser, "A");
      awaitLog(browser, "A waiting");
      assertThat(logText(browser)).contains(PAYLOAD);
      assertThat(browser.js("return document.querySelectorAll('#log *:not(span)').length"))
          .isEqualTo(0L);

      release(gateA);
      awaitState(browser, "A", "succeeded");
      awaitLog(browser, "A released");
      awaitState(browser, "C", "succeeded");
      awaitState(browser, "D", "succeeded");
      assertThat((String) browser.js("return document.querySelector('#detail-events').textContent"))
          .contains("task.started", "task.succeeded", "exit_code");

      release(gateB);
      browser.await(
          "the run to be shown as succeeded",
          30,
          d ->
              browser
                  .js("return document.getElementById('run-status').textContent")
                  .equals("succeeded"));
      assertThat(browser.js("return window.__samePage")).as("no reload").isEqualTo("yes");
      assertThat(browser.js("return window.__xss")).as("no markup ran").isNull();
      assertThat(browser.js("return document.querySelectorAll('svg.gantt rect.bar').length"))
          .isEqualTo(4L);
      assertThat(browser.js("return document.querySelectorAll('svg.graph path.conflict').length"))
          .isEqualTo(1L);
      assertThat(browser.js("return document.querySelectorAll('svg.graph path.dep').length"))
          .isEqualTo(2L);
      browser.await(
          "the history to list the run",
          30,
          d ->
              browser
                  .js("return document.querySelector('#history tbody').textContent")
                  .toString()
                  .contains("succeeded"));
      browser.screenshot(TARGET.resolve("dashboard-run.png"));

      assertThat(braid.await(60)).as(braid.output()).isZero();
      assertThat(braid.output()).contains("dashboard stopped");
      HttpClient http = HttpClient.newHttpClient();
      assertThatThrownBy(
              () ->
                  http.send(
                      HttpRequest.newBuilder(URI.create(url)).build(),
                      HttpResponse.BodyHandlers.discarding()))
          .as("the server stops with the run")
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void firstRenderOfA2000TaskRunTakesUnderTwoSeconds() throws Exception {
    List<String> lines = new ArrayList<>(List.of("version: 1", "tasks:"));
    for (int i = 0; i < 2000; i++) {
      lines.add("  - task_id: T%04d".formatted(i));
      lines.add("    command: \"true\"");
      lines.add("    est: {minutes: %d}".formatted(1 + i % 7));
      if (i >= 20) {
        lines.add("    depends_on_tasks: [T%04d]".formatted(i - 20));
      }
      if (i % 50 == 1) {
        lines.add("    file_scope: [src/shared%d.txt]".formatted(i % 3));
      }
    }
    Files.write(dir.resolve("big.yaml"), lines);
    Cli.Result run = Cli.run("run", dir.resolve("big.yaml").toString(), "-j", "4", "-q", "--plain");
    CliResultAssert.assertThat(run).succeeded();

    try (BraidProcess server =
            BraidProcess.start(
                dir, "dashboard", "--state-dir", dir.resolve(".braid").toString(), "--port", "0");
        Browser browser = Browser.start(dir)) {
      String url = server.awaitLine(URL, 60);
      // The page is measured, not the JVM's start: one request first, as a user's browser would
      // find the server when the run had been going for a while.
      HttpResponse<String> runs =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "api/runs")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(runs.statusCode()).isEqualTo(200);
      browser.driver().get(url);
      Number ms =
          browser.await(
              "the first render",
              30,
              d ->
                  (Number)
                      browser.js(
                          "const m = performance.getEntriesByName('braid-painted');"
                              + " return m.length ? m[0].startTime : null"));
      assertThat(browser.js("return document.getElementById('task-count').textContent"))
          .isEqualTo("2000 tasks");
      assertThat(browser.js("return document.querySelectorAll('svg.graph g.node').length"))
          .isEqualTo(2000L);
      browser.screenshot(TARGET.resolve("dashboard-2000.png"));
      String line =
          String.format(
              Locale.ROOT,
              "dashboard first render, 2000 tasks: %.0f ms (history at %s ms, run data at %s ms)%n",
              ms.doubleValue(),
              browser.js("return performance.getEntriesByName('braid-history')[0].startTime"),
              browser.js("return performance.getEntriesByName('braid-data')[0].startTime"));
      Files.writeString(
          TARGET.resolve("dashboard-render.txt"),
          line,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      System.out.print(line);
      System.out.println(
          browser.js(
              "return JSON.stringify(performance.getEntriesByType('mark').map(m => [m.name, Math.round(m.startTime)]))"));
      assertThat(ms.doubleValue()).as("first render in ms").isLessThan(2000);
    }
  }

  private Path fifo(String name) throws IOException, InterruptedException {
    Path p = dir.resolve(name);
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertThat(mk.waitFor()).isZero();
    return p;
  }

  /** Lets the task reading the FIFO go on: opening it for writing meets the task's read. */
  private static void release(Path fifo) throws IOException {
    Files.writeString(fifo, "go\n");
  }

  private static void awaitState(Browser b, String taskId, String state) {
    b.await(
        taskId + " shown as " + state,
        30,
        d ->
            state.equals(
                b.js(
                    "const r = [...document.querySelectorAll('#tasks tbody tr')]"
                        + ".find(r => r.dataset.taskId === arguments[0]);"
                        + " return r ? r.querySelector('td.state').textContent : null",
                    taskId)));
  }

  private static void openTask(Browser b, String taskId) {
    b.js(
        "[...document.querySelectorAll('#tasks tbody tr')]"
            + ".find(r => r.dataset.taskId === arguments[0]).click()",
        taskId);
  }

  private static String logText(Browser b) {
    return (String) b.js("return document.getElementById('log').textContent");
  }

  private static void awaitLog(Browser b, String text) {
    b.await("the log to show " + text, 30, d -> logText(b).contains(text));
  }
}
