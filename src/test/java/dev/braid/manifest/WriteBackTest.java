package dev.braid.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Done markers written into the plan file, byte for byte. */
class WriteBackTest {

  @TempDir Path dir;

  private Path write(String name, byte[] content) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void specKitKeepsByteOrderMarkLineEndingsAndEverythingElse() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    String text = "## Phase 1: Ünïcode\r\n- [ ] T001 Créer src/a.py\r\n- [ ] T002 [P] B\r\n";
    byte[] original = concat(bom, utf8(text));
    Path p = write("tasks.md", original);
    WriteBack wb = WriteBack.open(p, ManifestReader.detect(p));
    assertThat(wb.format()).isEqualTo(PlanFormat.SPEC_KIT);
    assertThat(wb.markDone("T002")).isTrue();
    assertThat(wb.markDone("T002")).isFalse(); // already marked
    assertThat(wb.markDone("T404")).isFalse();
    assertThat(Files.readAllBytes(p))
        .isEqualTo(concat(bom, utf8(text.replace("- [ ] T002", "- [X] T002"))));
    assertThat(ManifestReader.read(p).alreadyDone()).containsExactly("T002");
  }

  @Test
  void taskMasterAddsAStatusWhereThereIsNoneAndFinishesTheParent() throws Exception {
    String text =
        """
        {
          "tasks": [
            {
              "id": 1,
              "title": "A"
            },
            {"id": 2, "title": "B", "status": "pending", "subtasks": [
              {"id": 1, "title": "B1", "status": "pending"},
              {"id": 2, "title": "B2", "status": "cancelled"}
            ]}
          ]
        }
        """;
    Path p = write("tasks.json", utf8(text));
    WriteBack wb = WriteBack.open(p, PlanFormat.TASK_MASTER);
    assertThat(wb.markDone("1")).isTrue();
    assertThat(wb.markDone("2.1")).isTrue();
    String expected =
        text.replace("\"id\": 1,\n", "\"id\": 1,\n      \"status\": \"done\",\n")
            .replace(
                "{\"id\": 2, \"title\": \"B\", \"status\": \"pending\"",
                "{\"id\": 2, \"title\": \"B\", \"status\": \"done\"")
            .replace("\"B1\", \"status\": \"pending\"", "\"B1\", \"status\": \"done\"");
    assertThat(Files.readString(p)).isEqualTo(expected);
    assertThat(ManifestReader.read(p).manifest().tasks()).isEmpty();
  }

  @Test
  void checklistFindsItsTaskAfterLinesMoved() throws Exception {
    Path p = write("list.md", utf8("- [ ] one\n- [ ] two\n"));
    WriteBack wb = WriteBack.open(p, PlanFormat.CHECKLIST);
    Files.writeString(p, "- [ ] zero\n- [ ] one\n- [ ] two\n");
    assertThat(wb.markDone("2")).isTrue();
    assertThat(Files.readString(p)).isEqualTo("- [ ] zero\n- [ ] one\n- [x] two\n");
  }

  @Test
  void numberedChecklistGetsItsMarker() throws Exception {
    Path p = write("list.md", utf8("1. [ ] one\n2) [ ] two\n"));
    WriteBack wb = WriteBack.open(p, ManifestReader.detect(p));
    assertThat(wb.format()).isEqualTo(PlanFormat.CHECKLIST);
    assertThat(wb.markDone("2")).isTrue();
    assertThat(Files.readString(p)).isEqualTo("1. [ ] one\n2) [x] two\n");
  }

  @Test
  void nativePlansHaveNoMarker() throws Exception {
    Path p = write("plan.yaml", utf8("version: 1\ntasks:\n  - task_id: A\n"));
    assertThat(WriteBack.open(p, PlanFormat.BRAID).markDone("A")).isFalse();
    assertThat(Files.readString(p)).isEqualTo("version: 1\ntasks:\n  - task_id: A\n");
  }

  @Test
  void callsFromManyThreadsLoseNoMarker() throws Exception {
    StringBuilder b = new StringBuilder("# Many\n");
    int n = 40;
    for (int i = 1; i <= n; i++) {
      b.append("- [ ] T")
          .append(String.format("%03d", i))
          .append(" [P] Task ")
          .append(i)
          .append('\n');
    }
    Path p = write("tasks.md", utf8(b.toString()));
    WriteBack wb = WriteBack.open(p, PlanFormat.SPEC_KIT);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    try {
      for (int i = 1; i <= n; i++) {
        String id = String.format("T%03d", i);
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return wb.markDone(id);
                }));
      }
      go.countDown();
      for (Future<Boolean> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(p)).isEqualTo(b.toString().replace("- [ ] T", "- [X] T"));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
