package dev.braid.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a command's result to standard output or to the file given with {@code -o}. */
final class Output {

  private Output() {}

  /**
   * {@code out} for a run, which goes on when nobody reads its standard output any more ({@code
   * braid run | head}): stopping it mid-turn would leave its tasks to a dead runner. Its lines are
   * dropped from then on, and the run's exit code says how it went, not that its lines were lost.
   */
  static PrintWriter lenient(PrintWriter out) {
    return new PrintWriter(
        new Writer() {
          private volatile boolean gone;

          @Override
          public void write(char[] chars, int off, int len) {
            if (!gone) {
              try {
                out.write(chars, off, len);
              } catch (StandardOutput.Failed e) {
                e.tolerate();
                gone = true;
              }
            }
          }

          @Override
          public void flush() {
            if (!gone) {
              try {
                out.flush();
              } catch (StandardOutput.Failed e) {
                e.tolerate();
                gone = true;
              }
            }
          }

          @Override
          public void close() {
            flush();
          }
        });
  }

  static void write(PrintWriter out, Path file, String text) {
    if (file == null) {
      out.print(text);
      out.flush();
      return;
    }
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
