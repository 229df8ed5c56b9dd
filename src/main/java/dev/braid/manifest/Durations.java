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
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  /** {@code text} as a duration, or empty when it is not one. */
  public static Optional<Duration> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
        return Optional.of(ofSeconds(new BigDecimal(t)));
      }
      Matcher m = PART.matcher(t);
      int at = 0;
      BigDecimal seconds = BigDecimal.ZERO;
      while (at < t.length()) {
        if (!m.find(at) || m.start() != at) {
          return Optional.empty();
        }
        BigDecimal n = new BigDecimal(m.group(1));
        seconds =
            seconds.add(
                switch (m.group(2)) {
                  case "ms" -> n.movePointLeft(3);
                  case "s" -> n;
                  case "m" -> n.multiply(BigDecimal.valueOf(60));
                  case "h" -> n.multiply(BigDecimal.valueOf(3600));
                  default -> n.multiply(BigDecimal.valueOf(86400));
                });
        at = m.end();
      }
      return Optional.of(ofSeconds(seconds));
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** A number of seconds, to the nanosecond. */
  public static Duration ofSeconds(BigDecimal seconds) {
    return Duration.ofNanos(seconds.multiply(NANOS_PER_SECOND).longValueExact());
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
