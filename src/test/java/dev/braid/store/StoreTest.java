package dev.braid.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.plan.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

  static final Instant T0 = Instant.parse("2026-11-23T07:15:02.123Z");

  @TempDir Path tmp;

  Path dir() {
    return tmp.resolve(".braid");
  }

  static RunRecord run(String id, String manifest, Instant at) {
    return new RunRecord(id, manifest, "sha-" + id, RunStatus.RUNNING, 3, at, null, "{}", 42);
  }

  static String pragma(Path db, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  // ---------------------------------------------------------------- schema

  @Test
  void openCreatesTheDirectoryAndAWalDatabaseAtTheLatestVersion() throws SQLException {
    try (Store store = Store.open(dir())) {
      assertThat(store.schemaVersion()).isEqualTo(Schema.latestVersion()).isEqualTo(4);
      assertThat(store.integrityCheck()).isEqualTo("ok");
    }
    Path db = dir().resolve("braid.db");
    assertThat(db).isRegularFile();
    assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
    assertThat(pragma(db, "user_version")).isEqualTo("4");
  }

  @Test
  void aStateDirectoryOfTheFirstSchemaOpensWithItsRunsAndTasks() throws Exception {
    Files.createDirectories(dir());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir().resolve("braid.db"));
        Statement s = c.createStatement()) {
      for (String sql : Schema.MIGRATIONS.get(0)) {
        s.execute(sql);
      }
      s.execute("PRAGMA user_version = 1");
      s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
      s.execute(
          "INSERT INTO runs VALUES ('r1', 'tasks.yaml', 'sha', 'failed', 2, 1000, 2000, '{}', 42)");
      s.execute(
          "INSERT INTO tasks VALUES ('r1', 'a', 0, 'h', 'failed', 1, 1, 1000, 2000, 1,"
              + " 'exit 1', 'a.log')");
      s.execute(
          "INSERT INTO attempts VALUES ('r1', 'a', 1, 1, 1000, 2000, 1, 'failed', 'exit 1',"
              + " 'a.log')");
    }
    // a reader upgrades it when no runner holds it, as the first `braid status` after an update
    try (Store reader = Store.openReadOnly(dir())) {
      assertThat(reader.schemaVersion()).isEqualTo(Schema.latestVersion());
      assertThat(reader.tasks("r1"))
          .extracting(TaskRecord::state)
          .containsExactly(TaskState.FAILED);
      assertThat(reader.removedTasks("r1")).isEmpty();
      // its output was not counted then
      assertThat(reader.attempts("r1"))
          .extracting(AttemptRecord::outputBytes)
          .containsExactly((Long) null);
    }
    try (Store store = Store.open(dir())) {
      assertThat(store.run("r1").orElseThrow().status()).isEqualTo(RunStatus.FAILED);
    }
  }

  @Test
  void reopeningKeepsTheDataAndTheSchema() {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r1", "tasks.yaml", T0));
    }
    try (Store store = Store.open(dir())) {
      assertThat(store.schemaVersion()).isEqualTo(Schema.latestVersion());
      assertThat(store.run("r1")).contains(run("r1", "tasks.yaml", T0));
    }
  }

  @Test
  void aFileThatIsNotADatabaseIsReportedByName() throws Exception {
    Files.createDirectories(dir());
    Files.writeString(dir().resolve("braid.db"), "this is not sqlite, just some text ".repeat(50));
    assertThatThrownBy(() -> Store.open(dir()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir().resolve("braid.db") + " is not a Braid state database: ");
  }

  @Test
  void anotherApplicationsSqliteDatabaseIsRefused() throws Exception {
    Files.createDirectories(dir());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir().resolve("braid.db"));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notes (x TEXT)");
    }
    assertThatThrownBy(() -> Store.open(dir()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("braid.db is not a Braid state database");
  }

  @Test
  void aNewerSchemaIsRefused() throws Exception {
    Store.open(dir()).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir().resolve("braid.db"));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> Store.open(dir())).hasMessageContaining("written by a newer Braid");
    assertThatThrownBy(() -> Store.openReadOnly(dir()))
        .hasMessageContaining("written by a newer Braid");
  }

  @Test
  void aReaderSeesCommitsAndCannotWrite() {
    assertThatThrownBy(() -> Store.openReadOnly(dir()))
        .hasMessageContaining("no Braid state here yet");
    try (RunLock lock = Store.lock(dir());
        Store writer = Store.open(dir());
        Store reader = Store.openReadOnly(dir())) {
      long self = lock.pid(); // this process: the runner holding the lock
      writer.createRun(
          new RunRecord("r1", "tasks.yaml", "sha", RunStatus.RUNNING, 3, T0, null, "{}", self));
      assertThat(reader.run("r1")).isPresent();
      writer.transaction(
          () -> {
            writer.finishRun("r1", RunStatus.SUCCEEDED, T0.plusSeconds(5));
            assertThat(reader.run("r1").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
          });
      assertThat(reader.run("r1").orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThatThrownBy(() -> reader.appendEvent("r1", T0, "x", null, null))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("read-only");
      // Recorded running by a process that does not hold the lock: its runner is gone.
      writer.createRun(run("r2", "tasks.yaml", T0.plusSeconds(9)));
      assertThat(writer.run("r2").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
      assertThat(reader.run("r2").orElseThrow().status()).isEqualTo(RunStatus.CRASHED);
      assertThat(reader.runs()).extracting(RunRecord::status).contains(RunStatus.CRASHED);
      assertThat(reader.latestRun("tasks.yaml").orElseThrow().status())
          .isEqualTo(RunStatus.CRASHED);
    }
  }

  // ---------------------------------------------------------------- runs

  @Test
  void runsRoundTripNewestFirst() {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r1", "a.yaml", T0));
      store.createRun(run("r2", "b.yaml", T0.plusSeconds(60)));
      store.createRun(run("r3", "a.yaml", T0.plusSeconds(120)));
      assertThat(store.runs()).extracting(RunRecord::runId).containsExactly("r3", "r2", "r1");
      assertThat(store.latestRun("a.yaml").map(RunRecord::runId)).contains("r3");
      assertThat(store.latestRun("b.yaml").map(RunRecord::runId)).contains("r2");
      assertThat(store.latestRun("c.yaml")).isEmpty();
      assertThat(store.run("nope")).isEmpty();

      store.finishRun("r3", RunStatus.FAILED, T0.plusSeconds(200));
      RunRecord r3 = store.run("r3").orElseThrow();
      assertThat(r3.status()).isEqualTo(RunStatus.FAILED);
      assertThat(r3.endedAt()).isEqualTo(T0.plusSeconds(200));

      assertThatThrownBy(() -> store.createRun(run("r1", "a.yaml", T0)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("braid.db: cannot create run r1");
      assertThatThrownBy(() -> store.finishRun("nope", RunStatus.FAILED, T0))
          .hasMessageContaining("no run nope");
    }
  }

  @Test
  void runIdsSortByTimeAndAreUnique() {
    try (Store store = Store.open(dir())) {
      String id = store.newRunId(T0);
      assertThat(id).matches("20261123-071502-[0-9a-f]{4}");
      assertThat(store.newRunId(T0.plusSeconds(1))).isGreaterThan(id);
    }
  }

  @Test
  void optionsMustBeJson() {
    try (Store store = Store.open(dir())) {
      RunRecord bad = new RunRecord("r", "a", "h", RunStatus.RUNNING, 1, T0, null, "{nope", 1);
      assertThatThrownBy(() -> store.createRun(bad)).hasMessageContaining("CHECK constraint");
    }
  }

  // ---------------------------------------------------------------- tasks

  @Test
  void tasksKeepTheirFirstOrderAndAreReplacedInPlace() {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r", "a.yaml", T0));
      store.putTasks(
          "r",
          List.of(
              TaskRecord.pending("r", "C", "c1"),
              TaskRecord.pending("r", "A", "a1"),
              TaskRecord.pending("r", "B", "b1")));
      store.putTasks(
          "r",
          List.of(
              TaskRecord.pending("r", "D", "d1"),
              TaskRecord.pending("r", "A", "a2").withState(TaskState.SUCCEEDED, "restored")));
      assertThat(store.tasks("r"))
          .extracting(TaskRecord::taskId)
          .containsExactly("C", "A", "B", "D");
      TaskRecord a = store.task("r", "A").orElseThrow();
      assertThat(a.definitionHash()).isEqualTo("a2");
      assertThat(a.state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(a.reason()).isEqualTo("restored");
      assertThat(store.task("r", "Z")).isEmpty();
      assertThatThrownBy(() -> store.putTasks("r", List.of(TaskRecord.pending("other", "X", "x"))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> store.putTasks("nope", List.of(TaskRecord.pending("nope", "X", "x"))))
          .hasMessageContaining("FOREIGN KEY");
    }
  }

  @Test
  void attemptsAreRecordedOnTheTaskAndInHistory() {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r", "a.yaml", T0));
      store.putTasks(
          "r", List.of(TaskRecord.pending("r", "A", "a"), TaskRecord.pending("r", "B", "b")));

      store.taskStarted("r", "A", 1, 0, T0, "logs/A.1.log");
      TaskRecord running = store.task("r", "A").orElseThrow();
      assertThat(running.state()).isEqualTo(TaskState.RUNNING);
      assertThat(running.attempts()).isEqualTo(1);
      assertThat(running.slot()).isEqualTo(0);
      assertThat(running.startedAt()).isEqualTo(T0);
      assertThat(running.logPath()).isEqualTo("logs/A.1.log");

      store.taskEnded("r", "A", 1, T0.plusSeconds(3), 1, TaskState.FAILED, "exit 1");
      store.setTaskState("r", "A", TaskState.PENDING, "retry 2 of 2");
      store.taskStarted("r", "A", 2, 1, T0.plusSeconds(4), "logs/A.2.log");
      store.taskEnded("r", "A", 2, T0.plusSeconds(9), 0, TaskState.SUCCEEDED, null, 42L);
      store.setTaskState("r", "B", TaskState.SKIPPED, "not selected");

      TaskRecord a = store.task("r", "A").orElseThrow();
      assertThat(a)
          .isEqualTo(
              new TaskRecord(
                  "r",
                  "A",
                  "a",
                  TaskState.SUCCEEDED,
                  2,
                  1,
                  T0.plusSeconds(4),
                  T0.plusSeconds(9),
                  0,
                  null,
                  "logs/A.2.log"));
      assertThat(store.attempts("r"))
          .containsExactly(
              new AttemptRecord(
                  "r",
                  "A",
                  1,
                  0,
                  T0,
                  T0.plusSeconds(3),
                  1,
                  TaskState.FAILED,
                  "exit 1",
                  "logs/A.1.log",
                  null),
              new AttemptRecord(
                  "r",
                  "A",
                  2,
                  1,
                  T0.plusSeconds(4),
                  T0.plusSeconds(9),
                  0,
                  TaskState.SUCCEEDED,
                  null,
                  "logs/A.2.log",
                  42L));
      assertThat(store.task("r", "B").orElseThrow().state()).isEqualTo(TaskState.SKIPPED);
    }
  }

  /** Starts, ends, a retry and an event, as the runner records a few short tasks. */
  private static void recordShortTasks(Store store) {
    store.createRun(run("r", "a.yaml", T0));
    store.putTasks(
        "r",
        List.of(
            TaskRecord.pending("r", "A", "a"),
            TaskRecord.pending("r", "B", "b"),
            TaskRecord.pending("r", "C", "c")));
    store.taskStarted("r", "A", 1, 1, T0, "logs/A.1.log");
    store.taskStarted("r", "B", 1, 2, T0.plusMillis(1), "logs/B.1.log");
    store.appendEventData("r", T0.plusMillis(1), "task.started", "B", java.util.Map.of("slot", 2));
    store.taskEnded("r", "B", 1, T0.plusMillis(2), 3, TaskState.FAILED, "exit 3");
    store.setTaskState("r", "B", TaskState.PENDING, "retry 2 of 2");
    store.taskStarted("r", "B", 2, 2, T0.plusMillis(3), "logs/B.2.log");
    store.taskEnded("r", "A", 1, T0.plusMillis(4), 0, TaskState.SUCCEEDED, null);
    store.taskStarted("r", "C", 1, 1, T0.plusMillis(5), "logs/C.1.log");
    store.taskEnded("r", "B", 2, T0.plusMillis(6), 0, TaskState.SUCCEEDED, null);
  }

  @Test
  void startsAndEndsInOneGroupCommitAreRecordedAsWithoutIt() {
    Path one = tmp.resolve("one");
    Path grouped = tmp.resolve("grouped");
    try (Store plain = Store.open(one);
        Store group = Store.open(grouped)) {
      recordShortTasks(plain);
      group.begin();
      recordShortTasks(group);
      // Read inside the transaction: a start kept back is seen like a written one.
      assertThat(group.task("r", "C").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
      try (Store reader = Store.openReadOnly(grouped)) {
        assertThat(reader.attempts("r")).isEmpty(); // nothing before the commit
      }
      group.commit();
      assertThat(group.tasks("r")).isEqualTo(plain.tasks("r"));
      assertThat(group.attempts("r")).isEqualTo(plain.attempts("r"));
      assertThat(group.events("r", 0, 10)).hasSize(1);
    }
  }

  @Test
  void aStartKeptBackIsUndoneWithItsGroupCommitAndARefusedOneIsStillRefused() {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r", "a.yaml", T0));
      store.putTasks("r", List.of(TaskRecord.pending("r", "A", "a")));
      store.begin();
      store.taskStarted("r", "A", 1, 1, T0, "logs/A.1.log");
      store.rollback();
      assertThat(store.task("r", "A").orElseThrow().state()).isEqualTo(TaskState.PENDING);
      assertThat(store.attempts("r")).isEmpty();

      store.begin();
      store.taskStarted("r", "A", 2, 1, T0, "logs/A.2.log"); // attempt 1 never ran
      assertThatThrownBy(() -> store.taskEnded("r", "A", 2, T0, 0, TaskState.SUCCEEDED, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is at attempt 0, not 1");
      store.rollback();
      store.begin();
      store.taskStarted("r", "A", 2, 1, T0, "logs/A.2.log");
      assertThatThrownBy(store::commit)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is at attempt 0, not 1");
      store.rollback();
      assertThat(store.attempts("r")).isEmpty();
    }
  }

  @Test
  void movesOutsideTheStateTableAreRefusedAndChangeNothing() {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r", "a.yaml", T0));
      store.putTasks("r", List.of(TaskRecord.pending("r", "A", "a")));
      assertThatThrownBy(() -> store.taskEnded("r", "A", 1, T0, 0, TaskState.SUCCEEDED, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is PENDING, not RUNNING: cannot end attempt 1 as SUCCEEDED");
      assertThatThrownBy(() -> store.taskStarted("r", "A", 2, 0, T0, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("is at attempt 0, not 1");
      assertThatThrownBy(() -> store.taskStarted("r", "Z", 1, 0, T0, null))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("no task Z in run r");
      assertThatThrownBy(() -> store.taskEnded("r", "A", 1, T0, 0, TaskState.BLOCKED, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("from RUNNING to BLOCKED");
      store.setTaskState("r", "A", TaskState.BLOCKED, "B failed");
      assertThatThrownBy(() -> store.setTaskState("r", "A", TaskState.SKIPPED, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot move from BLOCKED to SKIPPED");
      assertThat(store.task("r", "A").orElseThrow().state()).isEqualTo(TaskState.BLOCKED);
      assertThat(store.attempts("r")).isEmpty();
    }
  }

  // ---------------------------------------------------------------- events

  @Test
  void eventsAreReadBySequenceAcrossRunsAndPerRun() {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r1", "a.yaml", T0));
      store.createRun(run("r2", "a.yaml", T0));
      long e1 = store.appendEvent("r1", T0, "run.started", null, "{\"agents\":3}");
      long e2 = store.appendEvent("r2", T0, "run.started", null, null);
      long e3 = store.appendEvent("r1", T0.plusMillis(5), "task.started", "A", null);
      assertThat(e2).isGreaterThan(e1);
      assertThat(e3).isGreaterThan(e2);
      assertThat(store.events("r1", 0, 10))
          .containsExactly(
              new EventRecord(e1, "r1", T0, "run.started", null, "{\"agents\":3}"),
              new EventRecord(e3, "r1", T0.plusMillis(5), "task.started", "A", null));
      assertThat(store.events(e1, 10)).extracting(EventRecord::seq).containsExactly(e2, e3);
      assertThat(store.events(0, 2)).extracting(EventRecord::seq).containsExactly(e1, e2);
      assertThatThrownBy(() -> store.appendEvent("r1", T0, "x", null, "not json"))
          .hasMessageContaining("CHECK constraint");
      assertThatThrownBy(() -> store.appendEvent("nope", T0, "x", null, null))
          .hasMessageContaining("FOREIGN KEY");
    }
  }

  @Test
  void eventsCannotBeUpdatedOrDeleted() throws SQLException {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r1", "a.yaml", T0));
      store.appendEvent("r1", T0, "run.started", null, null);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir().resolve("braid.db"));
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("UPDATE events SET type = 'forged'"))
          .hasMessageContaining("events are append-only");
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM events"))
          .hasMessageContaining("events are append-only");
    }
    try (Store store = Store.openReadOnly(dir())) {
      assertThat(store.events(0, 10)).extracting(EventRecord::type).containsExactly("run.started");
    }
  }

  // ---------------------------------------------------------------- transactions

  @Test
  void anExceptionInsideATransactionRollsEverythingBack() {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r", "a.yaml", T0));
      store.putTasks("r", List.of(TaskRecord.pending("r", "A", "a")));
      RuntimeException boom = new RuntimeException("boom");
      assertThatThrownBy(
              () ->
                  store.transaction(
                      () -> {
                        store.taskStarted("r", "A", 1, 0, T0, null);
                        store.appendEvent("r", T0, "task.started", "A", null);
                        store.transaction(() -> store.appendEvent("r", T0, "nested", null, null));
                        throw boom;
                      }))
          .isSameAs(boom);
      assertThat(store.inTransaction()).isFalse();
      assertThat(store.task("r", "A").orElseThrow().state()).isEqualTo(TaskState.PENDING);
      assertThat(store.attempts("r")).isEmpty();
      assertThat(store.events("r", 0, 10)).isEmpty();

      store.transaction(() -> store.taskStarted("r", "A", 1, 0, T0, null));
      assertThat(store.task("r", "A").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    }
  }

  @Test
  void aFailingNestedTransactionIsUndoneAloneWhenTheOuterOneCatchesIt() {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r", "a.yaml", T0));
      store.transaction(
          () -> {
            store.appendEvent("r", T0, "kept.before", null, null);
            try {
              store.transaction(
                  () -> {
                    store.appendEvent("r", T0, "undone", null, null);
                    throw new IllegalStateException("inner");
                  });
            } catch (IllegalStateException expected) {
              // the outer body goes on
            }
            store.appendEvent("r", T0, "kept.after", null, null);
          });
      assertThat(store.events("r", 0, 10))
          .extracting(EventRecord::type)
          .containsExactly("kept.before", "kept.after");
    }
  }

  @Test
  void aFailedWriteInsideATransactionLeavesNoHalf() {
    try (Store store = Store.open(dir())) {
      store.createRun(run("r", "a.yaml", T0));
      store.putTasks("r", List.of(TaskRecord.pending("r", "A", "a")));
      store.transaction(
          () -> {
            assertThatThrownBy(() -> store.taskEnded("r", "A", 1, T0, 0, TaskState.FAILED, null))
                .isInstanceOf(IllegalStateException.class);
            store.taskStarted("r", "A", 1, 0, T0, null);
          });
      assertThat(store.task("r", "A").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    }
  }

  // ---------------------------------------------------------------- recovery

  @Test
  void aCrashedRunIsMarkedAndItsRunningTasksGoBackToPending() {
    Instant crash = T0.plusSeconds(30);
    try (Store store = Store.open(dir())) {
      store.createRun(run("old", "a.yaml", T0));
      store.putTasks(
          "old",
          List.of(
              TaskRecord.pending("old", "A", "a"),
              TaskRecord.pending("old", "B", "b"),
              TaskRecord.pending("old", "C", "c")));
      store.taskStarted("old", "A", 1, 0, T0, null);
      store.taskEnded("old", "A", 1, T0.plusSeconds(1), 0, TaskState.SUCCEEDED, null);
      store.taskStarted("old", "B", 1, 0, T0.plusSeconds(2), null);
      store.appendEvent("old", T0.plusSeconds(2), "task.started", "B", null);
      store.createRun(run("done", "a.yaml", T0));
      store.finishRun("done", RunStatus.SUCCEEDED, T0.plusSeconds(1));
    }
    try (RunLock lock = Store.lock(dir());
        Store store = Store.open(dir())) {
      List<RunRecord> crashed = store.markCrashedRuns(lock, crash);
      assertThat(crashed).extracting(RunRecord::runId).containsExactly("old");
      assertThat(crashed.get(0).status()).isEqualTo(RunStatus.CRASHED);
      assertThat(crashed.get(0).endedAt()).isEqualTo(T0.plusSeconds(2));
      assertThat(store.markCrashedRuns(lock, crash)).isEmpty();

      List<TaskRecord> recovered = store.recoverInterrupted("old", crash);
      assertThat(recovered).extracting(TaskRecord::taskId).containsExactly("B");
      assertThat(store.tasks("old"))
          .extracting(TaskRecord::state)
          .containsExactly(TaskState.SUCCEEDED, TaskState.PENDING, TaskState.PENDING);
      assertThat(store.task("old", "B").orElseThrow().reason()).isEqualTo(Store.INTERRUPTED);
      assertThat(store.attempts("old"))
          .extracting(AttemptRecord::taskId, AttemptRecord::state, AttemptRecord::reason)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("A", TaskState.SUCCEEDED, null),
              org.assertj.core.groups.Tuple.tuple("B", TaskState.PENDING, Store.INTERRUPTED));
      assertThat(store.events("old", 0, 10))
          .extracting(EventRecord::type, EventRecord::taskId)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("task.started", "B"),
              org.assertj.core.groups.Tuple.tuple(Store.EVENT_RUN_CRASHED, null),
              org.assertj.core.groups.Tuple.tuple(Store.EVENT_TASK_INTERRUPTED, "B"));

      // resuming: the next attempt of B is 2
      store.resumeRun("old", ProcessHandle.current().pid());
      store.taskStarted("old", "B", 2, 1, crash, null);
      assertThat(store.run("old").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }
  }

  @Test
  void markingCrashedRunsNeedsTheLock() {
    try (Store store = Store.open(dir())) {
      RunLock lock = Store.lock(dir());
      lock.close();
      assertThatThrownBy(() -> store.markCrashedRuns(lock, T0))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("must be held");
    }
  }
}
