package dev.braid.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real CLI in-process with captured writers. */
final class Cli {

  private Cli() {}

  /** What one command printed and returned. */
  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }
}
