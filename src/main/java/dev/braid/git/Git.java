package dev.braid.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs {@code git -C dir ARGS} as a process, arguments as an argv (never through a shell), and
 * captures its output. Git is told not to prompt, not to take optional locks (so a {@code status}
 * never writes the user's index) and not to start background garbage collection that would outlive
 * Braid.
 */
final class Git {

  /** What a finished command printed and returned. */
  record Result(List<String> args, int exit, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** The first line of stdout, without its newline. */
    String line() {
      String s = out();
      int nl = s.indexOf('\n');
      return nl < 0 ? s : s.substring(0, nl);
    }

    /** Stdout split on NUL, the trailing empty entry dropped; for {@code -z} output. */
    List<String> nulSeparated() {
      String s = out();
      if (s.isEmpty()) {
        return List.of();
      }
      List<String> parts = new ArrayList<>(Arrays.asList(s.split("\0", -1)));
      if (parts.get(parts.size() - 1).isEmpty()) {
        parts.remove(parts.size() - 1);
      }
      return parts;
    }

    Result orThrow() {
      if (exit != 0) {
        throw failure(this);
      }
      return this;
    }
  }

  private final Path dir;
  private final Map<String, String> env;

  Git(Path dir) {
    this(dir, Map.of());
  }

  private Git(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = Map.copyOf(env);
  }

  Path dir() {
    return dir;
  }

  /** The same runner with extra environment, e.g. a commit's author. */
  Git withEnv(Map<String, String> more) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.putAll(more);
    return new Git(dir, all);
  }

  /** Runs a command and returns its result whatever the exit status. */
  Result run(String... args) {
    return input(null, args);
  }

  /** Runs a command and fails with its stderr unless it exits 0. */
  Result check(String... args) {
    return run(args).orThrow();
  }

  /** The first line of a successful command's output. */
  String line(String... args) {
    return check(args).line();
  }

  /** Runs a command with {@code stdin} (null for none) as its standard input. */
  Result input(String stdin, String... args) {
    List<String> argv = new ArrayList<>(args.length + 8);
    argv.add("git");
    argv.add("-C");
    argv.add(dir.toString());
    argv.add("-c");
    argv.add("gc.auto=0");
    argv.add("-c");
    argv.add("maintenance.auto=false");
    argv.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    Map<String, String> e = pb.environment();
    e.put("GIT_TERMINAL_PROMPT", "0");
    e.put("GIT_OPTIONAL_LOCKS", "0");
    e.put("LC_ALL", "C");
    e.remove("GIT_DIR");
    e.remove("GIT_WORK_TREE");
    e.remove("GIT_INDEX_FILE");
    e.putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException ex) {
      throw new GitException("cannot run git: " + ex.getMessage(), ex);
    }
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(
            () -> drain(p.getErrorStream()), r -> Thread.ofVirtual().start(r));
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException ex) {
      // git exited before reading its input; its exit status and stderr say why
    }
    try {
      byte[] out;
      try (InputStream s = p.getInputStream()) {
        out = s.readAllBytes();
      }
      int exit = p.waitFor();
      return new Result(List.of(args), exit, out, err.get());
    } catch (IOException ex) {
      p.destroyForcibly();
      throw new GitException("reading git's output: " + ex.getMessage(), ex);
    } catch (InterruptedException ex) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new GitException("interrupted while running git " + String.join(" ", args), ex);
    } catch (ExecutionException ex) {
      throw new GitException("reading git's errors: " + ex.getCause(), ex);
    }
  }

  private static String drain(InputStream s) {
    try (s) {
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static GitException failure(Result r) {
    String why = r.stderr().strip();
    if (why.isEmpty()) {
      why = r.out().strip();
    }
    return new GitException(
        "git " + String.join(" ", r.args()) + " failed (exit " + r.exit() + "): " + why);
  }
}
