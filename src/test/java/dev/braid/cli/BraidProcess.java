package dev.braid.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Braid as a running process whose output the test reads line by line as it comes (a thread drains
 * the pipe, so the process never blocks on it). Closing stops it: SIGTERM, then SIGKILL.
 */
final class BraidProcess implements AutoCloseable {

  private static final String END = "\0end";

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer all = new StringBuffer();
  private final Thread reader;

  private BraidProcess(Process process) {
    this.process = process;
    this.reader = Thread.ofPlatform().daemon().name("braid-output").start(this::drain);
  }

  static BraidProcess start(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    try {
      return new BraidProcess(
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void drain() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        all.append(line).append('\n');
        lines.add(line);
      }
    } catch (IOException e) {
      // the process is gone
    } finally {
      lines.add(END);
    }
  }

  /** The first group of the next line matching {@code pattern}; fails when the output ends. */
  String awaitLine(Pattern pattern, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null || line.equals(END)) {
        throw new AssertionError(
            "no line matching "
                + pattern
                + " ("
                + (line == null ? "timed out" : "output ended")
                + "); output:\n"
                + all);
      }
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m.groupCount() > 0 ? m.group(1) : line;
      }
    }
  }

  /** Waits for the process to end by itself; returns its exit code. */
  int await(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("braid did not end in " + seconds + " s; output:\n" + all);
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  /** Kills it outright (SIGKILL), as a crash would, and waits for it to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String output() {
    return all.toString();
  }

  /** Stops it as Ctrl-C would (SIGTERM), and kills it if it does not end. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
