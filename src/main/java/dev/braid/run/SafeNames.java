package dev.braid.run;

import dev.braid.manifest.BoundedName;
import java.nio.charset.StandardCharsets;

/**
 * Task ids turned into file and branch names that cannot escape a directory or confuse a shell:
 * letters, digits, {@code . _ -} are kept, everything else becomes {@code %XX}, and names that are
 * only dots are escaped too. Long names keep a prefix and add {@code +} and the SHA-256 of the id
 * ({@link BoundedName}), so that {@code NAME.ATTEMPT.log} is still a valid file name.
 */
public final class SafeNames {

  private SafeNames() {}

  public static String fileName(String id) {
    StringBuilder b = new StringBuilder(id.length() + 8);
    for (byte raw : id.getBytes(StandardCharsets.UTF_8)) {
      int c = raw & 0xff;
      boolean keep =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '.';
      if (keep) {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        b.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    String s = b.toString();
    if (s.isEmpty() || s.chars().allMatch(ch -> ch == '.') || s.startsWith("-")) {
      s = "%" + s;
    }
    // '+' is always escaped, so it marks a shortened name: file names stop at 255 bytes
    return BoundedName.of(s, id, '+');
  }
}
