package dev.braid.manifest;

/**
 * {@code 1 task}, {@code 2 tasks}: counts in messages. Here, the package every other one may
 * import, so that the engine's notes word them like the views do ({@code observe.Numbers#count}).
 */
public final class Counts {

  private Counts() {}

  /** {@code 1 task}, {@code 2 tasks}: a count with its noun, in the singular for one. */
  public static String count(long n, String noun) {
    return count(n, noun, noun + "s");
  }

  /** {@code 1 dependency}, {@code 2 dependencies}: for nouns whose plural is not noun + s. */
  public static String count(long n, String singular, String plural) {
    return n + " " + (n == 1 ? singular : plural);
  }
}
