package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code braid logs --follow} and {@code braid events --follow} beside a live run. */
class FollowTest {

  @TempDir Path dir;

  @Test
  void logsFollowWaitsForAPendingTaskAndFollowsItsRetries() throws Exception {
    Files.writeString(
        dir.resolve("braid.yaml"),
        """
        tasks:
          - task_id: A
            command: echo a; while [ ! -f go ]; do sleep 0.05; done
          - task_id: B
            command: >-
              echo "b$BRAID_ATTEMPT"; while [ ! -f go2 ]; do sleep 0.05; done;
              [ "$BRAID_ATTEMPT" = 2 ]
            depends_on_tasks: [A]
            retries: 1
        """);
    try (BraidProcess run = BraidProcess.start(dir, "run", "--plain", "--retry-backoff", "100ms")) {
      run.awaitLine(Pattern.compile("^A \\| a$"), 60);
      try (BraidProcess logs = BraidProcess.start(dir, "logs", "B", "--follow")) {
        Files.writeString(dir.resolve("go"), "");
        logs.awaitLine(Pattern.compile("^b1$"), 60);
        Files.writeString(dir.resolve("go2"), "");
        assertThat(logs.await(60)).as(logs.output()).isZero();
        assertThat(logs.output()).endsWith("\nb1\nb2\n").doesNotContain("has not started");
      }
      assertThat(run.await(60)).isZero();
    }
  }

  @Test
  void followersFollowARunResumedByALaterProcess() throws Exception {
    // The resuming runner started seconds after the run it records as its own: it is the runner
    // all the same (the followers took it for a pid reused by a later process and ended at once).
    Files.writeString(
        dir.resolve("braid.yaml"),
        """
        tasks:
          - task_id: A
            command: >-
              if [ ! -f resume ]; then sleep 3; exit 1; fi;
              echo a; while [ ! -f go ]; do sleep 0.05; done; echo b
        """);
    assertThat(Cli.run("run", dir.resolve("braid.yaml").toString(), "--plain")).exitedWith(1);
    Files.writeString(dir.resolve("resume"), "");
    try (BraidProcess run = BraidProcess.start(dir, "run", "--plain")) {
      run.awaitLine(Pattern.compile("^A \\| a$"), 60);
      try (BraidProcess logs = BraidProcess.start(dir, "logs", "A", "--follow");
          BraidProcess events = BraidProcess.start(dir, "events", "--follow")) {
        logs.awaitLine(Pattern.compile("^a$"), 60);
        events.awaitLine(Pattern.compile("task\\.started  A .*\"attempt\":2"), 60);
        Files.writeString(dir.resolve("go"), "");
        assertThat(logs.await(60)).as(logs.output()).isZero();
        assertThat(logs.output()).endsWith("\na\nb\n");
        assertThat(events.await(60)).as(events.output()).isZero();
        assertThat(events.output()).contains("run.finished");
      }
      assertThat(run.await(60)).isZero();
    }
  }

  @Test
  void followersEndWhenTheRunnerWasKilledOutright() throws Exception {
    Files.writeString(
        dir.resolve("braid.yaml"),
        """
        tasks:
          - {task_id: A, command: "echo a; sleep 300"}
          - {task_id: B, command: "echo b", depends_on_tasks: [A]}
        """);
    try (BraidProcess run = BraidProcess.start(dir, "run", "--plain")) {
      run.awaitLine(Pattern.compile("^A \\| a$"), 60);
      run.kill();
    }
    try (BraidProcess events = BraidProcess.start(dir, "events", "--follow");
        BraidProcess logs = BraidProcess.start(dir, "logs", "A", "--follow");
        BraidProcess attempt = BraidProcess.start(dir, "logs", "A", "--attempt", "1", "-f")) {
      assertThat(events.await(30)).isZero();
      assertThat(events.output()).contains("task.started  A");
      assertThat(logs.await(30)).isZero();
      assertThat(logs.output()).endsWith("\na\n");
      assertThat(attempt.await(30)).isZero();
    }
  }
}
