package dev.braid.store;

import dev.braid.plan.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * Braid's state: runs, their tasks and attempts, and the append-only audit trail of events, in
 * {@code <stateDir>/braid.db} (SQLite in WAL mode).
 *
 * <p><b>Threading.</b> A {@code Store} is one connection and is not thread-safe: confine it to one
 * thread. The runner's scheduler thread is the single writer, and writes only while it holds the
 * directory's {@link #lock(Path) RunLock}. Any number of readers ({@code braid status}, the
 * dashboard), in other processes or on other threads, each use their own {@link
 * #openReadOnly(Path)} store; WAL lets them read a consistent snapshot while the writer commits,
 * without blocking it.
 *
 * <p><b>Transactions.</b> Each write outside {@link #transaction(Runnable)} or {@link #begin()}
 * commits on its own. A write inside one commits with the rest of it, or not at all.
 *
 * <p><b>Task states</b> move only as {@link TaskState#canMoveTo} allows; a write that would break
 * that table throws {@link IllegalStateException} naming both states and changes nothing.
 *
 * <p>Times are stored as epoch milliseconds; everything else as text or integers.
 */
public final class Store implements AutoCloseable {

  /** Streams event data; the (slow to start) object mapper only for nested values. */
  private static final com.fasterxml.jackson.core.JsonFactory JSON_FACTORY =
      new com.fasterxml.jackson.core.JsonFactory();

  private static final class Json {
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
        new com.fasterxml.jackson.databind.ObjectMapper();
  }

  public static final String DB_FILE = "braid.db";

  /** The reason given to tasks and attempts that a crash or a kill cut short. */
  public static final String INTERRUPTED = "interrupted";

  /** Event types this class appends itself; the runner chooses the others. */
  public static final String EVENT_TASK_INTERRUPTED = "task.interrupted";

  public static final String EVENT_RUN_CRASHED = "run.crashed";

  private static final int BUSY_TIMEOUT_MS = 10_000;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_NOTADB = 26;

  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private static final String RUN_COLUMNS =
      "run_id, manifest_path, manifest_hash, status, agents, started_at, ended_at, options, pid";
  private static final String TASK_COLUMNS =
      "run_id, task_id, definition_hash, state, attempts, slot, started_at, ended_at, exit_code,"
          + " reason, log_path";
  private static final String ATTEMPT_COLUMNS =
      "a.run_id, a.task_id, a.attempt, a.slot, a.started_at, a.ended_at, a.exit_code, a.state,"
          + " a.reason, a.log_path, a.output_bytes";
  private static final String EVENT_COLUMNS = "seq, run_id, at, type, task_id, data";

  /** For each target state, the SQL list of the states allowed to move to it. */
  private static final Map<TaskState, String> FROM_STATES = new EnumMap<>(TaskState.class);

  static {
    for (TaskState to : TaskState.values()) {
      FROM_STATES.put(
          to,
          Stream.of(TaskState.values())
              .filter(from -> from.canMoveTo(to))
              .map(from -> "'" + from.label() + "'")
              .collect(Collectors.joining(", ", "(", ")")));
    }
  }

  private final Path stateDir;
  private final Path dbFile;
  private final Connection connection;
  private final boolean readOnly;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private int depth;

  /**
   * Starts recorded in the runner's group commit ({@link #begin()}) and not written yet: a short
   * task's end usually comes before the commit, and then its start and end are written as one task
   * update and one attempt row, instead of two of each (SQLite's time for 20,000 short tasks falls
   * by a third). Every statement but an event's and an end's writes them first, so that whatever
   * else the transaction does sees them; a rollback drops them with the rest.
   */
  private final SequencedMap<AttemptKey, PendingStart> pendingStarts = new LinkedHashMap<>();

  private boolean grouped; // the open transaction is begin()'s

  private record AttemptKey(String runId, String taskId, int attempt) {}

  private record PendingStart(int slot, long at, String logPath) {}

  private Store(Path stateDir, Path dbFile, Connection connection, boolean readOnly) {
    this.stateDir = stateDir;
    this.dbFile = dbFile;
    this.connection = connection;
    this.readOnly = readOnly;
  }

  // ---------------------------------------------------------------- opening

  /**
   * Opens the state of {@code stateDir} for writing, creating the directory and the database, and
   * bringing its schema up to date. The caller should hold the directory's {@link #lock(Path)}.
   */
  public static Store open(Path stateDir) {
    Path db = stateDir.resolve(DB_FILE);
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw new StoreException(stateDir + ": cannot create the state directory: " + e, e);
    }
    Connection c = connect(db, /* readOnly= */ false);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
        checkIdentity(db, s);
        // WAL with synchronous=NORMAL: a commit is in the WAL file (in the OS's hands) before
        // COMMIT returns, so it survives the process being killed at any moment; only an OS crash
        // or power loss may drop the last few commits, and never corrupts the database. That is
        // the durability a runner that can be kill -9'd needs, at a fraction of FULL's fsyncs.
        try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
          String mode = rs.next() ? rs.getString(1) : "?";
          if (!"wal".equalsIgnoreCase(mode)) {
            throw new StoreException(db + ": cannot use WAL mode (journal mode is " + mode + ")");
          }
        }
        s.execute("PRAGMA synchronous = NORMAL");
        // Up to 32 MiB of pages (default 2 MiB): a run of 20,000 tasks makes a ~13 MB database
        // whose task, attempt and event rows every short task touches.
        s.execute("PRAGMA cache_size = -32768");
        s.execute("PRAGMA foreign_keys = ON");
        migrate(db, s);
      }
    } catch (SQLException e) {
      closeQuietly(c);
      throw openFailure(db, e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    return new Store(stateDir, db, c, false);
  }

  /**
   * Opens the state of {@code stateDir} for reading only, for {@code braid status} and the
   * dashboard, while a runner may be writing.
   *
   * <p>A state directory of an older Braid is brought up to date first when no runner holds it.
   *
   * @throws StoreException when there is no state yet, or it was written by another Braid version
   */
  public static Store openReadOnly(Path stateDir) {
    return openReadOnly(stateDir, /* mayUpgrade= */ true);
  }

  private static Store openReadOnly(Path stateDir, boolean mayUpgrade) {
    Path db = stateDir.resolve(DB_FILE);
    if (!Files.isRegularFile(db)) {
      throw new StoreException(db + ": no Braid state here yet (run `braid run` first)");
    }
    try {
      return openReading(stateDir, db, mayUpgrade, /* immutable= */ false);
    } catch (StoreException e) {
      if (!(e.getCause() instanceof SQLException cause)
          || (cause.getErrorCode() & 0xff) != SQLITE_CANTOPEN
          || Files.isWritable(stateDir)) {
        throw e;
      }
      Path wal = db.resolveSibling(DB_FILE + "-wal");
      try {
        if (Files.exists(wal) && Files.size(wal) > 0) {
          // Read immutable, the file would be read without what its -wal holds: stale, silently.
          throw new StoreException(
              db
                  + ": cannot read it here: its directory is read-only and its last changes are"
                  + " still in "
                  + wal.getFileName()
                  + " (a run stopped before it folded them in); copy the directory somewhere"
                  + " writable and read it there",
              e);
        }
      } catch (IOException io) {
        throw e;
      }
      // A directory nobody can write to (a read-only mount, a CI artifact, another user's
      // state): WAL needs a -shm file beside the database and cannot create one. No runner can
      // be writing through it either, so read the file as it stands.
      return openReading(stateDir, db, /* mayUpgrade= */ false, /* immutable= */ true);
    }
  }

  private static Store openReading(Path stateDir, Path db, boolean mayUpgrade, boolean immutable) {
    Connection c = connect(db, /* readOnly= */ true, immutable);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
        int version = checkIdentity(db, s);
        if (version < Schema.latestVersion() && mayUpgrade && upgraded(stateDir)) {
          closeQuietly(c);
          return openReadOnly(stateDir, false);
        }
        if (version != Schema.latestVersion()) {
          throw new StoreException(
              db
                  + ": schema version "
                  + version
                  + " but this Braid reads version "
                  + Schema.latestVersion()
                  + (version < Schema.latestVersion()
                      ? "; open it once for writing (`braid run`) to upgrade it"
                      : "; it was written by a newer Braid"));
        }
      }
    } catch (SQLException e) {
      closeQuietly(c);
      throw openFailure(db, e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    return new Store(stateDir, db, c, true);
  }

  /**
   * Migrates an older database for a reader, under the lock, so that the runner of an older Braid
   * never sees its schema change; false when a runner holds the lock or the directory is not
   * writable.
   */
  private static boolean upgraded(Path stateDir) {
    try {
      RunLock lock = lock(stateDir);
      try (lock) {
        open(stateDir).close();
      }
      return true;
    } catch (StoreException e) {
      return false;
    }
  }

  /**
   * Takes the exclusive lock of {@code stateDir} for a runner; close it when the run ends.
   *
   * @throws LockedException naming the holder's pid when another run holds it
   */
  public static RunLock lock(Path stateDir) {
    return RunLock.acquire(stateDir);
  }

  /**
   * Throws what {@link #lock} would while a live runner holds the lock of {@code stateDir}, without
   * taking it: for a dry run, which says what a real run would do and must not keep one from
   * starting by holding the lock for a moment.
   *
   * @throws LockedException naming the holder's pid, the message a real run refuses with
   */
  public static void requireUnlocked(Path stateDir) {
    RunLock.requireFree(stateDir);
  }

  /**
   * Loads the SQLite driver, its native library and its date formats ahead of the first {@link
   * #open}: ~35 ms of a command's start that a second thread can take while the first reads the
   * command line. Failures are left for {@link #open} to report.
   */
  public static void preload() {
    try {
      new SQLiteConfig();
      org.sqlite.core.NativeDB.load();
    } catch (Exception | LinkageError e) {
      // open() says what is wrong
    }
    // The lock's time format reads the time-zone database: ~3 ms.
    RunLock.TIME.getZone();
  }

  private static Connection connect(Path db, boolean readOnly) {
    return connect(db, readOnly, /* immutable= */ false);
  }

  /**
   * @param immutable read a file that cannot change: no locks, no WAL side files (SQLite's {@code
   *     immutable=1})
   */
  private static Connection connect(Path db, boolean readOnly, boolean immutable) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(readOnly);
    // Off: the driver would run an extra query after every INSERT to fetch keys nobody reads
    // (the events' sequence numbers come back with RETURNING).
    config.setGetGeneratedKeys(false);
    try {
      String url =
          immutable
              ? "jdbc:sqlite:" + db.toAbsolutePath().toUri() + "?immutable=1"
              : "jdbc:sqlite:" + db.toAbsolutePath();
      return DriverManager.getConnection(url, config.toProperties());
    } catch (SQLException e) {
      throw openFailure(db, e);
    }
  }

  /** Returns the schema version, after making sure the file is a Braid database (or empty). */
  private static int checkIdentity(Path db, Statement s) throws SQLException {
    int appId = intPragma(s, "application_id");
    int version = intPragma(s, "user_version");
    if (appId != Schema.APPLICATION_ID) {
      boolean empty;
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
        empty = rs.next() && rs.getLong(1) == 0;
      }
      if (appId != 0 || !empty) {
        throw new StoreException(
            db + " is not a Braid state database: it is another application's SQLite database");
      }
    }
    if (version > Schema.latestVersion()) {
      throw new StoreException(
          db
              + ": written by a newer Braid (schema version "
              + version
              + ", this Braid knows up to "
              + Schema.latestVersion()
              + ")");
    }
    return version;
  }

  private static void migrate(Path db, Statement s) throws SQLException {
    while (intPragma(s, "user_version") < Schema.latestVersion()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        // Read again under the write lock: another process may have migrated meanwhile.
        int version = intPragma(s, "user_version");
        if (version < Schema.latestVersion()) {
          for (String sql : Schema.MIGRATIONS.get(version)) {
            s.execute(sql);
          }
          s.execute("PRAGMA user_version = " + (version + 1));
          s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
        }
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  private static int intPragma(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static StoreException openFailure(Path db, SQLException e) {
    int code = e.getErrorCode() & 0xff;
    if (code == SQLITE_NOTADB) {
      return new StoreException(db + " is not a Braid state database: " + e.getMessage(), e);
    }
    if (code == SQLITE_CORRUPT) {
      return new StoreException(db + " is damaged: " + e.getMessage(), e);
    }
    return new StoreException(db + ": cannot open: " + e.getMessage(), e);
  }

  public Path stateDir() {
    return stateDir;
  }

  public Path dbFile() {
    return dbFile;
  }

  public boolean isReadOnly() {
    return readOnly;
  }

  public int schemaVersion() {
    return read(
        "read the schema version",
        () -> {
          try (Statement s = connection.createStatement()) {
            return intPragma(s, "user_version");
          }
        });
  }

  /** {@code "ok"}, or SQLite's list of problems, one a line. */
  public String integrityCheck() {
    return read(
        "check integrity",
        () -> {
          List<String> lines = new ArrayList<>();
          try (Statement s = connection.createStatement();
              ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            while (rs.next()) {
              lines.add(rs.getString(1));
            }
          }
          return String.join("\n", lines);
        });
  }

  // ---------------------------------------------------------------- runs

  /**
   * A new run id: the UTC time, sortable and readable, and 4 random hex digits, such as {@code
   * 20261123-071502-3f9a}; never one this store already has.
   */
  public String newRunId(Instant now) {
    String time = RUN_ID_TIME.format(now);
    while (true) {
      String id =
          time + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
      if (run(id).isEmpty()) {
        return id;
      }
    }
  }

  public void createRun(RunRecord run) {
    Objects.requireNonNull(run, "run");
    write(
        "create run " + run.runId(),
        () -> {
          PreparedStatement ps =
              statement(
                  "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
          ps.setString(1, run.runId());
          ps.setString(2, run.manifestPath());
          ps.setString(3, run.manifestHash());
          ps.setString(4, run.status().label());
          ps.setInt(5, run.agents());
          ps.setLong(6, run.startedAt().toEpochMilli());
          setInstant(ps, 7, run.endedAt());
          ps.setString(8, run.optionsJson());
          ps.setLong(9, run.pid());
          ps.executeUpdate();
          return null;
        });
  }

  public Optional<RunRecord> run(String runId) {
    return read(
        "read run " + runId,
        () -> {
          PreparedStatement ps = statement("SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ?");
          ps.setString(1, runId);
          return first(ps, Store::runRow).map(this::asSeen);
        });
  }

  /** Every run, newest first. */
  public List<RunRecord> runs() {
    return read(
            "list runs",
            () ->
                all(
                    statement(
                        "SELECT "
                            + RUN_COLUMNS
                            + " FROM runs ORDER BY started_at DESC, run_id DESC"),
                    Store::runRow))
        .stream()
        .map(this::asSeen)
        .toList();
  }

  /** The newest run of the manifest at {@code manifestPath}, as it was recorded. */
  public Optional<RunRecord> latestRun(String manifestPath) {
    return read(
        "find the latest run of " + manifestPath,
        () -> {
          PreparedStatement ps =
              statement(
                  "SELECT "
                      + RUN_COLUMNS
                      + " FROM runs WHERE manifest_path = ?"
                      + " ORDER BY started_at DESC, run_id DESC LIMIT 1");
          ps.setString(1, manifestPath);
          return first(ps, Store::runRow).map(this::asSeen);
        });
  }

  /**
   * A run as a reader should see it: one recorded {@code running} whose runner is gone (killed
   * outright, so it recorded nothing) is {@code crashed}, as the next runner will record it. The
   * writer, which holds the lock, sees what is recorded: it marks such runs itself ({@link
   * #markCrashedRuns}).
   */
  private RunRecord asSeen(RunRecord run) {
    if (!readOnly || run.status() != RunStatus.RUNNING || RunLock.heldBy(stateDir, run.pid())) {
      return run;
    }
    return new RunRecord(
        run.runId(),
        run.manifestPath(),
        run.manifestHash(),
        RunStatus.CRASHED,
        run.agents(),
        run.startedAt(),
        run.endedAt(),
        run.optionsJson(),
        run.pid());
  }

  /** Records how a run ended; {@code status} is anything but {@code RUNNING}. */
  public void finishRun(String runId, RunStatus status, Instant endedAt) {
    if (status == RunStatus.RUNNING) {
      throw new IllegalArgumentException("a finished run cannot be running: " + runId);
    }
    Objects.requireNonNull(endedAt, "endedAt");
    write(
        "finish run " + runId,
        () -> {
          PreparedStatement ps =
              statement("UPDATE runs SET status = ?, ended_at = ? WHERE run_id = ?");
          ps.setString(1, status.label());
          ps.setLong(2, endedAt.toEpochMilli());
          ps.setString(3, runId);
          requireRow(ps.executeUpdate(), "no run " + runId);
          return null;
        });
  }

  /** Marks an earlier run running again, in process {@code pid}, to resume it. */
  public void resumeRun(String runId, long pid) {
    write(
        "resume run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "UPDATE runs SET status = 'running', ended_at = NULL, pid = ? WHERE run_id = ?");
          ps.setLong(1, pid);
          ps.setString(2, runId);
          requireRow(ps.executeUpdate(), "no run " + runId);
          return null;
        });
  }

  /**
   * Records what the plan predicted for a run when it started: its makespan and savings at the
   * run's agents. The tasks' estimates go with them ({@link #putTasks(String, List, Map)}).
   */
  public void recordPrediction(String runId, double makespanMinutes, double savingsPercent) {
    write(
        "record the prediction of run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "UPDATE runs SET predicted_minutes = ?, predicted_savings_percent = ?"
                      + " WHERE run_id = ?");
          ps.setDouble(1, makespanMinutes);
          ps.setDouble(2, savingsPercent);
          ps.setString(3, runId);
          requireRow(ps.executeUpdate(), "no run " + runId);
          return null;
        });
  }

  /**
   * What the plan predicted for a run when it started; empty for a run recorded before Braid kept
   * predictions (schema v4: such a run's columns are NULL).
   */
  public Optional<Prediction> prediction(String runId) {
    return read(
        "read the prediction of run " + runId,
        () -> {
          PreparedStatement run =
              statement(
                  "SELECT predicted_minutes, predicted_savings_percent FROM runs"
                      + " WHERE run_id = ? AND predicted_minutes IS NOT NULL");
          run.setString(1, runId);
          Optional<double[]> found =
              first(run, rs -> new double[] {rs.getDouble(1), rs.getDouble(2)});
          if (found.isEmpty()) {
            return Optional.empty();
          }
          PreparedStatement tasks =
              statement(
                  "SELECT task_id, est_minutes FROM tasks"
                      + " WHERE run_id = ? AND est_minutes IS NOT NULL");
          tasks.setString(1, runId);
          Map<String, Double> estimates = new HashMap<>();
          try (ResultSet rs = tasks.executeQuery()) {
            while (rs.next()) {
              estimates.put(rs.getString(1), rs.getDouble(2));
            }
          }
          return Optional.of(new Prediction(found.get()[0], found.get()[1], estimates));
        });
  }

  /**
   * Marks {@code crashed} every run still recorded as running: holding {@code lock} proves that no
   * process is running them any more. A crashed run's end is its last event. Appends a {@value
   * #EVENT_RUN_CRASHED} event to each. Whether to resume them is the caller's decision (see {@link
   * #recoverInterrupted}).
   *
   * @return the runs it marked, as they now are
   */
  public List<RunRecord> markCrashedRuns(RunLock lock, Instant at) {
    requireLockOfThisDirectory(lock);
    return write(
        "mark crashed runs",
        () -> {
          List<RunRecord> crashed =
              all(
                  statement("SELECT " + RUN_COLUMNS + " FROM runs WHERE status = 'running'"),
                  Store::runRow);
          List<RunRecord> marked = new ArrayList<>();
          for (RunRecord run : crashed) {
            PreparedStatement ps =
                statement(
                    "UPDATE runs SET status = 'crashed', ended_at = coalesce("
                        + "(SELECT max(at) FROM events WHERE run_id = ?1), started_at)"
                        + " WHERE run_id = ?1");
            ps.setString(1, run.runId());
            ps.executeUpdate();
            insertEvent(run.runId(), at, EVENT_RUN_CRASHED, null, toJson(Map.of("pid", run.pid())));
            marked.add(run(run.runId()).orElseThrow());
          }
          return marked;
        });
  }

  private void requireLockOfThisDirectory(RunLock lock) {
    if (lock == null || !lock.isHeld()) {
      throw new IllegalStateException("the run lock of " + stateDir + " must be held");
    }
    try {
      if (!Files.isSameFile(lock.stateDir(), stateDir)) {
        throw new IllegalStateException("the lock is for " + lock.stateDir() + ", not " + stateDir);
      }
    } catch (IOException e) {
      throw new StoreException(stateDir + ": cannot compare with " + lock.stateDir() + ": " + e, e);
    }
  }

  // ---------------------------------------------------------------- tasks

  /**
   * Inserts the run's tasks, or replaces those it has (definition, state and all), at a run's start
   * or resumption; a task that had left the plan is back in it. New tasks keep the list's order
   * after the ones already there. State moves are not checked here.
   */
  public void putTasks(String runId, List<TaskRecord> tasks) {
    putTasks(runId, tasks, Map.of());
  }

  /**
   * Like {@link #putTasks(String, List)}, recording each task's estimated minutes as the plan had
   * it; a task not in {@code estimates} keeps the estimate it has (none for a new one).
   */
  public void putTasks(String runId, List<TaskRecord> tasks, Map<String, Double> estimates) {
    for (TaskRecord t : tasks) {
      if (!t.runId().equals(runId)) {
        throw new IllegalArgumentException(
            "task " + t.taskId() + " belongs to run " + t.runId() + ", not " + runId);
      }
    }
    write(
        "put the tasks of run " + runId,
        () -> {
          PreparedStatement max =
              statement("SELECT coalesce(max(ord), -1) FROM tasks WHERE run_id = ?");
          max.setString(1, runId);
          long ord;
          try (ResultSet rs = max.executeQuery()) {
            rs.next();
            ord = rs.getLong(1);
          }
          PreparedStatement ps =
              statement(
                  "INSERT INTO tasks (ord, "
                      + TASK_COLUMNS
                      + ", est_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (run_id, task_id) DO UPDATE SET"
                      + " definition_hash = excluded.definition_hash, state = excluded.state,"
                      + " attempts = excluded.attempts, slot = excluded.slot,"
                      + " started_at = excluded.started_at, ended_at = excluded.ended_at,"
                      + " exit_code = excluded.exit_code, reason = excluded.reason,"
                      + " log_path = excluded.log_path, removed_at = NULL,"
                      + " est_minutes = coalesce(excluded.est_minutes, est_minutes)");
          for (TaskRecord t : tasks) {
            ps.setLong(1, ++ord);
            ps.setString(2, t.runId());
            ps.setString(3, t.taskId());
            ps.setString(4, t.definitionHash());
            ps.setString(5, t.state().label());
            ps.setInt(6, t.attempts());
            setInteger(ps, 7, t.slot());
            setInstant(ps, 8, t.startedAt());
            setInstant(ps, 9, t.endedAt());
            setInteger(ps, 10, t.exitCode());
            ps.setString(11, t.reason());
            ps.setString(12, t.logPath());
            Double est = estimates.get(t.taskId());
            if (est == null) {
              ps.setNull(13, Types.REAL);
            } else {
              ps.setDouble(13, est);
            }
            ps.executeUpdate();
          }
          return null;
        });
  }

  /**
   * The run's tasks in the order they were first put: those of its plan as it was last run, not
   * those that left it ({@link #removedTasks}).
   */
  public List<TaskRecord> tasks(String runId) {
    return read(
        "read the tasks of run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "SELECT "
                      + TASK_COLUMNS
                      + " FROM tasks WHERE run_id = ? AND removed_at IS NULL ORDER BY ord");
          ps.setString(1, runId);
          return all(ps, Store::taskRow);
        });
  }

  /**
   * The run's tasks that left its plan when it was resumed ({@link #removeTasks}), as they were
   * last recorded, in the order they were first put.
   */
  public List<TaskRecord> removedTasks(String runId) {
    return read(
        "read the removed tasks of run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "SELECT "
                      + TASK_COLUMNS
                      + " FROM tasks WHERE run_id = ? AND removed_at IS NOT NULL ORDER BY ord");
          ps.setString(1, runId);
          return all(ps, Store::taskRow);
        });
  }

  /**
   * Records that tasks left the run's plan: they keep their rows and attempts (their logs stay
   * readable, and {@link #putTasks} takes one back if it returns), but {@link #tasks} no longer
   * lists them, so the run's counts are its plan's.
   */
  public void removeTasks(String runId, List<String> taskIds, Instant at) {
    Objects.requireNonNull(at, "at");
    write(
        "remove tasks from run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "UPDATE tasks SET removed_at = ? WHERE run_id = ? AND task_id = ?"
                      + " AND removed_at IS NULL");
          for (String id : taskIds) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, runId);
            ps.setString(3, id);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** A task of the run, whether or not it is still in the plan. */
  public Optional<TaskRecord> task(String runId, String taskId) {
    return read(
        "read task " + taskId + " of run " + runId,
        () -> {
          PreparedStatement ps =
              statement("SELECT " + TASK_COLUMNS + " FROM tasks WHERE run_id = ? AND task_id = ?");
          ps.setString(1, runId);
          ps.setString(2, taskId);
          return first(ps, Store::taskRow);
        });
  }

  /**
   * Records that attempt {@code attempt} of a pending task started; attempts are numbered from 1
   * without gaps, so after a crash the next attempt is the interrupted one plus one.
   */
  public void taskStarted(
      String runId, String taskId, int attempt, int slot, Instant at, String logPath) {
    Objects.requireNonNull(at, "at");
    requireWritable();
    AttemptKey key = new AttemptKey(runId, taskId, attempt);
    if (grouped && depth == 1 && !pendingStarts.containsKey(key)) {
      pendingStarts.put(key, new PendingStart(slot, at.toEpochMilli(), logPath));
      return;
    }
    write(
        "record the start of task " + taskId + " of run " + runId,
        () -> {
          writeStart(key, new PendingStart(slot, at.toEpochMilli(), logPath));
          return null;
        });
  }

  private void writeStart(AttemptKey key, PendingStart start) throws SQLException {
    String runId = key.runId();
    String taskId = key.taskId();
    int attempt = key.attempt();
    PreparedStatement ps =
        statement(
            "UPDATE tasks SET state = 'running', attempts = ?, slot = ?, started_at = ?,"
                + " ended_at = NULL, exit_code = NULL, reason = NULL, log_path = ?"
                + " WHERE run_id = ? AND task_id = ? AND attempts = ? AND state IN "
                + FROM_STATES.get(TaskState.RUNNING));
    ps.setInt(1, attempt);
    ps.setInt(2, start.slot());
    ps.setLong(3, start.at());
    ps.setString(4, start.logPath());
    ps.setString(5, runId);
    ps.setString(6, taskId);
    ps.setInt(7, attempt - 1);
    if (ps.executeUpdate() == 0) {
      throw refused(runId, taskId, TaskState.RUNNING, attempt - 1, false);
    }
    PreparedStatement insert =
        statement(
            "INSERT INTO attempts (run_id, task_id, attempt, slot, started_at, state,"
                + " log_path) VALUES (?, ?, ?, ?, ?, 'running', ?)");
    insert.setString(1, runId);
    insert.setString(2, taskId);
    insert.setInt(3, attempt);
    insert.setInt(4, start.slot());
    insert.setLong(5, start.at());
    insert.setString(6, start.logPath());
    insert.executeUpdate();
  }

  /** Writes the starts {@link #taskStarted} kept back, in the order they came. */
  private void writePendingStarts() throws SQLException {
    for (var first = pendingStarts.pollFirstEntry();
        first != null;
        first = pendingStarts.pollFirstEntry()) {
      writeStart(first.getKey(), first.getValue());
    }
  }

  /** A start kept back and its end, as the task and attempt rows they make together. */
  private void writeStartAndEnd(
      AttemptKey key,
      PendingStart start,
      long endedAt,
      Integer exitCode,
      TaskState state,
      String reason,
      Long outputBytes)
      throws SQLException {
    PreparedStatement ps =
        statement(
            "UPDATE tasks SET state = ?, attempts = ?, slot = ?, started_at = ?, ended_at = ?,"
                + " exit_code = ?, reason = ?, log_path = ?"
                + " WHERE run_id = ? AND task_id = ? AND attempts = ? AND state IN "
                + FROM_STATES.get(TaskState.RUNNING));
    ps.setString(1, state.label());
    ps.setInt(2, key.attempt());
    ps.setInt(3, start.slot());
    ps.setLong(4, start.at());
    ps.setLong(5, endedAt);
    setInteger(ps, 6, exitCode);
    ps.setString(7, reason);
    ps.setString(8, start.logPath());
    ps.setString(9, key.runId());
    ps.setString(10, key.taskId());
    ps.setInt(11, key.attempt() - 1);
    if (ps.executeUpdate() == 0) {
      throw refused(key.runId(), key.taskId(), TaskState.RUNNING, key.attempt() - 1, false);
    }
    PreparedStatement insert =
        statement(
            "INSERT INTO attempts (run_id, task_id, attempt, slot, started_at, ended_at,"
                + " exit_code, state, reason, log_path, output_bytes)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.setString(1, key.runId());
    insert.setString(2, key.taskId());
    insert.setInt(3, key.attempt());
    insert.setInt(4, start.slot());
    insert.setLong(5, start.at());
    insert.setLong(6, endedAt);
    setInteger(insert, 7, exitCode);
    insert.setString(8, state.label());
    insert.setString(9, reason);
    insert.setString(10, start.logPath());
    setLong(insert, 11, outputBytes);
    insert.executeUpdate();
  }

  /**
   * Like {@link #taskEnded(String, String, int, Instant, Integer, TaskState, String, Long)}, its
   * output not counted.
   */
  public void taskEnded(
      String runId,
      String taskId,
      int attempt,
      Instant at,
      Integer exitCode,
      TaskState state,
      String reason) {
    taskEnded(runId, taskId, attempt, at, exitCode, state, reason, null);
  }

  /**
   * Records how the running attempt {@code attempt} ended, on the task and on the attempt: {@code
   * SUCCEEDED} or {@code FAILED} (then {@link #setTaskState} to {@code PENDING} for a retry).
   *
   * @param outputBytes how many bytes of output it printed to its log, or null if not counted
   */
  public void taskEnded(
      String runId,
      String taskId,
      int attempt,
      Instant at,
      Integer exitCode,
      TaskState state,
      String reason,
      Long outputBytes) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(state, "state");
    TaskState.RUNNING.moveTo(state);
    AttemptKey key = new AttemptKey(runId, taskId, attempt);
    PendingStart start = pendingStarts.remove(key);
    if (start != null) {
      writeKeepingStarts(
          "record the start and end of task " + taskId + " of run " + runId,
          () -> {
            writeStartAndEnd(key, start, at.toEpochMilli(), exitCode, state, reason, outputBytes);
            return null;
          });
      return;
    }
    writeKeepingStarts(
        "record the end of task " + taskId + " of run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "UPDATE tasks SET state = ?, ended_at = ?, exit_code = ?, reason = ?"
                      + " WHERE run_id = ? AND task_id = ? AND attempts = ? AND state = 'running'");
          ps.setString(1, state.label());
          ps.setLong(2, at.toEpochMilli());
          setInteger(ps, 3, exitCode);
          ps.setString(4, reason);
          ps.setString(5, runId);
          ps.setString(6, taskId);
          ps.setInt(7, attempt);
          if (ps.executeUpdate() == 0) {
            throw refused(runId, taskId, state, attempt, /* fromRunning= */ true);
          }
          PreparedStatement end =
              statement(
                  "UPDATE attempts SET ended_at = ?, exit_code = ?, state = ?, reason = ?,"
                      + " output_bytes = ? WHERE run_id = ? AND task_id = ? AND attempt = ?");
          end.setLong(1, at.toEpochMilli());
          setInteger(end, 2, exitCode);
          end.setString(3, state.label());
          end.setString(4, reason);
          setLong(end, 5, outputBytes);
          end.setString(6, runId);
          end.setString(7, taskId);
          end.setInt(8, attempt);
          requireRow(end.executeUpdate(), "no attempt " + attempt + " of task " + taskId);
          return null;
        });
  }

  /**
   * Moves a task that is not running to {@code state} (blocked, skipped, reset to pending, restored
   * as succeeded), with the reason shown to the user. Starting a task is {@link #taskStarted}.
   */
  public void setTaskState(String runId, String taskId, TaskState state, String reason) {
    Objects.requireNonNull(state, "state");
    if (state == TaskState.RUNNING) {
      throw new IllegalArgumentException("a task starts through taskStarted: " + taskId);
    }
    write(
        "set the state of task " + taskId + " of run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "UPDATE tasks SET state = ?, reason = ? WHERE run_id = ? AND task_id = ?"
                      + " AND state IN "
                      + FROM_STATES.get(state));
          ps.setString(1, state.label());
          ps.setString(2, reason);
          ps.setString(3, runId);
          ps.setString(4, taskId);
          if (ps.executeUpdate() == 0) {
            throw refused(runId, taskId, state, -1, false);
          }
          return null;
        });
  }

  /**
   * Moves every {@code RUNNING} task of the run back to {@code PENDING}, so it runs again, and
   * marks its open attempt interrupted; appends a {@value #EVENT_TASK_INTERRUPTED} event for each.
   * Call it, holding the lock, on a run whose process died before resuming it.
   *
   * @return the tasks it moved, as they now are
   */
  public List<TaskRecord> recoverInterrupted(String runId, Instant at) {
    return write(
        "recover the interrupted tasks of run " + runId,
        () -> {
          PreparedStatement running =
              statement(
                  "SELECT "
                      + TASK_COLUMNS
                      + " FROM tasks WHERE run_id = ? AND state = 'running' ORDER BY ord");
          running.setString(1, runId);
          List<TaskRecord> recovered = new ArrayList<>();
          for (TaskRecord t : all(running, Store::taskRow)) {
            PreparedStatement task =
                statement(
                    "UPDATE tasks SET state = 'pending', reason = ? WHERE run_id = ? AND task_id = ?");
            task.setString(1, INTERRUPTED);
            task.setString(2, runId);
            task.setString(3, t.taskId());
            task.executeUpdate();
            PreparedStatement attempt =
                statement(
                    "UPDATE attempts SET state = 'pending', reason = ?"
                        + " WHERE run_id = ? AND task_id = ? AND attempt = ? AND state = 'running'");
            attempt.setString(1, INTERRUPTED);
            attempt.setString(2, runId);
            attempt.setString(3, t.taskId());
            attempt.setInt(4, t.attempts());
            attempt.executeUpdate();
            insertEvent(
                runId,
                at,
                EVENT_TASK_INTERRUPTED,
                t.taskId(),
                toJson(Map.of("attempt", t.attempts())));
            recovered.add(t.withState(TaskState.PENDING, INTERRUPTED));
          }
          return recovered;
        });
  }

  /** Every attempt of the run, in the order they started. */
  public List<AttemptRecord> attempts(String runId) {
    return read(
        "read the attempts of run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "SELECT "
                      + ATTEMPT_COLUMNS
                      + " FROM attempts a JOIN tasks t USING (run_id, task_id)"
                      + " WHERE a.run_id = ? ORDER BY a.started_at, t.ord, a.attempt");
          ps.setString(1, runId);
          return all(ps, Store::attemptRow);
        });
  }

  /** Every attempt of one task of the run, in order. */
  public List<AttemptRecord> attempts(String runId, String taskId) {
    return read(
        "read the attempts of task " + taskId + " of run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "SELECT "
                      + ATTEMPT_COLUMNS
                      + " FROM attempts a WHERE a.run_id = ? AND a.task_id = ? ORDER BY a.attempt");
          ps.setString(1, runId);
          ps.setString(2, taskId);
          return all(ps, Store::attemptRow);
        });
  }

  /** Explains why a task update matched no row, as a state-table or not-found error. */
  private RuntimeException refused(
      String runId, String taskId, TaskState to, int attempt, boolean fromRunning) {
    Optional<TaskRecord> found = task(runId, taskId);
    if (found.isEmpty()) {
      return new StoreException(dbFile + ": no task " + taskId + " in run " + runId);
    }
    TaskRecord t = found.get();
    if (fromRunning && t.state() != TaskState.RUNNING) {
      return new IllegalStateException(
          "task "
              + taskId
              + " of run "
              + runId
              + " is "
              + t.state()
              + ", not RUNNING: cannot end"
              + " attempt "
              + attempt
              + " as "
              + to);
    }
    if (!t.state().canMoveTo(to)) {
      return new IllegalStateException(
          "task " + taskId + " of run " + runId + " cannot move from " + t.state() + " to " + to);
    }
    return new IllegalStateException(
        "task "
            + taskId
            + " of run "
            + runId
            + " is at attempt "
            + t.attempts()
            + ", not "
            + attempt);
  }

  // ---------------------------------------------------------------- events

  /**
   * Appends an event to the audit trail; events are never changed or removed.
   *
   * @param taskId the task it is about, or null
   * @param dataJson a JSON document, or null
   * @return its sequence number
   */
  public long appendEvent(String runId, Instant at, String type, String taskId, String dataJson) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(type, "type");
    return write(
        "append a " + type + " event", () -> insertEvent(runId, at, type, taskId, dataJson));
  }

  /**
   * Like {@link #appendEvent(String, Instant, String, String, String)}, the data as JSON, without
   * reading back the sequence number (one statement less per event: the runner appends several per
   * task).
   */
  public void appendEventData(
      String runId, Instant at, String type, String taskId, Map<String, ?> data) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(type, "type");
    String json = toJson(data);
    SqlWork<Void> insert =
        () -> {
          requireWritable();
          PreparedStatement ps =
              statement(
                  "INSERT INTO events (run_id, at, type, task_id, data) VALUES (?, ?, ?, ?, ?)");
          bindEvent(ps, runId, at, type, taskId, json);
          ps.executeUpdate();
          return null;
        };
    writeKeepingStarts("append a " + type + " event", insert);
  }

  /**
   * A write about rows that no start {@link #taskStarted} kept back is about: an event, or a task's
   * end (which takes its own start along). Other starts stay kept back.
   */
  private void writeKeepingStarts(String what, SqlWork<Void> work) {
    if (depth > 0) {
      run(what, work);
    } else {
      write(what, work);
    }
  }

  /** {@code data} as a JSON object, or null when there is none. */
  public static String toJson(Map<String, ?> data) {
    if (data == null || data.isEmpty()) {
      return null;
    }
    // Streamed: the runner writes several small flat objects per task, and a generator is a
    // fraction of the cost of a databind call (which sets up a serializer provider each time).
    java.io.StringWriter out = new java.io.StringWriter(64);
    try (com.fasterxml.jackson.core.JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, ?> e : data.entrySet()) {
        g.writeFieldName(e.getKey());
        // instanceof, not a pattern switch: that one is linked by generating a class at run time
        Object v = e.getValue();
        if (v == null) {
          g.writeNull();
        } else if (v instanceof String x) {
          g.writeString(x);
        } else if (v instanceof Integer x) {
          g.writeNumber(x);
        } else if (v instanceof Long x) {
          g.writeNumber(x);
        } else if (v instanceof Double x) {
          g.writeNumber(x);
        } else if (v instanceof Boolean x) {
          g.writeBoolean(x);
        } else {
          Json.MAPPER.writeValue(g, v); // nested values: databind
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalArgumentException("event data is not JSON-serializable: " + data, e);
    }
    return out.toString();
  }

  private long insertEvent(String runId, Instant at, String type, String taskId, String dataJson)
      throws SQLException {
    requireWritable();
    PreparedStatement ps =
        statement(
            "INSERT INTO events (run_id, at, type, task_id, data) VALUES (?, ?, ?, ?, ?)"
                + " RETURNING seq");
    bindEvent(ps, runId, at, type, taskId, dataJson);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void bindEvent(
      PreparedStatement ps, String runId, Instant at, String type, String taskId, String dataJson)
      throws SQLException {
    ps.setString(1, runId);
    ps.setLong(2, at.toEpochMilli());
    ps.setString(3, type);
    ps.setString(4, taskId);
    ps.setString(5, dataJson);
  }

  /** Up to {@code limit} events of the run with a sequence number above {@code afterSeq}. */
  public List<EventRecord> events(String runId, long afterSeq, int limit) {
    return read(
        "read the events of run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "SELECT "
                      + EVENT_COLUMNS
                      + " FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?");
          ps.setString(1, runId);
          ps.setLong(2, afterSeq);
          ps.setInt(3, limit);
          return all(ps, Store::eventRow);
        });
  }

  /** Every event of the run of one of {@code types}, in order. */
  public List<EventRecord> events(String runId, java.util.Collection<String> types) {
    if (types.isEmpty()) {
      return List.of();
    }
    String marks = String.join(", ", java.util.Collections.nCopies(types.size(), "?"));
    return read(
        "read the events of run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "SELECT "
                      + EVENT_COLUMNS
                      + " FROM events WHERE run_id = ? AND type IN ("
                      + marks
                      + ") ORDER BY seq");
          ps.setString(1, runId);
          int i = 2;
          for (String type : types) {
            ps.setString(i++, type);
          }
          return all(ps, Store::eventRow);
        });
  }

  /** Up to {@code limit} events of any run with a sequence number above {@code afterSeq}. */
  public List<EventRecord> events(long afterSeq, int limit) {
    return read(
        "read events",
        () -> {
          PreparedStatement ps =
              statement(
                  "SELECT " + EVENT_COLUMNS + " FROM events WHERE seq > ? ORDER BY seq LIMIT ?");
          ps.setLong(1, afterSeq);
          ps.setInt(2, limit);
          return all(ps, Store::eventRow);
        });
  }

  /** Every event about one task of a run, in order. */
  public List<EventRecord> taskEvents(String runId, String taskId) {
    return read(
        "read the events of task " + taskId + " of run " + runId,
        () -> {
          PreparedStatement ps =
              statement(
                  "SELECT "
                      + EVENT_COLUMNS
                      + " FROM events WHERE run_id = ? AND task_id = ? ORDER BY seq");
          ps.setString(1, runId);
          ps.setString(2, taskId);
          return all(ps, Store::eventRow);
        });
  }

  /** The sequence number of the newest event of any run, 0 when there is none. */
  public long lastEventSeq() {
    return read(
        "read the last event's sequence number",
        () -> {
          try (ResultSet rs =
              statement("SELECT coalesce(max(seq), 0) FROM events").executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  // ---------------------------------------------------------------- transactions

  /**
   * Runs {@code body} in one transaction: all of its writes commit together when it returns, and
   * none do if it throws (the exception is rethrown). A call inside another joins it as a
   * savepoint: its writes commit with the outer transaction, and are undone alone if its body
   * throws.
   */
  public void transaction(Runnable body) {
    Objects.requireNonNull(body, "body");
    inTransaction(
        "commit a transaction",
        /* savepoint= */ true,
        () -> {
          body.run();
          return null;
        });
  }

  /**
   * Opens a transaction that stays open across calls until {@link #commit()} or {@link
   * #rollback()}: the runner's group commit, which records the ends and starts of many short tasks
   * in one commit. Writes meanwhile join it, and {@link #transaction} calls become savepoints.
   *
   * @throws IllegalStateException if a transaction is open already
   */
  public void begin() {
    requireWritable();
    if (depth > 0) {
      throw new IllegalStateException("a transaction is open already");
    }
    sql("begin a transaction", () -> statement("BEGIN IMMEDIATE").execute());
    depth = 1;
    grouped = true;
  }

  /** Commits the transaction {@link #begin()} opened. */
  public void commit() {
    requireOpenedByBegin();
    sql("commit a transaction", () -> statement("COMMIT").execute());
    depth = 0;
    grouped = false;
  }

  /** Undoes every write since {@link #begin()}; quiet if SQLite already rolled back. */
  public void rollback() {
    requireOpenedByBegin();
    depth = 0;
    grouped = false;
    pendingStarts.clear();
    try {
      statement("ROLLBACK").execute();
    } catch (SQLException e) {
      // an I/O error or a full disk made SQLite roll back already
    }
  }

  private void requireOpenedByBegin() {
    if (depth != 1) {
      throw new IllegalStateException(
          depth == 0 ? "no transaction is open" : "a nested transaction is still open");
    }
  }

  /** Whether a {@link #transaction} is open. */
  public boolean inTransaction() {
    return depth > 0;
  }

  /**
   * A write of one statement or several: outside a transaction, all of it commits together or none
   * does; inside one, it joins it without a savepoint of its own (two statements less per write;
   * the runner makes several per task): a write's checks come before its first change, and a
   * failure after that fails the whole transaction.
   */
  private <T> T write(String what, SqlWork<T> work) {
    return inTransaction(what, /* savepoint= */ false, work);
  }

  private <T> T inTransaction(String what, boolean savepoint, SqlWork<T> work) {
    requireWritable();
    if (depth > 0 && !savepoint) {
      // One statement is atomic by itself: a failing one leaves the database as it was.
      return sql(what, work);
    }
    String begin = depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT braid_" + depth;
    String commit = depth == 0 ? "COMMIT" : "RELEASE braid_" + depth;
    String rollback = depth == 0 ? "ROLLBACK" : "ROLLBACK TO braid_" + depth;
    sql(what, () -> statement(begin).execute());
    depth++;
    boolean done = false;
    try {
      T result = sql(what, work);
      sql(what, () -> statement(commit).execute());
      done = true;
      return result;
    } finally {
      depth--;
      if (!done) {
        try {
          statement(rollback).execute();
          if (depth > 0) {
            statement(commit).execute();
          }
        } catch (SQLException e) {
          // SQLite rolled back already (an I/O error or a full disk); the caller sees the first
          // error.
        }
      }
    }
  }

  // ---------------------------------------------------------------- plumbing

  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> T read(String what, SqlWork<T> work) {
    return sql(what, work);
  }

  /** Runs statements, after the starts {@link #taskStarted} kept back. */
  private <T> T sql(String what, SqlWork<T> work) {
    try {
      writePendingStarts();
      return work.run();
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private <T> T run(String what, SqlWork<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private StoreException failure(String what, SQLException e) {
    return new StoreException(dbFile + ": cannot " + what + ": " + e.getMessage(), e);
  }

  private void requireWritable() {
    if (readOnly) {
      throw new StoreException(dbFile + ": opened read-only");
    }
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  private void requireRow(int updated, String message) {
    if (updated == 0) {
      throw new StoreException(dbFile + ": " + message);
    }
  }

  private static <T> Optional<T> first(PreparedStatement ps, RowMapper<T> mapper)
      throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
    }
  }

  private static <T> List<T> all(PreparedStatement ps, RowMapper<T> mapper) throws SQLException {
    List<T> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(mapper.map(rs));
      }
    }
    return rows;
  }

  private static RunRecord runRow(ResultSet rs) throws SQLException {
    return new RunRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        RunStatus.fromLabel(rs.getString(4)),
        rs.getInt(5),
        Instant.ofEpochMilli(rs.getLong(6)),
        instant(rs, 7),
        rs.getString(8),
        rs.getLong(9));
  }

  private static TaskRecord taskRow(ResultSet rs) throws SQLException {
    return new TaskRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        TaskState.fromLabel(rs.getString(4)),
        rs.getInt(5),
        integer(rs, 6),
        instant(rs, 7),
        instant(rs, 8),
        integer(rs, 9),
        rs.getString(10),
        rs.getString(11));
  }

  private static AttemptRecord attemptRow(ResultSet rs) throws SQLException {
    return new AttemptRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getInt(4),
        Instant.ofEpochMilli(rs.getLong(5)),
        instant(rs, 6),
        integer(rs, 7),
        TaskState.fromLabel(rs.getString(8)),
        rs.getString(9),
        rs.getString(10),
        longOrNull(rs, 11));
  }

  private static EventRecord eventRow(ResultSet rs) throws SQLException {
    return new EventRecord(
        rs.getLong(1),
        rs.getString(2),
        Instant.ofEpochMilli(rs.getLong(3)),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    long ms = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
  }

  private static Long longOrNull(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Integer integer(ResultSet rs, int column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  private static void setInstant(PreparedStatement ps, int index, Instant value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setLong(index, value.toEpochMilli());
    }
  }

  private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setLong(index, value);
    }
  }

  private static void setInteger(PreparedStatement ps, int index, Integer value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }

  /** Closes the connection; a transaction still open is rolled back. Closing twice does nothing. */
  @Override
  public void close() {
    pendingStarts.clear(); // with the transaction they were part of
    SQLException first = null;
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    statements.clear();
    try {
      connection.close();
    } catch (SQLException e) {
      first = first == null ? e : first;
    }
    if (first != null) {
      throw new StoreException(dbFile + ": cannot close: " + first.getMessage(), first);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Already failing with a better message.
    }
  }

  @Override
  public String toString() {
    return "Store[" + dbFile + (readOnly ? ", read-only" : "") + "]";
  }
}
