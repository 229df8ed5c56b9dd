package dev.braid.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive right of one runner to a state directory: an OS lock on {@code run.lock}. The OS
 * drops the lock when the holding process dies, however it dies, so a crashed runner never leaves
 * it stuck. The file also names the holder (pid and start time) for the message the next runner
 * prints; the file itself is never deleted, because deleting a lock file lets two processes lock
 * two different files of the same name.
 *
 * <p>Within one JVM the lock is tracked in a table before any channel is opened: on POSIX systems
 * closing any descriptor of a file drops every lock the process holds on it, so a second attempt
 * must not so much as open the file.
 */
public final class RunLock implements AutoCloseable {

  static final String FILE = "run.lock";
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private static final Map<Path, RunLock> HELD_HERE = new ConcurrentHashMap<>();

  private final Path stateDir;
  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;
  private final long pid;
  private final Instant startedAt;
  private boolean closed;

  private RunLock(
      Path stateDir, Path key, FileChannel channel, FileLock lock, long pid, Instant startedAt) {
    this.stateDir = stateDir;
    this.key = key;
    this.channel = channel;
    this.lock = lock;
    this.pid = pid;
    this.startedAt = startedAt;
  }

  /**
   * Takes the lock of {@code stateDir}, creating the directory if needed.
   *
   * @throws LockedException when another process, or another part of this one, holds it
   * @throws StoreException when the lock file cannot be used
   */
  static RunLock acquire(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    Path key;
    try {
      Files.createDirectories(stateDir);
      key = stateDir.toRealPath().resolve(FILE);
    } catch (IOException e) {
      throw new StoreException(file + ": cannot create the lock file: " + e, e);
    }
    RunLock[] created = new RunLock[1];
    RunLock holder =
        HELD_HERE.computeIfAbsent(
            key,
            k -> {
              created[0] = tryLock(stateDir, k, file);
              return created[0];
            });
    if (holder == null) {
      throw lockedBy(stateDir, file);
    }
    if (created[0] == null) {
      throw new LockedException(
          LockedException.describe(
              stateDir, OptionalLong.of(holder.pid), holder.startedAt, /* thisProcess= */ true),
          stateDir,
          OptionalLong.of(holder.pid));
    }
    return holder;
  }

  /** The lock, or null when another process holds it (computeIfAbsent then records nothing). */
  private static RunLock tryLock(Path stateDir, Path key, Path file) {
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        // Locked through some other channel of this JVM, not through RunLock.
        lock = null;
      }
      if (lock == null) {
        channel.close();
        return null;
      }
      long pid = ProcessHandle.current().pid();
      Instant now = Instant.now();
      String text = "pid=" + pid + "\nstarted=" + now.toEpochMilli() + "\nstartedAt=" + now + "\n";
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
      return new RunLock(stateDir, key, channel, lock, pid, now);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException(file + ": cannot lock: " + e, e);
    }
  }

  /** {@link Store#requireUnlocked}: the holder as {@link #acquire} finds it, read, not tried. */
  static void requireFree(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return;
    }
    Path key;
    try {
      key = stateDir.toRealPath().resolve(FILE);
    } catch (IOException e) {
      return; // the real run says what is wrong with the directory
    }
    RunLock here = HELD_HERE.get(key);
    if (here != null) {
      throw new LockedException(
          LockedException.describe(
              stateDir, OptionalLong.of(here.pid), here.startedAt, /* thisProcess= */ true),
          stateDir,
          OptionalLong.of(here.pid));
    }
    // A holder names itself in the file and empties it when it lets go; a crashed one leaves its
    // name behind, so the process must still be alive, and no younger than the lock (pid reuse).
    LockedException holder = lockedBy(stateDir, file);
    if (holder.holderPid().isPresent()
        && holder.startedAt() != null
        && RunnerProcess.alive(holder.holderPid().getAsLong(), holder.startedAt())) {
      throw holder;
    }
  }

  /** Reads who holds the lock; safe here because this process holds no lock on the file. */
  private static LockedException lockedBy(Path stateDir, Path file) {
    OptionalLong pid = OptionalLong.empty();
    Instant started = null;
    try {
      Properties p = new Properties();
      p.load(new java.io.StringReader(Files.readString(file, StandardCharsets.UTF_8)));
      String pidText = p.getProperty("pid");
      if (pidText != null) {
        pid = OptionalLong.of(Long.parseLong(pidText.trim()));
      }
      String startedText = p.getProperty("started");
      if (startedText != null) {
        started = Instant.ofEpochMilli(Long.parseLong(startedText.trim()));
      }
    } catch (NoSuchFileException | NumberFormatException e) {
      // The holder has not written its name yet, or wrote something else: say "pid unknown".
    } catch (IOException e) {
      // Same: the message is still right without the details.
    }
    return new LockedException(
        LockedException.describe(stateDir, pid, started, /* thisProcess= */ false),
        stateDir,
        pid,
        started);
  }

  /**
   * Whether process {@code pid} holds the lock of {@code stateDir} now, without touching the lock:
   * the lock file names it, and it is alive and no younger than the lock (a pid reused by a later
   * process is not the holder). For readers; a runner knows by {@link #acquire}.
   */
  public static boolean heldBy(Path stateDir, long pid) {
    Properties p = new Properties();
    try {
      p.load(new java.io.StringReader(Files.readString(stateDir.resolve(FILE))));
      if (Long.parseLong(p.getProperty("pid", "-1").trim()) != pid) {
        return false;
      }
      Instant locked = Instant.ofEpochMilli(Long.parseLong(p.getProperty("started", "0").trim()));
      return RunnerProcess.alive(pid, locked);
    } catch (IOException | NumberFormatException e) {
      return false; // no lock file, or not written by a runner
    }
  }

  public Path stateDir() {
    return stateDir;
  }

  public long pid() {
    return pid;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public synchronized boolean isHeld() {
    return !closed && lock.isValid();
  }

  /** Releases the lock; the next runner may take it. Closing twice does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.truncate(0);
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases the lock anyway.
    } finally {
      closeQuietly(channel);
      HELD_HERE.remove(key, this);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing left to do with it.
      }
    }
  }

  @Override
  public String toString() {
    return "RunLock[" + stateDir + ", pid " + pid + ", started " + startedAt + "]";
  }
}
