package dev.braid.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

/** A run recorded as running is live only while the process that recorded it runs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class RunRecordLiveTest {

  static RunRecord running(long pid, Instant startedAt) {
    return new RunRecord("r1", "plan.yaml", "h", RunStatus.RUNNING, 2, startedAt, null, null, pid);
  }

  @Test
  void theRunnerItselfIsLive() {
    assertThat(RunRecord.starting("r1", "plan.yaml", "h", 2, Instant.now(), null).live()).isTrue();
  }

  @Test
  void aRunResumedByALaterProcessIsLive() {
    // a run started in 2001 and resumed by this process, which started long after it
    long me = ProcessHandle.current().pid();
    assertThat(running(me, Instant.parse("2001-01-01T00:00:00Z")).live()).isTrue();
  }

  @Test
  void aPidReusedByAProcessStartedAfterTheLockDoesNotHoldIt(@TempDir Path state) throws Exception {
    // the lock taken in 2001 by a process with this pid: this process started long after
    long me = ProcessHandle.current().pid();
    Files.writeString(state.resolve(RunLock.FILE), "pid=" + me + "\nstarted=978307200000\n");
    assertThat(RunLock.heldBy(state, me)).isFalse();
  }

  @Test
  void aRunnerKilledButNotYetReapedIsNotLive() throws Exception {
    // bash starts `sleep 0` in the background and becomes `sleep 30`, which never reaps it: the
    // child stays a zombie, as a runner killed with -9 does until its parent waits for it
    Process parent =
        new ProcessBuilder("bash", "-c", "sleep 0 & echo $!; exec sleep 30")
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      long zombie = Long.parseLong(out.readLine().trim());
      Path stat = Path.of("/proc", Long.toString(zombie), "stat");
      waitForZombie(stat);
      assertThat(ProcessHandle.of(zombie).map(ProcessHandle::isAlive)).contains(true);
      assertThat(running(zombie, Instant.now()).live()).isFalse();
    } finally {
      parent.destroyForcibly().waitFor();
    }
  }

  /** `sleep 0` exits at once; reading its state until it says so is bounded by the timeout. */
  private static void waitForZombie(Path stat) throws Exception {
    while (true) {
      String s = Files.readString(stat);
      if (s.charAt(s.lastIndexOf(')') + 2) == 'Z') {
        return;
      }
      Thread.sleep(5);
    }
  }
}
