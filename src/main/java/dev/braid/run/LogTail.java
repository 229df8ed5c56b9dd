package dev.braid.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Passes what a task appends to its log on to a listener, line by line. The log file is where
 * output goes first (written by the task itself, or by braid-spawn from the task's pipe), so lines
 * are read back from it: by a timer while the task runs and once more, to the end, when it has
 * ended. A log that does not exist is empty.
 */
final class LogTail {

  private static final int MAX_LINE = 64 * 1024;

  private final Path log;
  private final OutputListener listener;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private ByteBuffer buf; // allocated on the first output: most short tasks print nothing
  private long offset;
  private long seen = -1; // the size pending() saw, so that end() need not open an empty tail
  private boolean broken;
  private boolean ended;

  /** Tails {@code log} from {@code offset}: earlier attempts' output is not passed on. */
  LogTail(Path log, long offset, OutputListener listener) {
    this.log = log;
    this.offset = offset;
    this.listener = listener;
  }

  /** The log's size now, where a tail of what comes next starts: one stat, 0 if there is none. */
  static long sizeOf(Path log) {
    return log.toFile().length(); // unlike Files.size, no exception for a log not written yet
  }

  /** Passes on the complete lines appended since the last call; returns whether there were any. */
  synchronized boolean poll() {
    return !ended && read();
  }

  /** Passes on everything left, an unterminated last line included; later calls do nothing. */
  synchronized void end() {
    if (ended) {
      return;
    }
    if (seen != offset) { // the command has ended: what pending() saw is all there is
      read();
    }
    if (partial.size() > 0) {
      deliver();
    }
    ended = true;
  }

  /** How many bytes the log holds that were not passed on yet (one stat). */
  synchronized long pending() {
    if (ended) {
      return 0;
    }
    seen = sizeOf(log);
    return Math.max(0, seen - offset);
  }

  private boolean read() {
    long before = offset;
    if (sizeOf(log) <= offset) {
      return false; // nothing new, or no log yet: braid-spawn creates it with the first output
    }
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
      if (buf == null) {
        buf = ByteBuffer.allocate(64 * 1024);
      }
      int n;
      while ((n = ch.read(buf.clear(), offset)) > 0) {
        offset += n;
        if (!broken) {
          split(buf.array(), n);
        }
      }
    } catch (IOException e) {
      // no log (yet): nothing to pass on
    }
    return offset > before;
  }

  private void split(byte[] b, int n) {
    int from = 0;
    for (int i = 0; i < n && !broken; i++) {
      if (b[i] == '\n') {
        int end = i > from && b[i - 1] == '\r' ? i - 1 : i;
        partial.write(b, from, end - from);
        deliver();
        from = i + 1;
      }
    }
    if (broken) {
      return;
    }
    partial.write(b, from, n - from);
    if (partial.size() >= MAX_LINE) {
      deliver(); // an endless line is passed on in pieces
    }
  }

  private void deliver() {
    String line = partial.toString(StandardCharsets.UTF_8);
    partial.reset();
    try {
      listener.onLine(line);
    } catch (RuntimeException e) {
      broken = true; // a broken listener must not break the task
    }
  }
}
