package dev.braid.store;

import java.util.List;

/**
 * The database's schema as a list of migrations: migration {@code i} takes {@code PRAGMA
 * user_version} from {@code i} to {@code i + 1}. Append new versions; never edit a shipped one.
 */
final class Schema {

  /** "Brd1" in {@code PRAGMA application_id}: tells a Braid database from any other SQLite file. */
  static final int APPLICATION_ID = 0x42726431;

  static final List<List<String>> MIGRATIONS =
      List.of(
          // v1: runs, their tasks and attempts, and the append-only audit trail.
          List.of(
              """
              CREATE TABLE runs (
                run_id        TEXT PRIMARY KEY,
                manifest_path TEXT NOT NULL,
                manifest_hash TEXT NOT NULL,
                status        TEXT NOT NULL,
                agents        INTEGER NOT NULL,
                started_at    INTEGER NOT NULL,
                ended_at      INTEGER,
                options       TEXT CHECK (options IS NULL OR json_valid(options)),
                pid           INTEGER NOT NULL
              ) STRICT""",
              "CREATE INDEX runs_by_start ON runs (started_at)",
              "CREATE INDEX runs_by_manifest ON runs (manifest_path, started_at)",
              """
              CREATE TABLE tasks (
                run_id          TEXT NOT NULL REFERENCES runs (run_id),
                task_id         TEXT NOT NULL,
                ord             INTEGER NOT NULL,
                definition_hash TEXT NOT NULL,
                state           TEXT NOT NULL,
                attempts        INTEGER NOT NULL,
                slot            INTEGER,
                started_at      INTEGER,
                ended_at        INTEGER,
                exit_code       INTEGER,
                reason          TEXT,
                log_path        TEXT,
                PRIMARY KEY (run_id, task_id)
              ) STRICT""",
              "CREATE INDEX tasks_by_ord ON tasks (run_id, ord)",
              """
              CREATE TABLE attempts (
                run_id     TEXT NOT NULL,
                task_id    TEXT NOT NULL,
                attempt    INTEGER NOT NULL,
                slot       INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                ended_at   INTEGER,
                exit_code  INTEGER,
                state      TEXT NOT NULL,
                reason     TEXT,
                log_path   TEXT,
                PRIMARY KEY (run_id, task_id, attempt),
                FOREIGN KEY (run_id, task_id) REFERENCES tasks (run_id, task_id)
              ) STRICT""",
              """
              CREATE TABLE events (
                seq     INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id  TEXT NOT NULL REFERENCES runs (run_id),
                at      INTEGER NOT NULL,
                type    TEXT NOT NULL,
                task_id TEXT,
                data    TEXT CHECK (data IS NULL OR json_valid(data))
              ) STRICT""",
              "CREATE INDEX events_by_run ON events (run_id, seq)",
              """
              CREATE TRIGGER events_no_update BEFORE UPDATE ON events
              BEGIN SELECT RAISE(ABORT, 'events are append-only'); END""",
              """
              CREATE TRIGGER events_no_delete BEFORE DELETE ON events
              BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"""),
          // v2: a task that left the plan when its run was resumed stays recorded (its attempts
          // refer to it, and it may come back), with the time it left; readers leave it out.
          List.of("ALTER TABLE tasks ADD COLUMN removed_at INTEGER"),
          // v3: how many bytes of output an attempt printed, so that `braid logs` tells a silent
          // task (braid-spawn creates no log for it) from a lost log; NULL: not counted.
          List.of("ALTER TABLE attempts ADD COLUMN output_bytes INTEGER"),
          // v4: what the plan predicted when the run started, so that its report does not depend
          // on the plan file as it is later (edited, gone, or marked done by Braid's write-back).
          List.of(
              "ALTER TABLE runs ADD COLUMN predicted_minutes REAL",
              "ALTER TABLE runs ADD COLUMN predicted_savings_percent REAL",
              "ALTER TABLE tasks ADD COLUMN est_minutes REAL"));

  static int latestVersion() {
    return MIGRATIONS.size();
  }

  private Schema() {}
}
