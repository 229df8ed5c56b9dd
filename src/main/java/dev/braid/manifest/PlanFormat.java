package dev.braid.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The plan notations Braid reads. Each is detected by content ({@link #detect(Path)}), or named
 * with {@code --from}.
 */
public enum PlanFormat {
  /** Braid's own JSON or YAML manifest. */
  BRAID("braid"),
  /** GitHub spec-kit {@code tasks.md}: {@code - [ ] T012 [P] [US1] Description in path}. */
  SPEC_KIT("spec-kit"),
  /** Task Master {@code tasks.json}, plain ({@code {"tasks": [...]}}) or tagged. */
  TASK_MASTER("taskmaster"),
  /** The seeds' micro-task notation: {@code MT 1.1: Title}, {@code Dependencies:}, tables. */
  MICRO_TASKS("micro-tasks"),
  /** A plain Markdown checklist: one task per {@code - [ ]} or {@code 1. [ ]} line, in order. */
  CHECKLIST("checklist");

  private final String label;

  PlanFormat(String label) {
    this.label = label;
  }

  /** The name used on the command line ({@code --from spec-kit}). */
  public String label() {
    return label;
  }

  public static Optional<PlanFormat> byLabel(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(f -> f.label.equals(n)).findFirst();
  }

  /** How much of a file detection looks at. */
  static final int PREFIX_BYTES = 64 * 1024;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  static final Pattern SPEC_KIT_LINE =
      Pattern.compile("^\\s*(?:[-*+]|\\d{1,9}[.)])\\s+\\[.]\\s+T\\d+\\b", Pattern.MULTILINE);
  static final Pattern MICRO_TASK_LINE =
      Pattern.compile(
          "(?:^|[\\s│├└─*+\\-✓○→•\\]])MT\\s*\\d+(?:\\.\\d+)*(?:\\*\\*)?\\s*:", Pattern.MULTILINE);
  static final Pattern MATRIX_HEADER =
      Pattern.compile("^\\s*\\|?\\s*Task\\s*\\|\\s*Depends\\s+On\\s*\\|", Pattern.MULTILINE);
  static final Pattern CHECKBOX_LINE =
      Pattern.compile("^\\s*(?:[-*+]|\\d{1,9}[.)])\\s+\\[.]\\s", Pattern.MULTILINE);
  private static final Pattern YAML_TOP_KEY =
      Pattern.compile("^(?:version|tasks|defaults)\\s*:", Pattern.MULTILINE);

  /**
   * Detects the format of {@code file} from its first {@value #PREFIX_BYTES} bytes. A file that is
   * no other format is a Braid manifest, so its errors are reported as such; but a Markdown file
   * ({@code .md}) without a Braid manifest's keys is read as a checklist, whose error says which
   * Markdown lines are tasks (as YAML it would be "a string").
   */
  public static PlanFormat detect(Path file) throws IOException {
    byte[] prefix;
    try (InputStream in = Files.newInputStream(file)) {
      prefix = in.readNBytes(PREFIX_BYTES);
    }
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    return detect(prefix, lower.endsWith(".md") || lower.endsWith(".markdown"));
  }

  static PlanFormat detect(byte[] prefix) {
    return detect(prefix, false);
  }

  private static PlanFormat detect(byte[] prefix, boolean markdown) {
    int first = 0;
    while (first < prefix.length && isBlankOrBom(prefix[first])) {
      first++;
    }
    if (first < prefix.length && prefix[first] == '{') {
      return jsonKind(prefix);
    }
    String text = new String(prefix, StandardCharsets.UTF_8);
    if (YAML_TOP_KEY.matcher(text).find()) {
      return BRAID;
    }
    if (SPEC_KIT_LINE.matcher(text).find()) {
      return SPEC_KIT;
    }
    if (MICRO_TASK_LINE.matcher(text).find() || MATRIX_HEADER.matcher(text).find()) {
      return MICRO_TASKS;
    }
    if (markdown || CHECKBOX_LINE.matcher(text).find()) {
      return CHECKLIST;
    }
    return BRAID;
  }

  private static boolean isBlankOrBom(byte b) {
    int c = b & 0xff;
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF;
  }

  /**
   * Braid's tasks have {@code task_id}; Task Master's have {@code id}, at the top ({@code "tasks"})
   * or under a tag ({@code "master": {"tasks": ...}}).
   */
  private static PlanFormat jsonKind(byte[] prefix) {
    try (JsonParser p = JSON.createParser(prefix)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return BRAID;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken value = p.nextToken();
        if (key.equals("version")) {
          return BRAID;
        }
        if (key.equals("tasks") && value == JsonToken.START_ARRAY) {
          return firstTaskKind(p, BRAID);
        }
        if (value == JsonToken.START_OBJECT) {
          // A tag: {"master": {"tasks": [...]}}. Braid has no field whose value holds a list of
          // tasks, so one here is Task Master's even when it is empty (a new tag, not yet parsed
          // into tasks).
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String inner = p.currentName();
            JsonToken v = p.nextToken();
            if (inner.equals("tasks") && v == JsonToken.START_ARRAY) {
              return firstTaskKind(p, TASK_MASTER);
            }
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException e) {
      // a truncated prefix or a syntax error: the Braid reader reports it properly
    }
    return BRAID;
  }

  /** The kind of the list whose first task is next; {@code whenEmpty} if the list is empty. */
  private static PlanFormat firstTaskKind(JsonParser p, PlanFormat whenEmpty) throws IOException {
    JsonToken first = p.nextToken();
    if (first == JsonToken.END_ARRAY) {
      return whenEmpty;
    }
    if (first != JsonToken.START_OBJECT) {
      return BRAID;
    }
    boolean id = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      if (key.equals("task_id")) {
        return BRAID;
      }
      id |= key.equals("id");
      p.nextToken();
      p.skipChildren();
    }
    return id ? TASK_MASTER : BRAID;
  }
}
