package dev.braid.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Waits for files of a directory to change, for the {@code --follow} commands: the caller sleeps in
 * the OS's file-change notification, not in a polling loop. The wait is bounded so that a follower
 * also notices what no notification reports (a writer on another file system).
 */
public final class DirectoryWatch implements AutoCloseable {

  private final WatchService watch;
  private final Set<Path> watched = new HashSet<>();

  public DirectoryWatch(Path dir) {
    try {
      this.watch = dir.getFileSystem().newWatchService();
      register(watch, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    watched.add(dir);
  }

  /** Registers {@code dir} with {@code watch} for the changes a follower waits for. */
  public static void register(WatchService watch, Path dir) throws IOException {
    dir.register(
        watch,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
  }

  /**
   * Watches {@code dir} too, once it exists (a run's log directory appears with its first log); a
   * directory already watched is not registered again.
   */
  public void add(Path dir) {
    if (watched.contains(dir) || !Files.isDirectory(dir)) {
      return;
    }
    try {
      register(watch, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    watched.add(dir);
  }

  /** Returns when something in the directory changed, or after {@code atMost}. */
  public void await(Duration atMost) throws InterruptedException {
    try {
      WatchKey key = watch.poll(atMost.toMillis(), TimeUnit.MILLISECONDS);
      if (key != null) {
        key.pollEvents();
        key.reset();
      }
    } catch (ClosedWatchServiceException e) {
      // closed while waiting: the follower is stopping
    }
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
