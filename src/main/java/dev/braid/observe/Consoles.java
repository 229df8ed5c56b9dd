package dev.braid.observe;

import dev.braid.run.RunListener;
import java.io.PrintWriter;
import java.time.Clock;

/** Picks how a run shows itself: the live view on a terminal, plain lines anywhere else. */
public final class Consoles {

  private Consoles() {}

  /** A run's console; closing it releases the terminal. */
  public interface Console extends RunListener, AutoCloseable {
    @Override
    void close();
  }

  /**
   * The live view when stdout is a terminal and neither {@code plain} nor {@code CI=true} asks
   * otherwise; else plain lines on {@code out}, output lines prefixed with their task id. Both
   * respect {@code NO_COLOR}.
   */
  public static Console forRun(PrintWriter out, boolean plain, boolean showOutput, Clock clock) {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean terminal = isTerminal();
    if (!plain && !ci && terminal) {
      LiveConsole live = LiveConsole.open(clock);
      if (live != null) {
        return live;
      }
    }
    return new PlainConsole(out, Ansi.enabled(terminal), showOutput);
  }

  /**
   * Whether standard input and output are a terminal. JDK 22 to 24 give a console (JLine's) even to
   * a piped process, and say whether it is a terminal with {@code Console.isTerminal()}, which
   * Braid's Java 21 cannot name: asked by reflection where it exists.
   */
  public static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // JDK 21: a console is a terminal
    }
  }
}
