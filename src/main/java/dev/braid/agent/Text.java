package dev.braid.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Small helpers the output parsers share. */
final class Text {

  /** Longest activity shown: the live view has one line per task. */
  static final int MAX_ACTIVITY = 100;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Terminal escape sequences (colours, titles) and carriage returns. */
  private static final Pattern ANSI =
      Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)|\r");

  private Text() {}

  /** The JSON object on this line, or null when it is not one. */
  static JsonNode object(String line) {
    String t = line.strip();
    if (!t.startsWith("{")) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(t);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Terminal colours and carriage returns removed. */
  static String plain(String line) {
    return ANSI.matcher(line).replaceAll("");
  }

  /** The first non-blank line of {@code text}, shortened for one line of the live view. */
  static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    for (String l : plain(text).split("\n", -1)) {
      if (!l.isBlank()) {
        return shorten(l.strip(), MAX_ACTIVITY);
      }
    }
    return "";
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** {@code path} relative to {@code workDir} when it is inside it, else as given. */
  static String relative(String path, Path workDir) {
    if (path == null || path.isEmpty()) {
      return "";
    }
    if (workDir == null) {
      return path;
    }
    try {
      Path p = Path.of(path).normalize();
      Path base = workDir.toAbsolutePath().normalize();
      if (p.isAbsolute() && p.startsWith(base)) {
        String rel = base.relativize(p).toString();
        return rel.isEmpty() ? "." : rel;
      }
    } catch (InvalidPathException e) {
      return path;
    }
    return path;
  }

  /** A text field, or null. */
  static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  /** A whole number field that is >= 0, or 0. */
  static long count(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.canConvertToLong() && v.asLong() > 0 ? v.asLong() : 0;
  }

  /** A number field, or null. */
  static Double number(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.isNumber() ? v.asDouble() : null;
  }

  /** A whole number field, or null. */
  static Integer integer(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.canConvertToInt() && v.isIntegralNumber() ? v.asInt() : null;
  }
}
