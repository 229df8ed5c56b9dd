package dev.braid.analysis;

import dev.braid.manifest.AcceptanceCriterion;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The conflicting pairs of a plan, derived from everything the plan says.
 *
 * <p>Rules, each giving one {@link Conflict.Reason} kind (a pair gets every reason that applies, in
 * the order below):
 *
 * <ol>
 *   <li><b>Explicit</b>: either task names the other in {@code conflicts_with}. Unknown ids and
 *       self-references are ignored (validation reports them).
 *   <li><b>FileScope</b>: a scope entry of each can match the same file ({@link
 *       PathPattern#overlaps}): a directory holds a file, a glob matches inside a directory, two
 *       globs intersect. Invalid entries are ignored (validation reports them).
 *   <li><b>SharedFile</b>: the plan's {@code shared_files} (when empty, {@link
 *       #DEFAULT_SHARED_FILES}, paths from the repository root) are single shared resources. A task
 *       touches one when a scope entry overlaps it: {@code package.json} and {@code ./} touch the
 *       root {@code package.json}, {@code packages/a/} does not. Two tasks touching the same one
 *       conflict. A shared entry may be a directory or glob, which then counts as one resource: two
 *       tasks editing different workflows under {@code .github/workflows/} conflict. When two tasks
 *       name the very same shared file, the SharedFile reason replaces the FileScope one.
 *   <li><b>SharedTable</b>: their acceptance criteria name the same database table: {@code X
 *       table}, {@code table X}, with {@code X} optionally in backticks or quotes;
 *       case-insensitive; the word before {@code table} wins, and stop words ({@code the}, {@code
 *       a}, {@code create}, ...) are never names.
 *   <li><b>SameCapability</b>: same non-blank {@code capability_id} (seed rule: serial within a
 *       capability).
 * </ol>
 *
 * Conflicts are reported whether or not a dependency already orders the two tasks; the scheduler
 * decides what that means.
 *
 * <p>Sub-quadratic in practice: distinct scope entries (by text: tasks sharing a glob share one) go
 * into a trie keyed by their literal leading segments. Two entries can only overlap when one's
 * literal prefix is a prefix of the other's, so each is checked against the wildcard entries on its
 * trie path and against the entries at its own node. Tables, capabilities and shared files group
 * tasks by hash. The cost is linear in entries plus the pairs reported, plus one check per
 * (distinct entry, wildcard ancestor distinct entry).
 *
 * <p>Pairs and reasons are kept in primitive arrays (a 100k-task plan can have a million pairs, one
 * where 20,000 tasks share a glob 200 million); {@link #pairs()} makes each {@link Conflict} when
 * it is read, listing its FileScope reasons then, and the scheduler only needs {@link #adjacency}.
 */
public final class Conflicts {

  /** The shared files assumed when a plan lists none: lockfiles, build and workspace configs. */
  public static final List<String> DEFAULT_SHARED_FILES =
      List.of(
          "package.json",
          "package-lock.json",
          "pnpm-lock.yaml",
          "yarn.lock",
          "pnpm-workspace.yaml",
          "turbo.json",
          "nx.json",
          "tsconfig.json",
          "pom.xml",
          "build.gradle",
          "build.gradle.kts",
          "settings.gradle",
          "gradle.properties",
          "Cargo.toml",
          "Cargo.lock",
          "go.mod",
          "go.sum",
          "pyproject.toml",
          "poetry.lock",
          "requirements.txt",
          "Gemfile",
          "Gemfile.lock",
          "Makefile",
          ".github/workflows/");

  private static final Conflict.Reason EXPLICIT = new Conflict.Reason.Explicit();
  private static final byte EXPLICIT_REASON = 0;
  private static final byte FILE_SCOPE = 1;
  private static final byte SHARED_FILE = 2;
  private static final byte SHARED_TABLE = 3;
  private static final byte SAME_CAPABILITY = 4;
  private static final byte SCOPES = 5; // derived FileScope reasons, listed when read
  private static final int[] NO_Y = {}; // derived conflicts have no FILE_SCOPE kind, the y user

  // pair k: tasks a[k] < b[k], sorted by (a, b); its reasons are reasonStart[k] until
  // reasonStart[k + 1], each a kind and indexes into texts
  private final int[] a;
  private final int[] b;
  private final int[] reasonStart;
  private final byte[] kind;
  private final int[] x;
  private final int[] y;
  private final String[] texts;
  private final Scopes scopes; // null when the conflicts were given as values

  private Conflicts(
      int[] a,
      int[] b,
      int[] reasonStart,
      byte[] kind,
      int[] x,
      int[] y,
      String[] texts,
      Scopes scopes) {
    this.a = a;
    this.b = b;
    this.reasonStart = reasonStart;
    this.kind = kind;
    this.x = x;
    this.y = y;
    this.texts = texts;
    this.scopes = scopes;
  }

  /**
   * What lists a derived pair's FileScope reasons when it is read: each task's scope entries (as
   * distinct patterns) and which distinct patterns overlap. Storing the entry pairs instead cost 17
   * bytes per pair and reason, and a plan where 20,000 tasks share one glob has millions.
   *
   * @param entryStart task t's entries are entryStart[t] until entryStart[t + 1]
   * @param distinctOf each entry's distinct pattern
   * @param sources each distinct pattern's text
   * @param sharedLiteral each distinct pattern's path when it is one of the shared files, else null
   * @param overlaps {@link #key} of every overlapping pair of distinct patterns, sorted
   */
  private record Scopes(
      int[] entryStart,
      int[] distinctOf,
      String[] sources,
      String[] sharedLiteral,
      long[] overlaps) {

    /** Task a's entries against task b's, in entry order, each pair of texts once. */
    void reasons(int a, int b, List<Conflict.Reason> out) {
      int from = out.size();
      for (int e = entryStart[a]; e < entryStart[a + 1]; e++) {
        int d = distinctOf[e];
        for (int f = entryStart[b]; f < entryStart[b + 1]; f++) {
          int g = distinctOf[f];
          if (Arrays.binarySearch(overlaps, key(d, g)) < 0
              || (sharedLiteral[d] != null && sharedLiteral[d].equals(sharedLiteral[g]))) {
            continue;
          }
          Conflict.Reason r = new Conflict.Reason.FileScope(sources[d], sources[g]);
          if (!out.subList(from, out.size()).contains(r)) { // a task may list an entry twice
            out.add(r);
          }
        }
      }
    }
  }

  /** An unordered pair of distinct patterns as one sortable key. */
  private static long key(int d, int g) {
    return ((long) Math.min(d, g) << 32) | Math.max(d, g);
  }

  /** Conflicts given as values (tests, other sources); kept sorted by (a, b). */
  public Conflicts(List<Conflict> pairs) {
    List<Conflict> sorted = new ArrayList<>(pairs);
    sorted.sort(Comparator.comparingInt(Conflict::a).thenComparingInt(Conflict::b));
    int reasons = sorted.stream().mapToInt(c -> c.reasons().size()).sum();
    this.a = new int[sorted.size()];
    this.b = new int[sorted.size()];
    this.reasonStart = new int[sorted.size() + 1];
    this.kind = new byte[reasons];
    this.x = new int[reasons];
    this.y = new int[reasons];
    Map<String, Integer> index = new LinkedHashMap<>();
    int r = 0;
    for (int k = 0; k < sorted.size(); k++) {
      Conflict c = sorted.get(k);
      a[k] = c.a();
      b[k] = c.b();
      for (Conflict.Reason reason : c.reasons()) {
        switch (reason) {
          case Conflict.Reason.Explicit e -> kind[r] = EXPLICIT_REASON;
          case Conflict.Reason.FileScope f -> {
            kind[r] = FILE_SCOPE;
            x[r] = text(index, f.scopeA());
            y[r] = text(index, f.scopeB());
          }
          case Conflict.Reason.SharedFile f -> {
            kind[r] = SHARED_FILE;
            x[r] = text(index, f.file());
          }
          case Conflict.Reason.SharedTable t -> {
            kind[r] = SHARED_TABLE;
            x[r] = text(index, t.table());
          }
          case Conflict.Reason.SameCapability c2 -> {
            kind[r] = SAME_CAPABILITY;
            x[r] = text(index, c2.capability());
          }
        }
        r++;
      }
      reasonStart[k + 1] = r;
    }
    this.texts = index.keySet().toArray(String[]::new);
    this.scopes = null;
  }

  private static int text(Map<String, Integer> index, String s) {
    return index.computeIfAbsent(s, k -> index.size());
  }

  /** Every conflicting pair, ordered by (a, b); each is made when read. */
  public List<Conflict> pairs() {
    return new Pairs();
  }

  /** The number of conflicting pairs. */
  public int size() {
    return a.length;
  }

  private final class Pairs extends AbstractList<Conflict> implements RandomAccess {
    @Override
    public Conflict get(int k) {
      Objects.checkIndex(k, a.length);
      List<Conflict.Reason> reasons = new ArrayList<>(reasonStart[k + 1] - reasonStart[k]);
      for (int r = reasonStart[k]; r < reasonStart[k + 1]; r++) {
        if (kind[r] == SCOPES) {
          scopes.reasons(a[k], b[k], reasons);
          continue;
        }
        reasons.add(
            switch (kind[r]) {
              case EXPLICIT_REASON -> EXPLICIT;
              case FILE_SCOPE -> new Conflict.Reason.FileScope(texts[x[r]], texts[y[r]]);
              case SHARED_FILE -> new Conflict.Reason.SharedFile(texts[x[r]]);
              case SHARED_TABLE -> new Conflict.Reason.SharedTable(texts[x[r]]);
              case SAME_CAPABILITY -> new Conflict.Reason.SameCapability(texts[x[r]]);
              default -> throw new IllegalStateException("reason kind " + kind[r]);
            });
      }
      return new Conflict(a[k], b[k], reasons);
    }

    @Override
    public int size() {
      return a.length;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Conflicts other && pairs().equals(other.pairs());
  }

  @Override
  public int hashCode() {
    return pairs().hashCode();
  }

  @Override
  public String toString() {
    return "Conflicts[" + size() + " pairs]";
  }

  /**
   * Derives every conflict: explicit {@code conflicts_with} (treated as symmetric), overlapping
   * {@code file_scope}s, shared config files, shared database tables, same capability.
   * Sub-quadratic in practice (a path trie, not all pairs).
   */
  public static Conflicts derive(Manifest manifest) {
    return new Deriver(manifest).run();
  }

  /** The shared files in effect for {@code manifest}: its own, or the defaults. */
  public static List<String> sharedFiles(Manifest manifest) {
    return manifest.sharedFiles().isEmpty() ? DEFAULT_SHARED_FILES : manifest.sharedFiles();
  }

  /** The conflict between tasks {@code i} and {@code j} (any order), if any. */
  public Optional<Conflict> between(int i, int j) {
    int lo = 0;
    int hi = a.length - 1;
    int first = Math.min(i, j);
    int second = Math.max(i, j);
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int cmp = a[mid] != first ? Integer.compare(a[mid], first) : Integer.compare(b[mid], second);
      if (cmp == 0) {
        return Optional.of(pairs().get(mid));
      } else if (cmp < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return Optional.empty();
  }

  /** {@code adjacency()[i]} lists the tasks conflicting with task {@code i}. */
  public int[][] adjacency(int taskCount) {
    int[] degree = new int[taskCount];
    for (int k = 0; k < a.length; k++) {
      degree[a[k]]++;
      degree[b[k]]++;
    }
    int[][] adj = new int[taskCount][];
    for (int i = 0; i < taskCount; i++) {
      adj[i] = degree[i] == 0 ? NONE : new int[degree[i]];
    }
    int[] fill = new int[taskCount];
    for (int k = 0; k < a.length; k++) {
      adj[a[k]][fill[a[k]]++] = b[k];
      adj[b[k]][fill[b[k]]++] = a[k];
    }
    return adj;
  }

  private static final int[] NONE = {};

  // ---- tables ----

  /** Words that sit next to "table" without naming one. */
  private static final Set<String> STOP_WORDS =
      Set.of(
          "the",
          "a",
          "an",
          "this",
          "that",
          "these",
          "those",
          "each",
          "every",
          "any",
          "all",
          "some",
          "one",
          "same",
          "new",
          "its",
          "their",
          "our",
          "your",
          "my",
          "his",
          "her",
          "of",
          "to",
          "in",
          "on",
          "for",
          "with",
          "is",
          "are",
          "was",
          "were",
          "be",
          "been",
          "and",
          "or",
          "not",
          "no",
          "has",
          "have",
          "had",
          "per",
          "from",
          "into",
          "by",
          "as",
          "at",
          "if",
          "when",
          "must",
          "should",
          "will",
          "can",
          "may",
          "exists",
          "create",
          "created",
          "creates",
          "drop",
          "alter",
          "truncate",
          "update",
          "updates",
          "insert",
          "inserts",
          "delete",
          "select",
          "join",
          "via",
          "database",
          "db",
          "sql",
          "sqlite",
          "lookup",
          "hash",
          "truth",
          "pivot",
          "temp",
          "temporary",
          "virtual",
          "data",
          "html",
          "markdown",
          "summary",
          "comparison",
          "following",
          "above",
          "below",
          "routing",
          "decision",
          "symbol",
          "empty",
          "which",
          "using",
          "use");

  /**
   * Database tables named in {@code text}, lower case, in order of appearance: for each word {@code
   * table}, the word right before it, else the word right after it, when that is an identifier of
   * two or more characters (in quotes or backticks, or not a stop word). Punctuation between the
   * words breaks the link ({@code done. Table users} names {@code users}).
   */
  static List<String> tablesIn(String text) {
    List<String> tables = new ArrayList<>(1);
    int from = 0;
    while (true) {
      int i = indexOfTable(text, from);
      if (i < 0) {
        return tables;
      }
      from = i + 5;
      if ((i > 0 && isWordChar(text.charAt(i - 1)))
          || (i + 5 < text.length() && isWordChar(text.charAt(i + 5)))) {
        continue; // "tables", "timetable"
      }
      String name = wordBefore(text, i);
      if (name == null) {
        name = wordAfter(text, i + 5);
      }
      if (name != null) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!tables.contains(lower)) {
          tables.add(lower);
        }
      }
    }
  }

  private static int indexOfTable(String text, int from) {
    for (int i = from; i + 5 <= text.length(); i++) {
      if (text.regionMatches(true, i, "table", 0, 5)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static boolean isQuote(char c) {
    return c == '`' || c == '"' || c == '\'';
  }

  private static String wordBefore(String text, int end) {
    int j = end;
    while (j > 0 && Character.isWhitespace(text.charAt(j - 1))) {
      j--;
    }
    if (j == 0 || j == end) {
      return null;
    }
    char c = text.charAt(j - 1);
    if (isQuote(c)) {
      int k = text.lastIndexOf(c, j - 2);
      return k < 0 ? null : tableName(text.substring(k + 1, j - 1).strip(), true);
    }
    int k = j;
    while (k > 0 && (isWordChar(text.charAt(k - 1)) || text.charAt(k - 1) == '.')) {
      k--;
    }
    return tableName(text.substring(k, j), false);
  }

  private static String wordAfter(String text, int start) {
    int j = start;
    while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
      j++;
    }
    if (j == text.length() || j == start) {
      return null;
    }
    char c = text.charAt(j);
    if (isQuote(c)) {
      int k = text.indexOf(c, j + 1);
      return k < 0 ? null : tableName(text.substring(j + 1, k).strip(), true);
    }
    int k = j;
    while (k < text.length() && (isWordChar(text.charAt(k)) || text.charAt(k) == '.')) {
      k++;
    }
    while (k > j && text.charAt(k - 1) == '.') {
      k--; // end of sentence
    }
    return tableName(text.substring(j, k), false);
  }

  /** {@code word} if it can name a table, else null. */
  private static String tableName(String word, boolean quoted) {
    if (word.length() < 2 || word.equalsIgnoreCase("table")) {
      return null;
    }
    char first = word.charAt(0);
    if (!(Character.isLetter(first) || first == '_') || word.endsWith(".")) {
      return null;
    }
    for (int i = 1; i < word.length(); i++) {
      char c = word.charAt(i);
      if (!(isWordChar(c) || c == '.')) {
        return null;
      }
    }
    return quoted || !STOP_WORDS.contains(word.toLowerCase(Locale.ROOT)) ? word : null;
  }

  // ---- derivation ----

  /**
   * Every (pair, reason) found besides overlapping scopes, in primitive arrays: a 100k-task plan
   * can have a million pairs, and an object per finding would cost more than the findings. {@code
   * kind} is a reason kind; {@code x} depends on it: a shared file, a table or a capability.
   */
  private static final class Hits {
    int[] a = new int[64];
    int[] b = new int[64];
    byte[] kind = new byte[64];
    int[] x = new int[64];
    int size;

    void add(int i, int j, byte k, int xi) {
      if (size == a.length) {
        grow(size * 2);
      }
      a[size] = Math.min(i, j);
      b[size] = Math.max(i, j);
      kind[size] = k;
      x[size] = xi;
      size++;
    }

    void grow(int capacity) {
      a = Arrays.copyOf(a, capacity);
      b = Arrays.copyOf(b, capacity);
      kind = Arrays.copyOf(kind, capacity);
      x = Arrays.copyOf(x, capacity);
    }
  }

  /** A node of the literal-prefix trie; holds the entries whose literal prefix ends here. */
  private static final class Node {
    Map<String, Node> children;
    int[] entries = EMPTY;
    boolean[] literal = NO_FLAGS;
    int size;

    Node child(String segment) {
      if (children == null) {
        children = new HashMap<>(4);
      }
      return children.computeIfAbsent(segment, s -> new Node());
    }

    void add(int entry, boolean isLiteral) {
      if (size == entries.length) {
        int cap = Math.max(2, size * 2);
        entries = Arrays.copyOf(entries, cap);
        literal = Arrays.copyOf(literal, cap);
      }
      entries[size] = entry;
      literal[size++] = isLiteral;
    }

    private static final int[] EMPTY = {};
    private static final boolean[] NO_FLAGS = {};
  }

  private static final class Deriver {
    private final Manifest manifest;
    private final List<Task> tasks;
    private final Hits hits = new Hits();

    // scope entries: task >= 0, or -1 - s for shared file s
    private int[] owner = new int[64];
    private int entries;
    // distinct entries (by source): the trie holds these, and uses[d] lists the entries of each,
    // so a glob that 20,000 tasks share is compared with each other pattern once, not 20,000 times
    private final Map<String, Integer> distinctIndex = new HashMap<>();
    private int[] distinctOf = new int[64];
    private PathPattern[] distinct = new PathPattern[64];
    private int[][] uses;
    private int distinctCount;
    private String[] sharedLiteral; // per distinct pattern: its path when it is a shared file
    private int[] entryStart; // task t's entries are entryStart[t] until entryStart[t + 1]
    private long[] overlaps = new long[64]; // key(d, g) of overlapping distinct patterns
    private int overlapCount;
    private int[] scopeStart; // task a overlaps scopeLater[scopeStart[a] until scopeStart[a + 1]]
    private int[] scopeLater;
    private final Set<String> sharedLiteralPaths = new HashSet<>();
    private List<String> shared;
    private List<Set<Integer>> sharedTouchers;
    private final List<String> tableNames = new ArrayList<>();
    private final List<String> capabilityNames = new ArrayList<>();

    private final Map<String, int[]> segments = new HashMap<>(); // shared by all patterns

    // the wildcard entries on the current trie path
    private int[] open = new int[16];
    private int openSize;

    Deriver(Manifest manifest) {
      this.manifest = manifest;
      this.tasks = manifest.tasks();
    }

    Conflicts run() {
      explicit();
      fileScopes();
      tables();
      capabilities();
      return build();
    }

    private void explicit() {
      Map<String, Integer> index = null;
      for (int i = 0; i < tasks.size(); i++) {
        for (String other : tasks.get(i).conflictsWith()) {
          if (index == null) {
            index = manifest.indexById();
          }
          Integer j = index.get(other);
          if (j != null && j != i) {
            hits.add(i, j, EXPLICIT_REASON, 0);
          }
        }
      }
    }

    private void addEntry(PathPattern p, int entryOwner) {
      if (entries == owner.length) {
        owner = Arrays.copyOf(owner, entries * 2);
        distinctOf = Arrays.copyOf(distinctOf, entries * 2);
      }
      int d = distinctIndex.computeIfAbsent(p.source(), k -> distinctCount++);
      if (d == distinct.length) {
        distinct = Arrays.copyOf(distinct, d * 2);
      }
      distinct[d] = p;
      owner[entries] = entryOwner;
      distinctOf[entries] = d;
      entries++;
    }

    /** Compiles {@code entry} once per distinct text: shared globs are compiled once. */
    private PathPattern compiled(String entry) {
      Integer d = distinctIndex.get(entry);
      return d != null ? distinct[d] : tryCompile(entry);
    }

    /** {@code uses[d]}: the entries of distinct pattern {@code d}, in entry order. */
    private void indexUses() {
      int[] count = new int[distinctCount];
      for (int e = 0; e < entries; e++) {
        count[distinctOf[e]]++;
      }
      uses = new int[distinctCount][];
      for (int d = 0; d < distinctCount; d++) {
        uses[d] = new int[count[d]];
        count[d] = 0;
      }
      for (int e = 0; e < entries; e++) {
        int d = distinctOf[e];
        uses[d][count[d]++] = e;
      }
    }

    private void fileScopes() {
      shared = sharedFiles(manifest);
      sharedTouchers = new ArrayList<>();
      for (int s = 0; s < shared.size(); s++) {
        sharedTouchers.add(new TreeSet<>());
        PathPattern p = tryCompile(shared.get(s));
        if (p != null) {
          addEntry(p, -1 - s);
          if (p.isLiteralFile()) {
            sharedLiteralPaths.add(p.normalized());
          }
        }
      }
      entryStart = new int[tasks.size() + 1];
      for (int t = 0; t < tasks.size(); t++) {
        entryStart[t] = entries;
        for (String entry : tasks.get(t).fileScope()) {
          PathPattern p = compiled(entry);
          if (p != null) {
            addEntry(p, t);
          }
        }
      }
      entryStart[tasks.size()] = entries;
      sharedLiteral = new String[distinctCount];
      for (int d = 0; d < distinctCount; d++) {
        PathPattern p = distinct[d];
        if (p.isLiteralFile() && sharedLiteralPaths.contains(p.normalized())) {
          sharedLiteral[d] = p.normalized();
        }
      }
      indexUses();
      Node root = new Node();
      for (int d = 0; d < distinctCount; d++) {
        PathPattern p = distinct[d];
        for (int k = 0; k < p.alternativeCount(); k++) {
          Node node = root;
          for (String segment : p.literalPrefix(k)) {
            node = node.child(segment);
          }
          node.add(d, p.isLiteralAlternative(k));
        }
      }
      visit(root);
      scopePairs();
      for (int s = 0; s < shared.size(); s++) {
        Integer[] touching = sharedTouchers.get(s).toArray(new Integer[0]);
        for (int x = 0; x < touching.length; x++) {
          for (int y = x + 1; y < touching.length; y++) {
            hits.add(touching[x], touching[y], SHARED_FILE, s);
          }
        }
      }
    }

    private PathPattern tryCompile(String entry) {
      try {
        return PathPattern.compile(entry, segments);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    /**
     * Depth-first over the trie of distinct patterns. Patterns here meet the wildcard patterns of
     * strict ancestors, every other pattern here, and themselves (the tasks sharing one); a literal
     * file at an ancestor cannot hold anything deeper.
     */
    private void visit(Node node) {
      for (int x = 0; x < node.size; x++) {
        int d = node.entries[x];
        for (int y = 0; y < openSize; y++) {
          check(d, open[y]);
        }
        for (int y = x + 1; y < node.size; y++) {
          check(d, node.entries[y]);
        }
        checkUses(d);
      }
      if (node.children == null) {
        return;
      }
      int mark = openSize;
      for (int x = 0; x < node.size; x++) {
        if (!node.literal[x]) {
          if (openSize == open.length) {
            open = Arrays.copyOf(open, openSize * 2);
          }
          open[openSize++] = node.entries[x];
        }
      }
      for (Node child : node.children.values()) {
        visit(child);
      }
      openSize = mark;
    }

    /** Distinct patterns {@code d} and {@code g}, when they overlap, go into {@link #overlaps}. */
    private void check(int d, int g) {
      if (d != g && distinct[d].overlaps(distinct[g])) { // d == g: checkUses covers it
        overlap(d, g);
      }
    }

    /** The entries of distinct pattern {@code d} against each other (tasks sharing a pattern). */
    private void checkUses(int d) {
      if (uses[d].length >= 2 && distinct[d].overlaps(distinct[d])) {
        overlap(d, d);
      }
    }

    private void overlap(int d, int g) {
      if (overlapCount == overlaps.length) {
        overlaps = Arrays.copyOf(overlaps, overlapCount * 2);
      }
      overlaps[overlapCount++] = key(d, g);
    }

    /**
     * The task pairs the overlapping patterns give, as lists of later tasks per task ({@code
     * scopeStart}, {@code scopeLater}): one pass counts, a second fills, so a plan of 4 million
     * pairs holds one int per pair found, not a growing array of 17-byte hits. Shared files only
     * collect who touches them.
     */
    private void scopePairs() {
      overlaps = Arrays.stream(overlaps, 0, overlapCount).sorted().distinct().toArray();
      int n = tasks.size();
      int[] count = new int[n + 1];
      emit(count, null, null);
      scopeStart = new int[n + 1];
      for (int t = 0; t < n; t++) {
        scopeStart[t + 1] = scopeStart[t] + count[t];
      }
      scopeLater = new int[scopeStart[n]];
      emit(null, Arrays.copyOf(scopeStart, n), scopeLater);
      // each list sorted, without repeats (tasks overlapping through several entries), compacted
      int to = 0;
      int from = 0;
      for (int t = 0; t < n; t++) {
        int end = scopeStart[t + 1];
        Arrays.sort(scopeLater, from, end);
        scopeStart[t] = to;
        for (int k = from; k < end; k++) {
          if (k == from || scopeLater[k] != scopeLater[k - 1]) {
            scopeLater[to++] = scopeLater[k];
          }
        }
        from = end;
      }
      scopeStart[n] = to;
    }

    /** Every entry pair of every overlapping pattern pair: counted, or filled in. */
    private void emit(int[] count, int[] fill, int[] later) {
      for (long k : overlaps) {
        int d = (int) (k >>> 32);
        int g = (int) k;
        int[] ud = uses[d];
        int[] ug = uses[g];
        for (int x = 0; x < ud.length; x++) {
          for (int y = d == g ? x + 1 : 0; y < ug.length; y++) {
            int e = ud[x];
            int f = ug[y];
            int te = owner[e];
            int tf = owner[f];
            if (te == tf || (te < 0 && tf < 0)) {
              continue;
            }
            if (te < 0 || tf < 0) {
              if (count != null) {
                sharedTouchers.get(te < 0 ? -1 - te : -1 - tf).add(te < 0 ? tf : te);
              }
              continue;
            }
            if (sharedLiteral[d] != null && sharedLiteral[d].equals(sharedLiteral[g])) {
              continue; // reported as SharedFile
            }
            int a = Math.min(te, tf);
            if (count != null) {
              count[a]++;
            } else {
              later[fill[a]++] = Math.max(te, tf);
            }
          }
        }
      }
    }

    private void tables() {
      Map<String, List<Integer>> byTable = new TreeMap<>(); // by name: reasons list them so
      for (int t = 0; t < tasks.size(); t++) {
        Set<String> mine = null;
        for (AcceptanceCriterion ac : tasks.get(t).acceptanceCriteria()) {
          List<String> named = tablesIn(ac.text());
          if (!named.isEmpty()) {
            if (mine == null) {
              mine = new TreeSet<>();
            }
            mine.addAll(named);
          }
        }
        for (String table : mine == null ? Set.<String>of() : mine) {
          byTable.computeIfAbsent(table, k -> new ArrayList<>()).add(t);
        }
      }
      byTable.forEach(
          (table, members) -> {
            int id = tableNames.size();
            tableNames.add(table);
            for (int x = 0; x < members.size(); x++) {
              for (int y = x + 1; y < members.size(); y++) {
                hits.add(members.get(x), members.get(y), SHARED_TABLE, id);
              }
            }
          });
    }

    private void capabilities() {
      Map<String, List<Integer>> byCapability = new HashMap<>();
      for (int t = 0; t < tasks.size(); t++) {
        String c = tasks.get(t).capabilityId();
        if (c != null && !c.isBlank()) {
          byCapability.computeIfAbsent(c.strip(), k -> new ArrayList<>()).add(t);
        }
      }
      byCapability.forEach(
          (capability, members) -> {
            int id = capabilityNames.size();
            capabilityNames.add(capability);
            for (int x = 0; x < members.size(); x++) {
              for (int y = x + 1; y < members.size(); y++) {
                hits.add(members.get(x), members.get(y), SAME_CAPABILITY, id);
              }
            }
          });
    }

    /**
     * The pairs in (a, b) order, each with its reasons in rule order. Hits are bucketed by a (a
     * stable counting sort, so each pair's hits stay in the order found: rule by rule, shared files
     * and tables already sorted), each bucket sorted by b and merged with a's scope pairs. A pair
     * whose file scopes overlap gets one placeholder reason, expanded when read ({@link Scopes}).
     */
    private Conflicts build() {
      int n = tasks.size();
      int tableAt = shared.size();
      int capabilityAt = tableAt + tableNames.size();
      String[] texts = new String[capabilityAt + capabilityNames.size()];
      for (int s = 0; s < shared.size(); s++) {
        texts[s] = shared.get(s);
      }
      for (int t = 0; t < tableNames.size(); t++) {
        texts[tableAt + t] = tableNames.get(t);
      }
      for (int c = 0; c < capabilityNames.size(); c++) {
        texts[capabilityAt + c] = capabilityNames.get(c);
      }

      int[] start = new int[n + 1];
      for (int h = 0; h < hits.size; h++) {
        start[hits.a[h] + 1]++;
      }
      for (int t = 0; t < n; t++) {
        start[t + 1] += start[t];
      }
      int[] byA = new int[hits.size];
      int[] fill = Arrays.copyOf(start, n);
      for (int h = 0; h < hits.size; h++) {
        byA[fill[hits.a[h]]++] = h;
      }
      // every pair and every reason comes from at least one hit or scope pair
      int bound = hits.size + scopeStart[n];
      int[] pairA = new int[bound];
      int[] pairB = new int[bound];
      int[] reasonStart = new int[bound + 1];
      byte[] kinds = new byte[bound];
      int[] xs = new int[bound];
      int pairs = 0;
      int r = 0;
      long[] keys = new long[16];
      for (int a = 0; a < n; a++) {
        int size = start[a + 1] - start[a];
        int s = scopeStart[a];
        int scopeEnd = scopeStart[a + 1];
        if (size == 0 && s == scopeEnd) {
          continue;
        }
        if (keys.length < size) {
          keys = new long[Math.max(size, 2 * keys.length)];
        }
        for (int k = 0; k < size; k++) {
          int h = byA[start[a] + k];
          keys[k] = ((long) hits.b[h] << 32) | h; // by b, then in the order found
        }
        Arrays.sort(keys, 0, size);
        int k = 0;
        while (k < size || s < scopeEnd) {
          int b =
              k == size
                  ? scopeLater[s]
                  : s == scopeEnd
                      ? (int) (keys[k] >>> 32)
                      : Math.min((int) (keys[k] >>> 32), scopeLater[s]);
          int end = k;
          while (end < size && (int) (keys[end] >>> 32) == b) {
            end++;
          }
          for (int q = k; q < end; q++) {
            if (hits.kind[(int) keys[q]] == EXPLICIT_REASON) {
              kinds[r++] = EXPLICIT_REASON;
              break;
            }
          }
          if (s < scopeEnd && scopeLater[s] == b) {
            kinds[r++] = SCOPES;
            s++;
          }
          for (int q = k; q < end; q++) {
            int h = (int) keys[q];
            byte reason = hits.kind[h];
            int at =
                reason == SHARED_FILE
                    ? 0
                    : reason == SHARED_TABLE
                        ? tableAt
                        : reason == SAME_CAPABILITY ? capabilityAt : -1;
            if (at >= 0) {
              kinds[r] = reason;
              xs[r++] = at + hits.x[h];
            }
          }
          pairA[pairs] = a;
          pairB[pairs++] = b;
          reasonStart[pairs] = r;
          k = end;
        }
      }
      String[] sources = new String[distinctCount];
      for (int d = 0; d < distinctCount; d++) {
        sources[d] = distinct[d].source();
      }
      int[] entryDistinct = Arrays.copyOf(distinctOf, entries);
      return new Conflicts(
          Arrays.copyOf(pairA, pairs),
          Arrays.copyOf(pairB, pairs),
          Arrays.copyOf(reasonStart, pairs + 1),
          Arrays.copyOf(kinds, r),
          Arrays.copyOf(xs, r),
          NO_Y,
          texts,
          new Scopes(entryStart, entryDistinct, sources, sharedLiteral, overlaps));
    }
  }
}
