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
    if (!plain && !ci && System.console() != null) {
      LiveConsole live = LiveConsole.open(clock);
      if (live != null) {
        return live;
      }
    }
    return new PlainConsole(out, Ansi.enabled(System.console() != null), showOutput);
  }
}
