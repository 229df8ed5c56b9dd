package dev.braid.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a plan file: Braid's own JSON or YAML, or one of the other {@link PlanFormat}s, detected by
 * content unless named. Every format yields the same {@link Manifest}, whose {@link SourceMap}
 * points into the file as written.
 *
 * <p>Every {@link Diagnostic} it produces has a {@link Diagnostic#field() field} following {@link
 * SourceMap#field(String)}: the keys from the task (or the top level) down to the value, joined by
 * dots, without list indexes ({@code risk}, {@code depends_on_tasks}, {@code est.minutes}, {@code
 * defaults.timeout}), or {@code null} for the file or a whole task. Locations point at the
 * offending value, or at the key for unknown and duplicate keys.
 */
public final class ManifestReader {

  private ManifestReader() {}

  /** Top-level keys. */
  public static final Set<String> TOP_LEVEL_FIELDS =
      Set.of(
          "version",
          "tasks",
          "defaults",
          "checkpoint",
          "agents",
          "resources",
          "shared_files",
          "frozen_files",
          "prompt_template");

  /** Task keys Braid uses. */
  public static final Set<String> TASK_FIELDS =
      Set.of(
          "task_id",
          "title",
          "description",
          "command",
          "agent",
          "depends_on_tasks",
          "conflicts_with",
          "file_scope",
          "parallel",
          "parallelism_group",
          "risk",
          "est",
          "priority",
          "acceptance_criteria",
          "resources",
          "timeout",
          "retries",
          "related_specs",
          "test_verification",
          "capability_id",
          "prompt_template");

  /** Task keys of the seed format that Braid accepts without a warning and does not use. */
  public static final Set<String> IGNORED_TASK_FIELDS =
      Set.of(
          "phase",
          "slice",
          "related_adrs",
          "related_guides",
          "gap_codes",
          "provisional",
          "status",
          "notes");

  public static final Set<String> DEFAULTS_FIELDS =
      Set.of("agent", "timeout", "retries", "priority", "est");
  public static final Set<String> CHECKPOINT_FIELDS = Set.of("command", "after");
  public static final Set<String> AGENT_FIELDS =
      Set.of("command", "prompt_via", "env", "args", "parser");
  public static final Set<String> PROMPT_TEMPLATE_FIELDS = Set.of("file", "text");
  public static final Set<String> EST_FIELDS = Set.of("minutes", "size");
  public static final Set<String> CRITERION_FIELDS = Set.of("id", "text");

  /**
   * A plan read from a file, with the warnings found while reading (unknown fields, ...), the
   * format it was written in and the ids of tasks the file already marks done (left out of the
   * plan).
   */
  public record Result(
      Manifest manifest, List<Diagnostic> warnings, PlanFormat format, List<String> alreadyDone) {
    public Result {
      warnings = List.copyOf(warnings);
      java.util.Objects.requireNonNull(format, "format");
      alreadyDone = List.copyOf(alreadyDone);
    }

    public Result(Manifest manifest, List<Diagnostic> warnings) {
      this(manifest, warnings, PlanFormat.BRAID, List.of());
    }
  }

  private static final JsonFactory JSON = JsonFactory.builder().build();

  /**
   * The seeds' manifests were written with comments and trailing commas ({@code
   * acceptsTheSeedShapes}), so a plan that has them is still read, but with a warning at the first
   * one: other JSON tools refuse such a file. Only a file the strict parser refuses is read again
   * with this one.
   */
  private static final JsonFactory SEED_JSON =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .build();

  /**
   * SnakeYAML refuses a document over 3 MB by default (a guard for servers reading untrusted
   * input); a 20,000-task plan is larger. A plan is the user's own file, read once.
   */
  private static final YAMLFactory YAML =
      YAMLFactory.builder()
          .loaderOptions(yamlLoaderOptions())
          // as new YAMLFactory() has it: an empty value (`tasks:`) is null, not ""
          .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
          .build();

  private static LoaderOptions yamlLoaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Integer.MAX_VALUE);
    return options;
  }

  /**
   * Initializes the readers and Jackson's parsers ahead of a first {@link #read}, for a start-up
   * thread: their class initialization (Jackson's pulls in BigDecimal's) is ~15 ms of a start.
   */
  public static void preload() {
    PlanFormat.detect("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Reads {@code file} in the format its content shows. Throws with every problem found (syntax,
   * types, enums, durations), each naming file, line, column and field; the exception also carries
   * the warnings found, all in file order.
   */
  public static Result read(Path file) throws ManifestException {
    return read(file, null);
  }

  /** Reads {@code file} as {@code format}, or as its content shows when {@code format} is null. */
  public static Result read(Path file, PlanFormat format) throws ManifestException {
    requireFile(file);
    PlanFormat f = format != null ? format : detect(file);
    return switch (f) {
      case BRAID -> readNative(file);
      case SPEC_KIT -> SpecKitReader.read(file, load(file));
      case TASK_MASTER -> TaskMasterReader.read(file);
      case MICRO_TASKS -> MicroTaskReader.read(file, load(file));
      case CHECKLIST -> ChecklistReader.read(file, load(file));
    };
  }

  /** The format of {@code file}, from its content. */
  public static PlanFormat detect(Path file) throws ManifestException {
    if (Files.isDirectory(file)) {
      throw fileError(file, "is a directory, not a plan file");
    }
    requireFile(file);
    try {
      return PlanFormat.detect(file);
    } catch (NoSuchFileException e) {
      throw fileError(file, "no such file");
    } catch (AccessDeniedException e) {
      throw fileError(file, "permission denied");
    } catch (IOException e) {
      throw fileError(file, "cannot read: " + e.getMessage());
    }
  }

  private static Result readNative(Path file) throws ManifestException {
    // Parsed in its own method so the file's bytes can be collected before decoding.
    Parsed parsed = parse(file);
    Decoder decoder = new Decoder(file);
    for (Tree.DuplicateKey d : parsed.duplicates()) {
      decoder.duplicateKey(d);
    }
    Manifest m = decoder.manifest(parsed.root(), parsed.rootPos());
    List<Diagnostic> all = new ArrayList<>(decoder.errors());
    all.addAll(parsed.warnings());
    all.addAll(decoder.warnings());
    all.sort(BY_POSITION);
    if (!decoder.errors().isEmpty()) {
      throw new ManifestException(all);
    }
    return new Result(m, all);
  }

  /**
   * A user's agent profiles file ({@code agents:} with the plan's profile fields), read like a
   * plan: every problem names file, line, column and field.
   */
  public record AgentsFile(
      Path file, Map<String, AgentSpec> agents, List<Diagnostic> warnings, SourceMap sources) {
    public AgentsFile {
      agents = Map.copyOf(agents);
      warnings = List.copyOf(warnings);
    }
  }

  /** Reads a user's agent profiles file; see {@link AgentsFile}. */
  public static AgentsFile readAgents(Path file) throws ManifestException {
    Parsed parsed = parse(file);
    Decoder decoder = new Decoder(file);
    for (Tree.DuplicateKey d : parsed.duplicates()) {
      decoder.duplicateKey(d);
    }
    Map<String, AgentSpec> agents = decoder.agentsFile(parsed.root(), parsed.rootPos());
    List<Diagnostic> all = new ArrayList<>(decoder.errors());
    all.addAll(parsed.warnings());
    all.addAll(decoder.warnings());
    all.sort(BY_POSITION);
    if (!decoder.errors().isEmpty()) {
      throw new ManifestException(all);
    }
    return new AgentsFile(file, agents, all, new SourceMap(file, parsed.root(), parsed.rootPos()));
  }

  /** A parsed file: its tree, the duplicate keys seen and warnings about its syntax. */
  record Parsed(
      Object root, long rootPos, List<Tree.DuplicateKey> duplicates, List<Diagnostic> warnings) {
    Parsed {
      duplicates = List.copyOf(duplicates);
      warnings = List.copyOf(warnings);
    }
  }

  static Parsed parse(Path file) throws ManifestException {
    int first = firstNonBlank(file);
    if (first < 0) {
      throw new ManifestException(Diagnostic.error(Location.of(file), null, "file is empty"));
    }
    boolean json = first == '{';
    try {
      return parse(file, json ? JSON : YAML, json, List.of());
    } catch (JsonProcessingException e) {
      Optional<String> nonStandard = json ? SyntaxErrors.nonStandardJson(e) : Optional.empty();
      if (nonStandard.isEmpty()) {
        throw new ManifestException(SyntaxErrors.of(file, e));
      }
      Diagnostic warning =
          Diagnostic.warning(SyntaxErrors.at(file, e.getLocation()), null, nonStandard.get());
      try {
        return parse(file, SEED_JSON, true, List.of(warning));
      } catch (JsonProcessingException again) {
        throw new ManifestException(SyntaxErrors.of(file, again));
      }
    }
  }

  private static Parsed parse(
      Path file, JsonFactory factory, boolean json, List<Diagnostic> warnings)
      throws ManifestException, JsonProcessingException {
    List<Tree.DuplicateKey> duplicates = new ArrayList<>();
    // Streamed, not read whole: a 100k-task plan is 26 MB that would stay live while parsing.
    try (InputStream in = open(file);
        JsonParser p = factory.createParser(in)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new ManifestException(
            Diagnostic.error(Location.of(file), null, "file has no content"));
      }
      long rootPos = Tree.pos(p.currentTokenLocation());
      Object root = new Tree.Builder(p, duplicates).value(t);
      JsonLocation after = json ? afterJson(p) : afterYaml(p);
      if (after != null) {
        throw new ManifestException(
            Diagnostic.error(
                SyntaxErrors.at(file, after),
                null,
                json
                    ? "unexpected content after the plan's closing '}'"
                    : "only one YAML document is allowed"));
      }
      return new Parsed(root, rootPos, duplicates, warnings);
    } catch (JsonProcessingException e) {
      if (SyntaxErrors.isEncodingError(e)) {
        throw new ManifestException(
            SyntaxErrors.notUtf8(file, SyntaxErrors.at(file, e.getLocation())));
      }
      throw e;
    } catch (CharConversionException e) {
      throw new ManifestException(SyntaxErrors.notUtf8(file, Location.of(file)));
    } catch (IOException e) {
      throw new ManifestException(
          Diagnostic.error(Location.of(file), null, "cannot read: " + e.getMessage()));
    }
  }

  /** Diagnostics by line, then column; stable. */
  public static final Comparator<Diagnostic> BY_POSITION =
      Comparator.comparingInt((Diagnostic d) -> d.location().line())
          .thenComparingInt(d -> d.location().column());

  static byte[] load(Path file) throws ManifestException {
    if (Files.isDirectory(file)) {
      throw fileError(file, "is a directory, not a plan file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw fileError(file, "no such file");
    } catch (AccessDeniedException e) {
      throw fileError(file, "permission denied");
    } catch (IOException | OutOfMemoryError e) {
      throw fileError(file, "cannot read: " + e.getMessage());
    }
  }

  private static InputStream open(Path file) throws ManifestException {
    if (Files.isDirectory(file)) {
      throw fileError(file, "is a directory, not a plan file");
    }
    try {
      return Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw fileError(file, "no such file");
    } catch (AccessDeniedException e) {
      throw fileError(file, "permission denied");
    } catch (IOException e) {
      throw fileError(file, "cannot read: " + e.getMessage());
    }
  }

  /** The first byte after a UTF-8 byte order mark and blanks, or -1 for a blank file. */
  private static int firstNonBlank(Path file) throws ManifestException {
    try (InputStream in = new BufferedInputStream(open(file))) {
      int b = in.read();
      if (b == 0xEF) { // UTF-8 byte order mark
        in.skipNBytes(2);
        b = in.read();
      }
      while (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
        b = in.read();
      }
      return b;
    } catch (EOFException e) {
      return -1;
    } catch (IOException e) {
      throw fileError(file, "cannot read: " + e.getMessage());
    }
  }

  /**
   * Where something follows the JSON plan's closing '}', or null. Whatever it is (a second object,
   * a stray '}', a comment) is reported as such, not as the tokenizer's complaint about its first
   * character.
   */
  private static JsonLocation afterJson(JsonParser p) throws IOException {
    try {
      return p.nextToken() == null ? null : p.currentTokenLocation();
    } catch (JsonProcessingException e) {
      if (SyntaxErrors.isEncodingError(e) || SyntaxErrors.nonStandardJson(e).isPresent()) {
        throw e; // read again leniently: a comment after the plan is no error then
      }
      return e.getLocation();
    }
  }

  /** Where a second YAML document starts, or null. */
  private static JsonLocation afterYaml(JsonParser p) throws IOException {
    return p.nextToken() == null ? null : p.currentTokenLocation();
  }

  private static void requireFile(Path file) throws ManifestException {
    if (Files.exists(file)
        && !Files.isRegularFile(file)
        && !Files.isDirectory(file)
        && !isEmptyDevice(file)) {
      // A pipe (`braid plan <(gen)`, /dev/stdin from a pipe) gives its content to one read only,
      // and a plan is read more than once (its format, its text, its lines for messages): the
      // second read would find it empty.
      throw fileError(
          file,
          "is a pipe or a device, not a file: save the plan to a file and name that"
              + " (Braid reads a plan more than once)");
    }
  }

  /** {@code /dev/null}: an empty plan, said as such. */
  private static boolean isEmptyDevice(Path file) {
    try {
      return file.toRealPath().equals(Path.of("/dev/null"));
    } catch (IOException e) {
      return false;
    }
  }

  private static ManifestException fileError(Path file, String message) {
    return new ManifestException(Diagnostic.error(Location.of(file), null, message));
  }
}
