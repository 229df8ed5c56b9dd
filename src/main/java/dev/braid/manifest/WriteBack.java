package dev.braid.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Marks tasks done in the plan file they were read from, in that format's own notation, changing
 * nothing else in the file: {@code [X]} in spec-kit, {@code [x]} in a checklist, {@code [x]} or a
 * leading {@code ✓} for micro-tasks (and a {@code ✓} before a matrix row's name), {@code "status":
 * "done"} in Task Master (and the parent task too once all its subtasks are finished). Braid's own
 * manifests have no done marker: there, {@link #markDone} does nothing.
 *
 * <p>Each call reads the file again, finds the task's marker and replaces the file atomically, so
 * edits made to the file meanwhile are kept. Calls are serialized (the methods are synchronized):
 * the runner may call it from any thread.
 */
public final class WriteBack {

  private final Path file;
  private final PlanFormat format;

  /** Checklist tasks are numbered; their text finds them again if lines moved. */
  private final Map<String, String> checklistText;

  private WriteBack(Path file, PlanFormat format, Map<String, String> checklistText) {
    this.file = file;
    this.format = format;
    this.checklistText = checklistText;
  }

  /** A write-back for {@code file}, read as {@code format}. */
  public static WriteBack open(Path file, PlanFormat format) throws IOException {
    Map<String, String> texts = Map.of();
    if (format == PlanFormat.CHECKLIST) {
      texts = new HashMap<>();
      for (Checkbox c : checkboxes(MarkdownText.lines(Files.readAllBytes(file)))) {
        texts.put(Integer.toString(c.number()), c.text());
      }
    }
    return new WriteBack(file, format, texts);
  }

  /** One that never writes: for plans with nowhere to write to. */
  public static WriteBack none() {
    return new WriteBack(null, PlanFormat.BRAID, Map.of());
  }

  public PlanFormat format() {
    return format;
  }

  /**
   * Marks {@code taskId} done. Returns whether the file changed: false when the task is already
   * marked, has no marker (a spec-kit checkpoint) or is no longer in the file.
   */
  public synchronized boolean markDone(String taskId) throws IOException {
    if (file == null) {
      return false;
    }
    if (format == PlanFormat.BRAID) {
      return false;
    }
    byte[] bytes = Files.readAllBytes(file);
    List<Edit> edits =
        switch (format) {
          case BRAID -> List.of();
          case SPEC_KIT -> specKit(bytes, taskId);
          case CHECKLIST -> checklist(bytes, taskId);
          case MICRO_TASKS -> microTask(bytes, taskId);
          case TASK_MASTER -> taskMaster(bytes, taskId, TaskMasterReader.currentTag(file));
        };
    if (edits.isEmpty()) {
      return false;
    }
    write(apply(bytes, edits));
    return true;
  }

  /** Replaces {@code length} bytes at {@code offset}. */
  record Edit(int offset, int length, byte[] bytes) {
    static Edit of(int offset, int length, String text) {
      return new Edit(offset, length, text.getBytes(StandardCharsets.UTF_8));
    }
  }

  static byte[] apply(byte[] original, List<Edit> edits) {
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::offset));
    int size = original.length;
    for (Edit e : sorted) {
      size += e.bytes().length - e.length();
    }
    byte[] out = new byte[size];
    int from = 0;
    int to = 0;
    for (Edit e : sorted) {
      System.arraycopy(original, from, out, to, e.offset() - from);
      to += e.offset() - from;
      System.arraycopy(e.bytes(), 0, out, to, e.bytes().length);
      to += e.bytes().length;
      from = e.offset() + e.length();
    }
    System.arraycopy(original, from, out, to, original.length - from);
    return out;
  }

  private void write(byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".braid-tmp");
    try {
      Files.write(tmp, content);
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null) {
        Files.setPosixFilePermissions(tmp, posix.readAttributes().permissions());
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  // ---------------------------------------------------------------- Markdown formats

  private static List<Edit> checkState(MarkdownText.Line line, int charIndex, char mark) {
    char state = line.text().charAt(charIndex);
    if (state != ' ') {
      return List.of();
    }
    return List.of(Edit.of(MarkdownText.byteOffset(line, charIndex), 1, Character.toString(mark)));
  }

  private static List<Edit> specKit(byte[] bytes, String taskId) {
    boolean fenced = false;
    for (MarkdownText.Line line : MarkdownText.lines(bytes)) {
      if (isFence(line)) {
        fenced = !fenced;
        continue;
      }
      Matcher m = SpecKitReader.TASK.matcher(line.text());
      if (!fenced && m.matches() && firstWord(m.group(3)).equals(taskId)) {
        return checkState(line, m.start(2), 'X');
      }
    }
    return List.of();
  }

  private static String firstWord(String s) {
    int end = 0;
    while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
      end++;
    }
    return s.substring(0, end);
  }

  private static boolean isFence(MarkdownText.Line line) {
    String t = line.text().stripLeading();
    return t.startsWith("```") || t.startsWith("~~~");
  }

  private record Checkbox(int number, MarkdownText.Line line, int state, String text) {}

  private static List<Checkbox> checkboxes(List<MarkdownText.Line> lines) {
    List<Checkbox> out = new ArrayList<>();
    boolean fenced = false;
    for (MarkdownText.Line line : lines) {
      if (isFence(line)) {
        fenced = !fenced;
        continue;
      }
      Matcher m = SpecKitReader.TASK.matcher(line.text());
      if (!fenced && m.matches()) {
        out.add(new Checkbox(out.size() + 1, line, m.start(2), m.group(3).strip()));
      }
    }
    return out;
  }

  private List<Edit> checklist(byte[] bytes, String taskId) {
    String expected = checklistText.get(taskId);
    if (expected == null) {
      return List.of();
    }
    List<Checkbox> boxes = checkboxes(MarkdownText.lines(bytes));
    Checkbox target = null;
    try {
      int n = Integer.parseInt(taskId);
      if (n >= 1 && n <= boxes.size() && boxes.get(n - 1).text().equals(expected)) {
        target = boxes.get(n - 1);
      }
    } catch (NumberFormatException e) {
      return List.of();
    }
    if (target == null) {
      // Lines were added or removed since the plan was read: find the task by its text.
      List<Checkbox> same = boxes.stream().filter(b -> b.text().equals(expected)).toList();
      if (same.size() != 1) {
        return List.of();
      }
      target = same.get(0);
    }
    return checkState(target.line(), target.state(), 'x');
  }

  private static List<Edit> microTask(byte[] bytes, String taskId) {
    List<MarkdownText.Line> lines = MarkdownText.lines(bytes);
    for (int i = 0; i < lines.size(); i++) {
      MarkdownText.Line line = lines.get(i);
      String text = line.text();
      Matcher m = MicroTaskReader.TASK.matcher(text);
      if (m.matches() && ("MT " + m.group(4)).equals(taskId)) {
        if (m.group(2) != null) {
          return checkState(line, m.start(2), 'x');
        }
        if (m.group(3) != null || m.group(1).contains("✓")) {
          return List.of();
        }
        int mt = text.lastIndexOf("MT", m.start(4));
        if (text.startsWith("**", mt - 2)) {
          mt -= 2; // ✓ **MT 1.1**, outside the bold
        }
        return List.of(Edit.of(MarkdownText.byteOffset(line, mt), 0, "✓ "));
      }
      if (MicroTaskReader.Reader.isMatrixHeader(text)) {
        for (int r = i + 1; r < lines.size(); r++) {
          MarkdownText.Line row = lines.get(r);
          if (row.text().indexOf('|') < 0) {
            break;
          }
          List<MicroTaskReader.Cell> cells = MicroTaskReader.Reader.cells(row.text());
          if (cells.isEmpty() || !cells.get(0).text().equals(taskId)) {
            continue;
          }
          return List.of(rowMark(row, cells.get(0)));
        }
      }
    }
    return List.of();
  }

  /**
   * {@code ✓ } before a matrix row's name, taking up to two of the cell's padding spaces (one
   * stays).
   */
  private static Edit rowMark(MarkdownText.Line row, MicroTaskReader.Cell name) {
    String text = row.text();
    int end = name.at() + name.text().length();
    int spaces = 0;
    while (end + spaces < text.length() && text.charAt(end + spaces) == ' ') {
      spaces++;
    }
    int take = Math.max(0, Math.min(2, spaces - 1));
    int start = MarkdownText.byteOffset(row, name.at());
    int stop = MarkdownText.byteOffset(row, end + take);
    return Edit.of(start, stop - start, "✓ " + name.text());
  }

  // ---------------------------------------------------------------- Task Master

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  /** Where one task's id and status are, in bytes. */
  private static final class TaskSpot {
    String id;
    int idKeyStart = -1;
    int idEnd = -1;
    int statusStart = -1;
    int statusEnd = -1;
    String status;
    final List<TaskSpot> subtasks = new ArrayList<>();

    boolean finished() {
      return status != null
          && TaskMasterReader.FINISHED.contains(status.strip().toLowerCase(Locale.ROOT));
    }
  }

  private static List<Edit> taskMaster(byte[] bytes, String taskId, String tag) throws IOException {
    List<TaskSpot> tasks = taskMasterSpots(bytes, tag);
    for (TaskSpot t : tasks) {
      if (taskId.equals(t.id) && t.subtasks.isEmpty()) {
        return t.finished() ? List.of() : List.of(done(bytes, t));
      }
      for (TaskSpot s : t.subtasks) {
        String full = s.id != null && s.id.contains(".") ? s.id : t.id + "." + s.id;
        if (!taskId.equals(full)) {
          continue;
        }
        if (s.finished()) {
          return List.of();
        }
        List<Edit> edits = new ArrayList<>(List.of(done(bytes, s)));
        boolean all = t.subtasks.stream().allMatch(o -> o == s || o.finished());
        if (all && !t.finished()) {
          edits.add(done(bytes, t));
        }
        return edits;
      }
    }
    return List.of();
  }

  private static Edit done(byte[] bytes, TaskSpot t) {
    if (t.statusStart >= 0) {
      return Edit.of(t.statusStart, t.statusEnd - t.statusStart, "\"done\"");
    }
    // No status yet: add one after the id, on a line of its own if the id has one.
    int lineStart = t.idKeyStart;
    while (lineStart > 0 && bytes[lineStart - 1] != '\n') {
      lineStart--;
    }
    boolean ownLine = true;
    for (int i = lineStart; i < t.idKeyStart; i++) {
      ownLine &= bytes[i] == ' ' || bytes[i] == '\t';
    }
    String indent = new String(bytes, lineStart, t.idKeyStart - lineStart, StandardCharsets.UTF_8);
    String newline = lineStart >= 2 && bytes[lineStart - 2] == '\r' ? "\r\n" : "\n";
    String sep = ownLine ? newline + indent : " ";
    return Edit.of(t.idEnd, 0, "," + sep + "\"status\": \"done\"");
  }

  /** The tasks of the tag the reader uses (see {@link TaskMasterReader#tasks}). */
  private static List<TaskSpot> taskMasterSpots(byte[] bytes, String tag) throws IOException {
    Map<String, List<TaskSpot>> tags = new LinkedHashMap<>();
    List<TaskSpot> plain = null;
    try (JsonParser p = JSON.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return List.of();
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if (key.equals("tasks") && v == JsonToken.START_ARRAY) {
          plain = taskList(p, bytes);
        } else if (v == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String inner = p.currentName();
            JsonToken iv = p.nextToken();
            if (inner.equals("tasks") && iv == JsonToken.START_ARRAY) {
              tags.put(key, taskList(p, bytes));
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
    }
    if (plain != null) {
      return plain;
    }
    if (tags.containsKey(tag)) {
      return tags.get(tag);
    }
    return tag.equals(TaskMasterReader.DEFAULT_TAG) && tags.size() == 1
        ? tags.values().iterator().next()
        : List.of();
  }

  private static List<TaskSpot> taskList(JsonParser p, byte[] bytes) throws IOException {
    List<TaskSpot> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      if (t == JsonToken.START_OBJECT) {
        out.add(task(p, bytes));
      } else {
        p.skipChildren();
      }
    }
    return out;
  }

  private static TaskSpot task(JsonParser p, byte[] bytes) throws IOException {
    TaskSpot spot = new TaskSpot();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      int keyStart = (int) p.currentTokenLocation().getByteOffset();
      JsonToken v = p.nextToken();
      int start = (int) p.currentTokenLocation().getByteOffset();
      switch (key) {
        case "id" -> {
          spot.id = v.isScalarValue() ? p.getText() : null;
          spot.idKeyStart = keyStart;
          spot.idEnd = scalarEnd(bytes, start);
          p.skipChildren();
        }
        case "status" -> {
          if (v == JsonToken.VALUE_STRING) {
            spot.status = p.getText();
            spot.statusStart = start;
            spot.statusEnd = scalarEnd(bytes, start);
          } else if (v == JsonToken.VALUE_NULL) {
            spot.statusStart = start;
            spot.statusEnd = scalarEnd(bytes, start);
          }
          p.skipChildren();
        }
        case "subtasks" -> {
          if (v == JsonToken.START_ARRAY) {
            spot.subtasks.addAll(taskList(p, bytes));
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return spot;
  }

  /** The offset just past the scalar (string, number, literal) starting at {@code start}. */
  private static int scalarEnd(byte[] bytes, int start) {
    int i = start;
    if (bytes[i] == '"') {
      i++;
      while (i < bytes.length && bytes[i] != '"') {
        i += bytes[i] == '\\' ? 2 : 1;
      }
      return Math.min(i + 1, bytes.length);
    }
    while (i < bytes.length && "{}[],: \t\r\n/".indexOf(bytes[i]) < 0) {
      i++;
    }
    return i;
  }
}
