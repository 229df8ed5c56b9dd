package dev.braid.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;

/** Another run holds the state directory's lock; the message names its pid and start time. */
public final class LockedException extends StoreException {

  private final transient Path stateDir;
  private final OptionalLong holderPid;
  private final transient Instant startedAt;

  LockedException(String message, Path stateDir, OptionalLong holderPid) {
    this(message, stateDir, holderPid, null);
  }

  LockedException(String message, Path stateDir, OptionalLong holderPid, Instant startedAt) {
    super(message);
    this.stateDir = stateDir;
    this.holderPid = holderPid;
    this.startedAt = startedAt;
  }

  public Path stateDir() {
    return stateDir;
  }

  /** The holder's pid, when it had written it (it writes it just after taking the lock). */
  public OptionalLong holderPid() {
    return holderPid;
  }

  /** When the holder took the lock, as its file says; null when it does not say. */
  Instant startedAt() {
    return startedAt;
  }

  static String describe(Path stateDir, OptionalLong pid, Instant started, boolean thisProcess) {
    StringBuilder who = new StringBuilder("another braid run (");
    who.append(pid.isPresent() ? "pid " + pid.getAsLong() : "pid unknown");
    if (started != null) {
      who.append(", started ").append(RunLock.TIME.format(started));
    }
    if (thisProcess) {
      who.append(", in this process");
    }
    return who.append(") is using ").append(stateDir).append('/').toString();
  }
}
