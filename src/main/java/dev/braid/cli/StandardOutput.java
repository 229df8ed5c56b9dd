package dev.braid.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's standard output, which ends the command when a write fails instead of swallowing
 * the error as {@code System.out} and {@link java.io.PrintWriter} do: {@code braid analyze BIG |
 * head -1} then stops at the first write after {@code head} has gone, as a C tool ended by SIGPIPE
 * does, instead of computing and writing its whole output into a closed pipe.
 *
 * <p>A failed write throws {@link Failed}, unchecked so that it passes through {@code PrintWriter}
 * (which catches only {@code IOException}) and unwinds the command to {@link Main}; every later
 * write throws it again, so a loop that catches it once still ends at its next write.
 */
final class StandardOutput extends OutputStream {

  /** Standard output failed; {@link #brokenPipe} when its reader has gone. */
  static final class Failed extends RuntimeException {
    private final boolean brokenPipe;

    Failed(IOException cause, boolean brokenPipe) {
      super(cause.getMessage(), cause, false, false); // no stack trace: an end, not a bug
      this.brokenPipe = brokenPipe;
    }

    private volatile boolean tolerated;

    boolean brokenPipe() {
      return brokenPipe;
    }

    /** A command goes on without its output (a run): its own exit code stands. */
    void tolerate() {
      tolerated = true;
    }

    boolean tolerated() {
      return tolerated;
    }

    /** The failure in {@code e} or its causes (JSON writers wrap what their writer throws). */
    static Failed in(Throwable e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof Failed f) {
          return f;
        }
      }
      return null;
    }
  }

  private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);
  private volatile Failed failed;

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (failed != null) {
      throw failed;
    }
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      failed = new Failed(e, brokenPipe(e));
      throw failed;
    }
  }

  /**
   * EPIPE. The JDK only gives its text, which follows the locale; on Linux a pipe or socket as
   * standard output says it all the same (a write there fails only when nobody reads any more).
   */
  private static boolean brokenPipe(IOException e) {
    if (e.getMessage() != null && e.getMessage().contains("Broken pipe")) {
      return true;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return target.startsWith("pipe:") || target.startsWith("socket:");
    } catch (IOException | UnsupportedOperationException | SecurityException notLinux) {
      return false;
    }
  }
}
