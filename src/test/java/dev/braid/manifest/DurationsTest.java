package dev.braid.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DurationsTest {

  /** The spellings Durations reads, and near misses, from pieces that matter. */
  @Provide
  Arbitrary<String> spellings() {
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(21),
            Arbitraries.strings().withChars("0123456789.").ofMinLength(1).ofMaxLength(14),
            Arbitraries.of("0.5", "1.5", "0.000000001", "1.5555555555", ".5", "5.", ".", "1e3"));
    // e.g. "1.5555555555s1.5555555555s": each part is a fraction of a nanosecond off
    Arbitrary<String> unit = Arbitraries.of("", "ms", "s", "m", "h", "d", "x", " s", "S");
    return Arbitraries.oneOf(
        number,
        Arbitraries.entries(number, unit).map(e -> e.getKey() + e.getValue()),
        Arbitraries.entries(number, unit)
            .list()
            .ofMinSize(2)
            .ofMaxSize(3)
            .map(l -> String.join("", l.stream().map(e -> e.getKey() + e.getValue()).toList())));
  }

  @Property(tries = 2000)
  void readsWhatTheExactDecimalReadingReads(@ForAll("spellings") String text) {
    assertThat(Durations.parse(text)).as(text).isEqualTo(reference(text));
  }

  @org.junit.jupiter.api.Test
  void everyPartIsAWholeNumberOfNanoseconds() {
    assertThat(Durations.parse("1.5s1.5s")).contains(Duration.ofSeconds(3));
    assertThat(Durations.parse("1h30m")).contains(Duration.ofMinutes(90));
    assertThat(Durations.parse("0.000000001s")).contains(Duration.ofNanos(1));
    assertThat(Durations.parse("1.5555555555s1.5555555555s")).isEmpty();
    assertThat(Durations.parse("0.0000000001s")).isEmpty();
    assertThat(Durations.parse("2100000000s82446.5d")).isEmpty(); // more nanoseconds than a long
  }

  @Property(tries = 300)
  void formatReadsBack(@ForAll("spellings") String text) {
    Durations.parse(text)
        .ifPresent(d -> assertThat(Durations.parse(Durations.format(d))).contains(d));
  }

  private static final Pattern PART = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  /**
   * The reading in BigDecimal (as before session 5, which summed the parts before asking for whole
   * nanoseconds): the specification.
   */
  private static Optional<Duration> reference(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
        return Optional.of(Durations.ofSeconds(new BigDecimal(t)));
      }
      Matcher m = PART.matcher(t);
      int at = 0;
      long total = 0; // nanoseconds: a Duration of more than a long of them is none
      while (at < t.length()) {
        if (!m.find(at) || m.start() != at) {
          return Optional.empty();
        }
        BigDecimal n = new BigDecimal(m.group(1));
        // each part a whole number of nanoseconds (1.5555555555s is not, twice or not)
        total =
            Math.addExact(
                total,
                Durations.ofSeconds(
                        switch (m.group(2)) {
                          case "ms" -> n.movePointLeft(3);
                          case "s" -> n;
                          case "m" -> n.multiply(BigDecimal.valueOf(60));
                          case "h" -> n.multiply(BigDecimal.valueOf(3600));
                          default -> n.multiply(BigDecimal.valueOf(86400));
                        })
                    .toNanos());
        at = m.end();
      }
      return Optional.of(Duration.ofNanos(total));
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
