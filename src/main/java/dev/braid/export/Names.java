package dev.braid.export;

import dev.braid.manifest.BoundedName;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Task ids as names other tools accept (make targets, GitHub job ids): letters, digits, {@code _}
 * and {@code -} (and {@code .} where allowed) are kept, anything else becomes {@code _}; long names
 * are shortened by {@link BoundedName} (with {@code -} before the hash); a clash gets {@code -2},
 * {@code -3}, ... Names that differ only in case clash too: make stamps are files, which macOS and
 * Windows file systems tell apart only by more than case, and GitHub matches {@code needs} without
 * case.
 */
final class Names {

  /** The names given, lower-cased. */
  private final Set<String> used = new HashSet<>();

  private final String prefixIfNotLetter;
  private final boolean dots;

  /**
   * {@code prefixIfNotLetter} goes before names that do not start with a letter or {@code _};
   * {@code dots} keeps {@code .} too.
   */
  Names(String prefixIfNotLetter, boolean dots) {
    this.prefixIfNotLetter = prefixIfNotLetter;
    this.dots = dots;
  }

  String name(String id) {
    StringBuilder b = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean keep =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || (dots && c == '.');
      b.append(keep ? c : '_');
    }
    String base = b.toString();
    if (base.isEmpty() || !(Character.isLetter(base.charAt(0)) || base.charAt(0) == '_')) {
      base = prefixIfNotLetter + base;
    }
    // make stamps are file names, which stop at 255 bytes; the hash keeps long ids that share a
    // prefix apart whatever their order, so a stamp never stands for another task
    base = BoundedName.of(base, id, '-');
    String name = base;
    for (int k = 2; !used.add(name.toLowerCase(Locale.ROOT)); k++) {
      name = base + "-" + k;
    }
    return name;
  }
}
