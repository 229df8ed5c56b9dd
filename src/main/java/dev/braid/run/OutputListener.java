package dev.braid.run;

/**
 * Receives a task's output line by line, in order, on the task's reader thread, as it arrives. A
 * listener must be quick and must not block: the task's output waits for it. A listener that throws
 * is dropped for the rest of the task; the log file still gets everything.
 */
@FunctionalInterface
public interface OutputListener {

  /** One line of merged stdout and stderr, without its line terminator. */
  void onLine(String line);

  /** Ignores output; the reader then skips decoding lines. */
  OutputListener NONE = line -> {};
}
