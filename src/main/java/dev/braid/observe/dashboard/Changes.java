package dev.braid.observe.dashboard;

import dev.braid.observe.DirectoryWatch;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells the dashboard's streams that something in the state directory (the database's WAL) or a log
 * directory changed. One thread sleeps in the OS's file-change notification and wakes every waiting
 * stream; streams wait with a bound, so they also notice what no notification reports (a directory
 * created after it was asked for, a writer on another file system).
 */
final class Changes implements AutoCloseable {

  static final Duration BOUND = Duration.ofSeconds(1);

  private final WatchService watch;
  private final Set<Path> wanted = ConcurrentHashMap.newKeySet();
  private final Set<Path> registered = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  // A lock rather than a monitor: streams wait on virtual threads, which a monitor pins on JDK 21.
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition change = lock.newCondition();
  private long generation;
  private boolean closed;

  Changes(Path stateDir) {
    try {
      this.watch = stateDir.getFileSystem().newWatchService();
    } catch (IOException e) {
      throw new DashboardException("cannot watch " + stateDir + ": " + e.getMessage(), e);
    }
    wanted.add(stateDir.toAbsolutePath().normalize());
    registerWanted();
    thread = Thread.ofPlatform().daemon().name("braid-dashboard-watch").start(this::loop);
  }

  /** Also reports changes in {@code dir} (once it exists). */
  void watch(Path dir) {
    if (wanted.add(dir.toAbsolutePath().normalize())) {
      registerWanted();
    }
  }

  long generation() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns when something changed after {@code seen} (a {@link #generation()}), after {@link
   * #BOUND}, or at once when closed.
   */
  void await(long seen) throws InterruptedException {
    lock.lock();
    try {
      long left = BOUND.toNanos();
      while (!closed && generation == seen && left > 0) {
        left = change.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = watch.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
          changed();
        } else if (registered.size() < wanted.size()) {
          registerWanted();
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closing
    }
  }

  private void changed() {
    lock.lock();
    try {
      generation++;
      change.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void registerWanted() {
    for (Path dir : wanted) {
      if (!registered.contains(dir) && Files.isDirectory(dir)) {
        try {
          DirectoryWatch.register(watch, dir);
          registered.add(dir);
          changed();
        } catch (IOException | ClosedWatchServiceException e) {
          // gone again or closing: the bounded waits still notice changes
        }
      }
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      change.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      watch.close();
    } catch (IOException e) {
      // nothing left to release
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
