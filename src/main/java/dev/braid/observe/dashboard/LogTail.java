package dev.braid.observe.dashboard;

import com.sun.net.httpserver.HttpExchange;
import dev.braid.observe.EmptyLog;
import dev.braid.run.RunService;
import dev.braid.store.AttemptRecord;
import dev.braid.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * A task attempt's log, whole or tailing live. The file is the one the runner recorded for the
 * attempt: requests name a task of the run and an attempt number, never a path.
 */
final class LogTail {

  /** How much of a log's end a new viewer gets. */
  static final int TAIL_BYTES = 64 * 1024;

  private static final int CHUNK_BYTES = 256 * 1024;
  private static final long KEEP_ALIVE_NANOS = 15_000_000_000L;

  private final Changes changes;

  LogTail(Changes changes) {
    this.changes = changes;
  }

  /** The attempt asked for (the latest when {@code number} is null), if the task has it. */
  static Optional<AttemptRecord> attempt(Store store, String runId, String taskId, String number) {
    if (store.task(runId, taskId).isEmpty()) {
      return Optional.empty();
    }
    List<AttemptRecord> all = store.attempts(runId, taskId);
    if (all.isEmpty()) {
      return Optional.empty();
    }
    if (number == null) {
      return Optional.of(all.get(all.size() - 1));
    }
    long n = Http.number(number, -1);
    return all.stream().filter(a -> a.attempt() == n).findFirst();
  }

  static Path file(Store store, AttemptRecord a) {
    return a.logPath() != null
        ? Path.of(a.logPath())
        : RunService.logFile(store.stateDir(), a.runId(), a.taskId(), a.attempt());
  }

  /**
   * The whole log as plain text. A log that gave nothing is explained as {@code braid logs} does:
   * lost (the task printed something) is 410 Gone with the reason; otherwise an empty body, with
   * the reason in the {@code X-Braid-Empty-Log} header.
   */
  void whole(HttpExchange x, Store store, AttemptRecord a) throws IOException {
    Path log = file(store, a);
    if (size(log) == 0) {
      EmptyLog why = EmptyLog.of(store, a, log);
      x.getResponseHeaders().set("X-Braid-Empty-Log", why.kind().label());
      boolean lost = why.kind() == EmptyLog.Kind.LOST;
      Http.send(x, lost ? 410 : 200, "text/plain; charset=utf-8", lost ? why.message() + "\n" : "");
      return;
    }
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    try (InputStream in = Files.newInputStream(log)) {
      x.sendResponseHeaders(200, 0);
      try (OutputStream out = x.getResponseBody()) {
        in.transferTo(out);
      }
    }
    x.close();
  }

  /**
   * Streams the log as Server-Sent Events: first its last {@link #TAIL_BYTES} (or everything after
   * the client's {@code Last-Event-ID}, a byte offset), then what the task appends, then {@code
   * end} once the attempt is over.
   */
  void stream(HttpExchange x, Store store, AttemptRecord a) throws IOException {
    Path log = file(store, a);
    changes.watch(log.getParent());
    long size = size(log);
    String resume = x.getRequestHeaders().getFirst("Last-Event-ID");
    long offset = resume != null ? Math.min(Http.number(resume, 0), size) : 0;
    boolean tail = resume == null && size > TAIL_BYTES;
    if (tail) {
      offset = size - TAIL_BYTES;
    }
    long skipped = tail ? offset : 0;
    OutputStream out = Http.startEvents(x);
    try {
      boolean first = true;
      long quietSince = System.nanoTime();
      while (true) {
        long generation = changes.generation();
        boolean last = changes.isClosed();
        boolean running = EmptyLog.running(store, a);
        Chunk c = read(log, offset, first && tail, !running);
        if (c.bytes() > 0 || first) {
          Http.event(
              out,
              Long.toString(c.end()),
              "chunk",
              new Views.LogChunk(c.text(), c.start(), skipped + (c.start() - offset)));
          out.flush();
          offset = c.end();
          skipped = 0;
          first = false;
          quietSince = System.nanoTime();
          if (c.bytes() > 0) {
            continue;
          }
        }
        if (!running) {
          EmptyLog why = size(log) == 0 ? EmptyLog.of(store, a, log) : null;
          Http.event(
              out,
              null,
              "end",
              new Views.LogEnd(
                  a.attempt(),
                  why == null ? null : why.kind().label(),
                  why == null ? null : why.message()));
          out.flush();
          return;
        }
        if (last) {
          return;
        }
        if (System.nanoTime() - quietSince > KEEP_ALIVE_NANOS) {
          Http.keepAlive(out);
          quietSince = System.nanoTime();
        }
        changes.await(generation);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      out.close();
      x.close();
    }
  }

  private static long size(Path log) throws IOException {
    return Files.isRegularFile(log) ? Files.size(log) : 0;
  }

  /** Text read from {@code start} (after any skipped partial character) up to {@code end}. */
  private record Chunk(long start, long end, String text) {
    long bytes() {
      return end - start;
    }
  }

  /**
   * Reads up to {@link #CHUNK_BYTES} from {@code offset}, cut at a character boundary unless it
   * reaches the end of a log whose writer is done ({@code done}: a broken character there is shown
   * as such).
   */
  private static Chunk read(Path log, long offset, boolean midFile, boolean done)
      throws IOException {
    if (!Files.isRegularFile(log)) {
      return new Chunk(offset, offset, "");
    }
    byte[] buf;
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
      ch.position(offset);
      buf = Channels.newInputStream(ch).readNBytes(CHUNK_BYTES);
    }
    int from = 0;
    if (midFile) {
      while (from < buf.length && from < 3 && (buf[from] & 0xC0) == 0x80) {
        from++;
      }
    }
    boolean end = done && buf.length < CHUNK_BYTES;
    int to = end ? buf.length : completeLength(buf, from, buf.length);
    return new Chunk(
        offset + from, offset + to, new String(buf, from, to - from, StandardCharsets.UTF_8));
  }

  /** The length of {@code b[from..n)} without a UTF-8 sequence cut short at its end. */
  static int completeLength(byte[] b, int from, int n) {
    int i = n - 1;
    while (i >= from && n - i <= 4 && (b[i] & 0xC0) == 0x80) {
      i--;
    }
    if (i < from || n - i > 4) {
      return n;
    }
    int lead = b[i] & 0xff;
    int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return n - i >= need ? n : i;
  }
}
