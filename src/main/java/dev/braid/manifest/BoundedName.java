package dev.braid.manifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one length rule for names made from ids (log and prompt files, branches and worktrees, make
 * stamps): each place escapes an id its own way, then passes the escaped name here. A file name or
 * ref component stops at 255 bytes, and an escaped UTF-8 id takes up to nine bytes a character, so
 * a name longer than {@value #MAX} characters keeps a prefix, cut between whole {@code %XX} escapes
 * and whole characters so that it still reads as the id's start, then a mark and the SHA-256 of the
 * whole id. Shorter names are returned as they are (existing state directories and branches use
 * them), and a suffix such as {@code .123.log} still fits well under the limit.
 */
public final class BoundedName {

  /** The longest name returned, in characters (all ASCII, so also bytes). */
  public static final int MAX = 160;

  private static final int HASH = 64;

  private BoundedName() {}

  /**
   * {@code escaped} if it is at most {@link #MAX} characters, else its prefix, {@code mark} and the
   * SHA-256 of {@code id}. {@code mark} should be a character the escape never produces, so that a
   * shortened name cannot be another id's escape.
   */
  public static String of(String escaped, String id, char mark) {
    if (escaped.length() <= MAX) {
      return escaped;
    }
    int cut = MAX - HASH - 1;
    while (escaped.charAt(cut - 1) == '%'
        || escaped.charAt(cut - 2) == '%'
        || !wholeChar(escaped, cut)) {
      cut--; // never split an escape or a character
    }
    return escaped.substring(0, cut) + mark + sha256(id.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code s[0..cut)} decodes to whole UTF-8 characters. */
  private static boolean wholeChar(String s, int cut) {
    if (s.charAt(cut - 3) != '%') {
      return true;
    }
    // the last byte is escaped: the prefix ends on a character when the next byte is not a
    // continuation byte (10xxxxxx)
    if (cut + 3 > s.length() || s.charAt(cut) != '%') {
      return true;
    }
    int next = Integer.parseInt(s.substring(cut + 1, cut + 3), 16);
    return (next & 0xC0) != 0x80;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
