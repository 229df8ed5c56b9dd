package dev.braid.manifest;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as plans spell them: {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 500ms}, {@code
 * 1.5h}, or a bare number of seconds.
 */
public final class Durations {

  private Durations() {}

  private static final Pattern PART = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /**
   * {@code text} as a duration, or empty when it is not one (or a part of it is not a whole number
   * of nanoseconds). Exact, in long arithmetic: BigDecimal's class initialization alone took 20 ms
   * of every {@code braid run}'s start (it computes large powers, interpreted).
   */
  public static Optional<Duration> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
        return Optional.of(Duration.ofNanos(nanos(t, NANOS_PER_SECOND)));
      }
      Matcher m = PART.matcher(t);
      int at = 0;
      long total = 0;
      while (at < t.length()) {
        if (!m.find(at) || m.start() != at) {
          return Optional.empty();
        }
        long unit =
            switch (m.group(2)) {
              case "ms" -> 1_000_000L;
              case "s" -> NANOS_PER_SECOND;
              case "m" -> 60 * NANOS_PER_SECOND;
              case "h" -> 3_600 * NANOS_PER_SECOND;
              default -> 86_400 * NANOS_PER_SECOND;
            };
        total = Math.addExact(total, nanos(m.group(1), unit));
        at = m.end();
      }
      return Optional.of(Duration.ofNanos(total));
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code number} (digits with at most one point) times {@code unit} nanoseconds, exactly.
   *
   * @throws NumberFormatException if it is not such a number
   * @throws ArithmeticException if the result is not a whole number of nanoseconds, or too large
   */
  private static long nanos(String number, long unit) {
    int dot = number.indexOf('.');
    String whole = dot < 0 ? number : number.substring(0, dot);
    String fraction = dot < 0 ? "" : number.substring(dot + 1);
    if (fraction.indexOf('.') >= 0 || whole.length() + fraction.length() == 0) {
      throw new NumberFormatException(number);
    }
    int end = fraction.length();
    while (end > 0 && fraction.charAt(end - 1) == '0') {
      end--; // trailing zeros change nothing
    }
    fraction = fraction.substring(0, end);
    long result = whole.isEmpty() ? 0 : Math.multiplyExact(Long.parseLong(whole), unit);
    if (fraction.isEmpty()) {
      return result;
    }
    if (fraction.length() > 18) {
      throw new ArithmeticException("more digits than a nanosecond has");
    }
    long digits = Long.parseLong(fraction);
    long scale = 1;
    for (int i = 0; i < fraction.length(); i++) {
      scale *= 10;
    }
    // digits * unit / scale must be whole: with g = gcd(unit, scale), scale / g divides digits
    long g = gcd(unit, scale);
    if (digits % (scale / g) != 0) {
      throw new ArithmeticException("not a whole number of nanoseconds");
    }
    return Math.addExact(result, Math.multiplyExact(digits / (scale / g), unit / g));
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long r = a % b;
      a = b;
      b = r;
    }
    return a;
  }

  /** A number of seconds, to the nanosecond. */
  public static Duration ofSeconds(BigDecimal seconds) {
    return Duration.ofNanos(
        seconds.multiply(BigDecimal.valueOf(NANOS_PER_SECOND)).longValueExact());
  }

  /**
   * A duration for people, rounded: {@code 420ms}, {@code 3.2s}, {@code 4m05s}, {@code 1h02m}. The
   * console, reports and checkpoint notes all say durations this way.
   */
  public static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  /**
   * The shortest spelling {@link #parse} reads back to {@code d}: {@code 1h30m}, {@code 90s}
   * becomes {@code 1m30s}, {@code 500ms}; sub-millisecond durations as decimal seconds.
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + d);
    }
    if (d.isZero()) {
      return "0s";
    }
    if (d.getNano() % 1_000_000 != 0) {
      return BigDecimal.valueOf(d.getSeconds())
          .add(BigDecimal.valueOf(d.getNano()).movePointLeft(9))
          .stripTrailingZeros()
          .toPlainString();
    }
    StringBuilder b = new StringBuilder();
    long h = d.toHours();
    int m = d.toMinutesPart();
    int s = d.toSecondsPart();
    int ms = d.toMillisPart();
    if (h > 0) {
      b.append(h).append('h');
    }
    if (m > 0) {
      b.append(m).append('m');
    }
    if (s > 0) {
      b.append(s).append('s');
    }
    if (ms > 0) {
      b.append(ms).append("ms");
    }
    return b.toString();
  }
}
