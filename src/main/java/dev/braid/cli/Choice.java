package dev.braid.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An option whose value is one of some enum's constants, written in lower case as the help and the
 * README spell them. picocli's own enum conversion would list every constant in upper case,
 * including those the user is not meant to give (such as {@code Isolation.Mode.AUTO}, which stands
 * for "no --isolation given").
 */
final class Choice<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {

  private final String what;
  private final List<E> values;

  /** {@code what} names the value in the error, e.g. "isolation mode". */
  Choice(String what, List<E> values) {
    this.what = what;
    this.values = List.copyOf(values);
  }

  static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public E convert(String value) {
    for (E e : values) {
      if (label(e).equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw new TypeConversionException(
        "unknown " + what + " '" + value + "'; expected one of " + String.join(", ", this));
  }

  /** The labels, for picocli's completion candidates and the error message. */
  @Override
  public java.util.Iterator<String> iterator() {
    return values.stream().map(Choice::label).iterator();
  }
}
