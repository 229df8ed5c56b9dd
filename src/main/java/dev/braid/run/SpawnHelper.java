package dev.braid.run;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The JVM side of {@code braid-spawn} (src/main/resources/dev/braid/run/braid-spawn.c, which
 * documents the protocol): one long-lived helper process per {@link Launcher} that forks, setsids
 * and execs every task, so the JVM forks once instead of twice per task (the JDK's posix_spawn goes
 * through jspawnhelper).
 *
 * <p>The helper is compiled from the bundled C source with the system's C compiler on first use and
 * cached by the source's hash in the first of these directories it can be executed from ({@link
 * #cacheDirs}): {@code $XDG_CACHE_HOME/braid} (or {@code ~/.cache/braid}), {@code
 * $XDG_RUNTIME_DIR/braid}, then a private {@code braid-UID} in {@code $TMPDIR} (or {@code
 * java.io.tmpdir}). A cache on a {@code noexec} mount holds files that cannot be run: the build
 * goes to the next directory, where every later run finds it, so none pays the build again. Linux
 * only (it reaps orphans as a child subreaper). Without a compiler, without a directory to run it
 * from, or on another system {@link #binary()} is empty, {@link #unavailable()} says why, and the
 * launcher uses the JDK.
 */
final class SpawnHelper implements AutoCloseable {

  private static final String SOURCE = "braid-spawn.c";
  private static final String HELLO = "braid-spawn 4";

  private static Optional<Path> binary;

  /** Why there is no helper, for {@code --verbose}; null while nothing failed. */
  private static volatile String unavailable;

  /** How a task's command ended, as the helper saw it. */
  record LeaderExit(int code, boolean groupLeft) {}

  /** The helper could not start the task; the message says why, for people. */
  static final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    StartFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** A queued task that was cancelled, or lost with the helper, before it started. */
  static final class NotStarted extends Exception {
    private static final long serialVersionUID = 1L;

    NotStarted(String message) {
      super(message, null, false, false);
    }
  }

  /** One task's replies. */
  static final class Handle {
    final long id;
    final boolean queued;
    // The agent slot it started in (0: none); set before started completes, also on a failure.
    volatile int slot;
    // The helper's times, in microseconds since the epoch (0: not said): of the start, set before
    // started completes; of the moment the group was found empty, set before groupEmpty completes.
    volatile long startedUs;
    volatile long emptiedUs;
    // How many bytes the task printed, as of its X or D (-1: not said); final with groupEmpty.
    volatile long printed = -1;
    final CompletableFuture<Long> started = new CompletableFuture<>();
    final CompletableFuture<LeaderExit> exited = new CompletableFuture<>();
    final CompletableFuture<Void> groupEmpty = new CompletableFuture<>();

    Handle(long id, boolean queued, int slot) {
      this.id = id;
      this.queued = queued;
      this.slot = slot;
    }

    /** When the helper started the command, or failed to; now if it did not say. */
    Instant startedAt() {
      return instant(startedUs);
    }

    /**
     * How many bytes the task printed, which went to its log (created with the first): final once
     * {@link #groupEmpty} completed; empty if the helper did not say.
     */
    OptionalLong printedBytes() {
      long n = printed;
      return n >= 0 ? OptionalLong.of(n) : OptionalLong.empty();
    }

    /** When the helper found the command's group empty, if it said. */
    Optional<Instant> emptiedAt() {
      long us = emptiedUs;
      return us > 0 ? Optional.of(instant(us)) : Optional.empty();
    }

    private static Instant instant(long us) {
      return us > 0
          ? Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1_000)
          : Instant.now();
    }
  }

  private final Process process;
  private final OutputStream requests;
  private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean dead;

  private SpawnHelper(Process process) {
    this.process = process;
    this.requests = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
    InputStream replies = process.getInputStream();
    this.reader = new Thread(() -> readReplies(replies), "braid-spawn-replies");
    reader.setDaemon(true);
  }

  /** The compiled helper, built now if needed; empty where it cannot be had. Cached per JVM. */
  static synchronized Optional<Path> binary() {
    if (binary == null) {
      binary = locate();
    }
    return binary;
  }

  /** Why {@link #binary()} or the last {@link #start()} came to nothing, in words; null if not. */
  static String unavailable() {
    return unavailable;
  }

  /** Starts a helper and waits for its greeting; empty if that fails. */
  static Optional<SpawnHelper> start() {
    Optional<Path> bin = binary();
    if (bin.isEmpty()) {
      return Optional.empty();
    }
    try {
      Process p =
          new ProcessBuilder(bin.get().toString())
              .redirectError(Redirect.DISCARD)
              .redirectInput(Redirect.PIPE)
              .start();
      SpawnHelper helper = new SpawnHelper(p);
      String hello = readLine(p.getInputStream());
      if (!HELLO.equals(hello)) {
        p.destroyForcibly();
        unavailable = bin.get() + " did not answer as " + HELLO + " does";
        return Optional.empty();
      }
      helper.reader.start();
      return Optional.of(helper);
    } catch (IOException e) {
      unavailable = "cannot run " + bin.get() + ": " + e.getMessage();
      return Optional.empty();
    }
  }

  /** Reads the greeting byte by byte, so that nothing after it is buffered away from the reader. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      line.write(c);
    }
    return c < 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  boolean isDead() {
    return dead;
  }

  /**
   * What to start: {@code argv} (argv[0] an absolute path) in {@code cwd}, in a new session and
   * process group, stdin from {@code stdin} (null: /dev/null), output appended to {@code log}, with
   * {@code env} added to the helper's environment (which is Braid's).
   */
  record Request(
      long id, Path cwd, Path log, Path stdin, List<String> argv, Map<String, String> env) {}

  /**
   * Starts {@code r} now. With {@code slot} > 0 the task holds that agent slot, which must be free
   * (see {@link #queue}). Returns at once: {@link Handle#started} completes when the exec succeeded
   * or failed.
   */
  Handle spawn(Request r, int slot) throws IOException {
    return request(r, slot, false);
  }

  /**
   * Like {@link #spawn}, but the task starts only when a task that holds a slot ends, in that slot
   * ({@code BRAID_SLOT} is set then), before the helper reports that end; or at {@link #promote}.
   * Queued tasks start in the order they were queued. {@link Handle#started} fails with {@link
   * NotStarted} if it is {@linkplain #cancel cancelled} first.
   */
  Handle queue(Request r) throws IOException { // sent with the next flush or request
    return request(r, 0, true);
  }

  /** Starts a queued task now in {@code slot}, which is free; nothing if it is no longer queued. */
  void promote(long id, int slot) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(32);
    field(body, "R");
    field(body, Long.toString(id));
    field(body, Integer.toString(slot));
    sendQuietly(body);
  }

  /** Takes a queued task out of the queue, unless it started already. */
  void cancel(long id) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(32);
    field(body, "C");
    field(body, Long.toString(id));
    sendQuietly(body);
  }

  private Handle request(Request r, int slot, boolean queued) throws IOException {
    long id = r.id();
    ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    field(body, queued ? "Q" : "S");
    field(body, Long.toString(id));
    if (!queued) {
      field(body, Integer.toString(slot));
    }
    field(body, r.cwd().toString());
    field(body, r.log().toString());
    field(body, r.stdin() == null ? "" : r.stdin().toString());
    field(body, Integer.toString(r.argv().size()));
    r.argv().forEach(a -> field(body, a));
    field(body, Integer.toString(r.env().size()));
    r.env().forEach((k, v) -> field(body, k + "=" + v));
    Handle h = new Handle(id, queued, slot);
    handles.put(id, h);
    try {
      send(body, !queued);
    } catch (IOException e) {
      handles.remove(id);
      throw e;
    }
    if (dead) {
      lost(h); // the reader may have finished before the handle was registered
    }
    return h;
  }

  /** TERM or KILL to the task's process group, while the helper still knows it. */
  void signal(long id, boolean force) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(32);
    field(body, "K");
    field(body, Long.toString(id));
    field(body, force ? "9" : "15");
    sendQuietly(body);
  }

  private void sendQuietly(ByteArrayOutputStream body) {
    try {
      send(body);
    } catch (IOException e) {
      // the helper is gone; its end of input made it stop every group, and the reader reports
      // every task it had as lost
    }
  }

  /** Sends the requests written but held back ({@link #queue}). */
  void flush() {
    try {
      synchronized (requests) {
        requests.flush();
      }
    } catch (IOException e) {
      // the helper is gone; the reader reports every task it had as lost
    }
  }

  private void send(ByteArrayOutputStream body) throws IOException {
    send(body, true);
  }

  private void send(ByteArrayOutputStream body, boolean flush) throws IOException {
    byte[] head = (body.size() + ":").getBytes(StandardCharsets.US_ASCII);
    synchronized (requests) {
      requests.write(head);
      body.writeTo(requests);
      if (flush) {
        requests.flush();
      }
    }
  }

  private static void field(ByteArrayOutputStream out, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("NUL in a process argument or variable");
    }
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }

  private void readReplies(InputStream in) {
    byte[] buf = new byte[1 << 16];
    int len = 0;
    try (in) {
      int n;
      while ((n = in.read(buf, len, buf.length - len)) > 0) {
        len += n;
        int[] done = {0};
        byte[] read = buf;
        int end = len;
        // Every complete line of this read, then one turn of the engine for all of them.
        Batches.deliver(() -> done[0] = dispatchLines(read, end));
        System.arraycopy(buf, done[0], buf, 0, len - done[0]);
        len -= done[0];
        if (len == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a very long error message
        }
      }
    } catch (IOException | RuntimeException e) {
      // the helper is gone; below every task it had is reported lost
    } finally {
      dead = true;
      List.copyOf(handles.values()).forEach(this::lost);
    }
  }

  /** Dispatches each complete line in {@code buf[0, len)}; returns how many bytes they took. */
  private int dispatchLines(byte[] buf, int len) {
    int from = 0;
    for (int i = 0; i < len; i++) {
      if (buf[i] == '\n') {
        dispatch(new String(buf, from, i - from, StandardCharsets.UTF_8));
        from = i + 1;
      }
    }
    return from;
  }

  private void dispatch(String line) {
    String[] f = line.split(" ", 3);
    if (f.length < 2) {
      return;
    }
    Handle h = handles.get(Long.parseLong(f[1]));
    if (h == null) {
      return;
    }
    switch (f[0]) {
      case "P" -> {
        String[] pidSlot = f[2].split(" ");
        h.slot = Integer.parseInt(pidSlot[1]);
        h.startedUs = Long.parseLong(pidSlot[2]);
        h.started.complete(Long.parseLong(pidSlot[0]));
      }
      case "U" -> {
        handles.remove(h.id);
        NotStarted cancelled = new NotStarted("cancelled");
        h.started.completeExceptionally(cancelled);
        h.exited.completeExceptionally(cancelled);
        h.groupEmpty.complete(null);
      }
      case "F" -> {
        handles.remove(h.id);
        String[] slotMessage = f.length > 2 ? f[2].split(" ", 2) : new String[] {"0"};
        h.slot = Integer.parseInt(slotMessage[0]);
        StartFailure failure = new StartFailure(slotMessage.length > 1 ? slotMessage[1] : "failed");
        h.started.completeExceptionally(failure);
        h.exited.completeExceptionally(failure);
        h.groupEmpty.complete(null);
      }
      case "X" -> {
        String[] rest = f[2].split(" ");
        boolean left = rest[1].equals("1");
        h.printed = Long.parseLong(rest[3]);
        if (!left) {
          handles.remove(h.id);
          h.emptiedUs = Long.parseLong(rest[2]);
        }
        h.exited.complete(new LeaderExit(Integer.parseInt(rest[0]), left));
        if (!left) {
          h.groupEmpty.complete(null);
        }
      }
      case "D" -> {
        handles.remove(h.id);
        String[] rest = f[2].split(" ");
        h.emptiedUs = Long.parseLong(rest[0]);
        h.printed = Long.parseLong(rest[1]);
        h.groupEmpty.complete(null);
      }
      default -> {
        // a newer helper's message: ignored
      }
    }
  }

  /** The helper died: its tasks' groups got TERM/KILL from its shutdown, if it had one. */
  private void lost(Handle h) {
    handles.remove(h.id);
    if (h.queued && h.started.completeExceptionally(new NotStarted("braid-spawn died"))) {
      h.exited.completeExceptionally(new NotStarted("braid-spawn died"));
      h.groupEmpty.complete(null);
      return;
    }
    boolean neverStarted = h.started.completeExceptionally(new StartFailure("braid-spawn died"));
    h.exited.completeExceptionally(
        neverStarted
            ? new StartFailure("braid-spawn died")
            : new IllegalStateException("braid-spawn died"));
    h.groupEmpty.complete(null);
  }

  /** Ends the helper: its end of input makes it stop whatever still runs (TERM, KILL after 2 s). */
  @Override
  public void close() {
    try {
      synchronized (requests) {
        requests.close();
      }
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Optional<Path> locate() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      unavailable = "braid-spawn is for Linux only";
      return Optional.empty();
    }
    try (InputStream in = SpawnHelper.class.getResourceAsStream(SOURCE)) {
      if (in == null) {
        unavailable = "its source is not in Braid's jar";
        return Optional.empty();
      }
      byte[] source = in.readAllBytes();
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source));
      String name = "spawn-" + hash.substring(0, 16);
      List<CacheDir> dirs = cacheDirs();
      // An earlier build where it can run: a build in a noexec cache is passed over, not redone.
      for (CacheDir d : dirs) {
        Path bin = d.path().resolve(name).resolve("braid-spawn");
        if (Files.isExecutable(bin) && d.isOurs()) {
          return Optional.of(bin);
        }
      }
      Optional<List<String>> cc = compiler();
      if (cc.isEmpty()) {
        unavailable = "no C compiler to build it with (cc, gcc or clang on PATH, or $CC)";
        return Optional.empty();
      }
      for (CacheDir d : dirs) {
        if (d.canRunFrom()) {
          Path dir = d.path().resolve(name);
          return compile(cc.get(), source, dir, dir.resolve("braid-spawn"));
        }
      }
      unavailable =
          "no directory to build it in that programs can run from ("
              + String.join(", ", dirs.stream().map(d -> d.path().toString()).toList())
              + ": not writable, or on a noexec mount)";
      return Optional.empty();
    } catch (IOException | NoSuchAlgorithmException e) {
      unavailable = "cannot build it: " + e.getMessage();
      return Optional.empty();
    }
  }

  /**
   * Where the helper may be built, in the order tried: the user's cache ({@code
   * $XDG_CACHE_HOME/braid}, else {@code ~/.cache/braid}); the user's runtime directory ({@code
   * $XDG_RUNTIME_DIR/braid}, a tmpfs, emptied at logout, but mounted exec where the cache sometimes
   * is not); a directory of the user's own in the temporary directory ({@code $TMPDIR/braid-UID},
   * else in {@code java.io.tmpdir}).
   */
  static List<CacheDir> cacheDirs() {
    List<CacheDir> dirs = new ArrayList<>();
    String xdg = System.getenv("XDG_CACHE_HOME");
    dirs.add(
        new CacheDir(
            xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg, "braid")
                : Path.of(System.getProperty("user.home"), ".cache", "braid"),
            false));
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()) {
      dirs.add(new CacheDir(Path.of(runtime, "braid"), false));
    }
    String tmp = System.getenv("TMPDIR");
    Path tmpDir =
        tmp != null && !tmp.isBlank() && Path.of(tmp).isAbsolute()
            ? Path.of(tmp)
            : Path.of(System.getProperty("java.io.tmpdir"));
    ourUid().ifPresent(uid -> dirs.add(new CacheDir(tmpDir.resolve("braid-" + uid), true)));
    return dirs;
  }

  /**
   * A directory the helper may be cached in. A {@code shared} one lies in a directory every user
   * can write to: Braid runs a helper from it only when it is this user's, and no one else's to
   * write, or another user could have put a program of theirs there.
   */
  record CacheDir(Path path, boolean shared) {

    private static final Set<PosixFilePermission> PRIVATE =
        PosixFilePermissions.fromString("rwx------");

    /** Whether a helper found there may be run. */
    boolean isOurs() {
      if (!shared) {
        return true;
      }
      try {
        Map<String, Object> a =
            Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
            && ourUid().equals(Optional.of((Integer) a.get("uid")))
            && ((Integer) a.get("mode") & 077) == 0;
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        return false;
      }
    }

    /**
     * Whether a program built here can run: the directory is (or can be made) ours, and a file
     * marked executable in it passes {@code access(X_OK)}, which fails on a {@code noexec} mount.
     */
    boolean canRunFrom() {
      try {
        if (shared) {
          try {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PRIVATE));
          } catch (FileAlreadyExistsException e) {
            // checked below
          }
        } else {
          Files.createDirectories(path);
        }
        if (!isOurs()) {
          return false;
        }
        Path probe =
            Files.createTempFile(
                path, "exec-probe", "", PosixFilePermissions.asFileAttribute(PRIVATE));
        try {
          return Files.isExecutable(probe);
        } finally {
          Files.deleteIfExists(probe);
        }
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }
  }

  /** This process's user id: the owner of {@code /proc/self}. */
  private static Optional<Integer> ourUid() {
    try {
      return Optional.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Builds into a private temporary name, then renames: concurrent builders do not collide. */
  private static Optional<Path> compile(List<String> cc, byte[] source, Path dir, Path bin)
      throws IOException {
    Files.createDirectories(dir);
    Path src = Files.createTempFile(dir, "braid-spawn", ".c");
    Path out = Files.createTempFile(dir, "braid-spawn", ".bin");
    try {
      Files.write(src, source);
      List<String> command = new ArrayList<>(cc);
      command.addAll(List.of("-O2", "-o", out.toString(), src.toString()));
      Process p =
          new ProcessBuilder(command)
              .redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(Redirect.DISCARD)
              .redirectError(Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        unavailable = String.join(" ", cc) + " took more than 60 s to build it";
        return Optional.empty();
      }
      if (p.exitValue() != 0 || !out.toFile().setExecutable(true)) {
        unavailable = String.join(" ", cc) + " could not build it (exit " + p.exitValue() + ")";
        return Optional.empty();
      }
      try {
        Files.move(out, bin, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(out, bin, StandardCopyOption.REPLACE_EXISTING);
      }
      return Optional.of(bin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      Files.deleteIfExists(src);
      Files.deleteIfExists(out);
    }
  }

  /**
   * The C compiler's command: {@code $CC} split into words as make does ({@code ccache gcc}, {@code
   * cc -std=gnu11}), else the first of cc, gcc and clang on PATH.
   */
  private static Optional<List<String>> compiler() {
    String cc = System.getenv("CC");
    if (cc != null && !cc.isBlank()) {
      List<String> words = List.of(cc.strip().split("\\s+"));
      Optional<Path> found = Launcher.findProgram(words.get(0), Path.of("/"));
      if (found.isPresent()) {
        List<String> command = new ArrayList<>(words);
        command.set(0, found.get().toString());
        return Optional.of(command);
      }
    }
    for (String name : List.of("cc", "gcc", "clang")) {
      Optional<Path> found = Launcher.findProgram(name, Path.of("/"));
      if (found.isPresent()) {
        return Optional.of(List.of(found.get().toString()));
      }
    }
    return Optional.empty();
  }
}
