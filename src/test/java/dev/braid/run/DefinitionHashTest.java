package dev.braid.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.manifest.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hashes that tell a resumed run which tasks changed. */
class DefinitionHashTest {

  @Test
  void aKnownTaskKeepsItsHashAcrossVersions() {
    // Stored by every run: a new value here makes every resumed task look changed.
    assertThat(RunService.definitionHash(Task.of("T1").withCommand("make test")))
        .isEqualTo("bab4a9224c10fa9b1cbbfef6")
        .isNotEqualTo(RunService.definitionHash(Task.of("T1").withCommand("make check")));
  }

  @Test
  void hashingOnTwoThreadsGivesEachTaskItsOwnHash() {
    for (int size : List.of(1, 499, 500, 501, 2001)) {
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        tasks.add(Task.of("T" + i).withCommand("echo " + i).withPriority(1 + i % 5));
      }
      Map<String, String> hashes = RunService.definitionHashes(tasks);
      assertThat(hashes).hasSize(size);
      for (Task t : tasks) {
        assertThat(hashes.get(t.id())).as(t.id()).isEqualTo(RunService.definitionHash(t));
      }
    }
  }
}
