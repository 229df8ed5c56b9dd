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
 * tasks by hash. The cost is linear in entries plus the pairs stored, plus one check per (distinct
 * entry, wildcard ancestor distinct entry).
 *
 * <p>Cliques are kept whole: the tasks sharing one scope entry, shared file, table or capability
 * all conflict with each other, and a plan where 20,000 tasks share one glob has 200 million such
 * pairs. Each is one {@link #cliques clique} (its members), not its pairs; the scheduler treats it
 * as a mutex. Only the other pairs (explicit ones, and overlapping entries of different tasks that
 * no clique already covers) are stored, as rows of later tasks. {@link #size} counts the distinct
 * pairs of both; {@link #pairs()} makes each {@link Conflict}, with its reasons, when it is read.
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
  private static final int[] NONE = {};

  /**
   * Per task of {@code n}: the indexes of the {@code sets} that hold it, ascending (a task in none
   * gets an empty array). Shared with the scheduler's graph, which indexes mutexes the same way.
   */
  public static int[][] membership(List<int[]> sets, int n) {
    int[] count = new int[n];
    for (int[] set : sets) {
      for (int t : set) {
        count[t]++;
      }
    }
    int[][] of = new int[n][];
    for (int t = 0; t < n; t++) {
      of[t] = count[t] == 0 ? NONE : new int[count[t]];
      count[t] = 0;
    }
    for (int c = 0; c < sets.size(); c++) {
      for (int t : sets.get(c)) {
        of[t][count[t]++] = c;
      }
    }
    return of;
  }

  private final int tasks; // task indexes are below this
  // stored pairs: task a's partners b > a are later[rowStart[a]] until later[rowStart[a + 1]],
  // ascending; given conflicts store every pair here, derived ones only those outside cliques
  private final int[] rowStart;
  private final int[] later;
  // given conflicts: stored pair k's reasons are reasonStart[k] until reasonStart[k + 1], each a
  // kind and indexes into texts; null for derived ones, whose reasons are found when read
  private final int[] reasonStart;
  private final byte[] kind;
  private final int[] x;
  private final int[] y;
  private final String[] texts;
  private final Derived derived; // null for given conflicts
  private final int[][] cliques; // distinct member sets, each ascending
  private final int[][] cliquesOf; // per task: the cliques holding it, ascending
  private final long[] pairStart; // the distinct pairs (a, b) with a below t: pairStart[t]

  private Conflicts(
      int tasks,
      int[] rowStart,
      int[] later,
      int[] reasonStart,
      byte[] kind,
      int[] x,
      int[] y,
      String[] texts,
      Derived derived,
      int[][] cliques) {
    this.tasks = tasks;
    this.rowStart = rowStart;
    this.later = later;
    this.reasonStart = reasonStart;
    this.kind = kind;
    this.x = x;
    this.y = y;
    this.texts = texts;
    this.derived = derived;
    this.cliques = cliques;
    int[] count = new int[tasks];
    for (int[] members : cliques) {
      for (int t : members) {
        count[t]++;
      }
    }
    this.cliquesOf = new int[tasks][];
    for (int t = 0; t < tasks; t++) {
      cliquesOf[t] = count[t] == 0 ? NONE : new int[count[t]];
      count[t] = 0;
    }
    for (int c = 0; c < cliques.length; c++) {
      for (int t : cliques[c]) {
        cliquesOf[t][count[t]++] = c;
      }
    }
    this.pairStart = new long[tasks + 1];
    for (int a = 0; a < tasks; a++) {
      pairStart[a + 1] = pairStart[a] + laterCount(a);
    }
  }

  /**
   * What a derived pair's reasons are found from when it is read: the explicit pairs, the scope
   * entries, and the groups of tasks sharing a file, table or capability.
   *
   * @param explicit {@link #pairKey} of every pair named in {@code conflicts_with}, sorted
   * @param groupsOf per task: the groups (shared files, tables, capabilities) it is in, ascending;
   *     group ids follow the order of the rules, and within a rule the order of the plan's shared
   *     files, of table names, and of capabilities as found
   * @param groupKind each group's reason kind
   * @param groupText each group's file, table or capability
   */
  private record Derived(
      long[] explicit, Scopes scopes, int[][] groupsOf, byte[] groupKind, String[] groupText) {

    List<Conflict.Reason> reasons(int a, int b) {
      List<Conflict.Reason> out = new ArrayList<>(2);
      if (Arrays.binarySearch(explicit, pairKey(a, b)) >= 0) {
        out.add(EXPLICIT);
      }
      scopes.reasons(a, b, out);
      int[] ga = groupsOf[a];
      int[] gb = groupsOf[b];
      for (int i = 0, j = 0; i < ga.length && j < gb.length; ) {
        if (ga[i] < gb[j]) {
          i++;
        } else if (ga[i] > gb[j]) {
          j++;
        } else {
          int g = ga[i];
          out.add(
              switch (groupKind[g]) {
                case SHARED_FILE -> new Conflict.Reason.SharedFile(groupText[g]);
                case SHARED_TABLE -> new Conflict.Reason.SharedTable(groupText[g]);
                case SAME_CAPABILITY -> new Conflict.Reason.SameCapability(groupText[g]);
                default -> throw new IllegalStateException("group kind " + groupKind[g]);
              });
          i++;
          j++;
        }
      }
      return out;
    }
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

  /** A pair of tasks as one sortable key, by (a, b). */
  private static long pairKey(int a, int b) {
    return ((long) Math.min(a, b) << 32) | Math.max(a, b);
  }

  /** Conflicts given as values (tests, other sources); kept sorted by (a, b). */
  public Conflicts(List<Conflict> pairs) {
    this(Given.of(pairs));
  }

  private Conflicts(Given g) {
    this(
        g.tasks, g.rowStart, g.later, g.reasonStart, g.kind, g.x, g.y, g.texts, null, new int[0][]);
  }

  /** Given pairs as rows with their reasons. */
  private record Given(
      int tasks,
      int[] rowStart,
      int[] later,
      int[] reasonStart,
      byte[] kind,
      int[] x,
      int[] y,
      String[] texts) {

    static Given of(List<Conflict> pairs) {
      List<Conflict> sorted = new ArrayList<>(pairs);
      sorted.sort(Comparator.comparingInt(Conflict::a).thenComparingInt(Conflict::b));
      int tasks = sorted.stream().mapToInt(c -> c.b() + 1).max().orElse(0);
      int reasons = sorted.stream().mapToInt(c -> c.reasons().size()).sum();
      int[] rowStart = new int[tasks + 1];
      int[] later = new int[sorted.size()];
      int[] reasonStart = new int[sorted.size() + 1];
      byte[] kind = new byte[reasons];
      int[] x = new int[reasons];
      int[] y = new int[reasons];
      Map<String, Integer> index = new LinkedHashMap<>();
      int r = 0;
      for (int k = 0; k < sorted.size(); k++) {
        Conflict c = sorted.get(k);
        rowStart[c.a() + 1]++;
        later[k] = c.b();
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
      for (int t = 0; t < tasks; t++) {
        rowStart[t + 1] += rowStart[t];
      }
      return new Given(
          tasks, rowStart, later, reasonStart, kind, x, y, index.keySet().toArray(String[]::new));
    }

    private static int text(Map<String, Integer> index, String s) {
      return index.computeIfAbsent(s, k -> index.size());
    }
  }

  /** Stored pair {@code k}'s reasons (given conflicts). */
  private List<Conflict.Reason> storedReasons(int k) {
    List<Conflict.Reason> reasons = new ArrayList<>(reasonStart[k + 1] - reasonStart[k]);
    for (int r = reasonStart[k]; r < reasonStart[k + 1]; r++) {
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
    return reasons;
  }

  /** How many tasks after {@code a} conflict with it; without building the list when it can. */
  private int laterCount(int a) {
    int stored = rowStart[a + 1] - rowStart[a];
    int[] mine = cliquesOf[a];
    if (mine.length == 0) {
      return stored;
    }
    if (stored == 0 && mine.length == 1) {
      int[] members = cliques[mine[0]];
      return members.length - 1 - Arrays.binarySearch(members, a);
    }
    return laterOf(a).length;
  }

  /** The tasks after {@code a} that conflict with it, ascending: its row and its cliques' rest. */
  private int[] laterOf(int a) {
    int[] out = Arrays.copyOfRange(later, rowStart[a], rowStart[a + 1]);
    for (int c : cliquesOf[a]) {
      int[] members = cliques[c];
      out = union(out, members, Arrays.binarySearch(members, a) + 1);
    }
    return out;
  }

  /** Ascending {@code xs} and {@code ys[from..]} merged, each task once. */
  private static int[] union(int[] xs, int[] ys, int from) {
    int[] out = new int[xs.length + ys.length - from];
    int n = 0;
    int i = 0;
    int j = from;
    while (i < xs.length || j < ys.length) {
      int v = j == ys.length || (i < xs.length && xs[i] <= ys[j]) ? xs[i] : ys[j];
      if (i < xs.length && xs[i] == v) {
        i++;
      }
      if (j < ys.length && ys[j] == v) {
        j++;
      }
      out[n++] = v;
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** Every conflicting pair, ordered by (a, b); each is made when read. */
  public List<Conflict> pairs() {
    return new Pairs();
  }

  /**
   * The number of conflicting pairs, as an {@code int} for {@link #pairs()}.
   *
   * @throws ArithmeticException past {@link Integer#MAX_VALUE} pairs (a clique of 65,537 tasks);
   *     {@link #count} has them all
   */
  public int size() {
    return Math.toIntExact(pairStart[tasks]);
  }

  /** The number of conflicting pairs: 65,537 tasks sharing a glob have more than an int holds. */
  public long count() {
    return pairStart[tasks];
  }

  /**
   * The groups of tasks that all conflict with each other (they share a scope entry, a shared file,
   * a table or a capability), each ascending, listed once, and none inside another; a task may be
   * in several. Every pair of members conflicts; {@link #storedAdjacency} holds the other pairs.
   * The arrays are shared: do not change them.
   */
  public int[][] cliques() {
    return cliques.clone();
  }

  /**
   * {@code storedAdjacency(n)[i]}: the tasks conflicting with task {@code i} outside {@link
   * #cliques} (some may be in one too), ascending.
   */
  public int[][] storedAdjacency(int taskCount) {
    int[] degree = new int[taskCount];
    for (int a = 0; a < tasks; a++) {
      degree[a] += rowStart[a + 1] - rowStart[a];
      for (int k = rowStart[a]; k < rowStart[a + 1]; k++) {
        degree[later[k]]++;
      }
    }
    int[][] adj = new int[taskCount][];
    for (int i = 0; i < taskCount; i++) {
      adj[i] = degree[i] == 0 ? NONE : new int[degree[i]];
    }
    int[] fill = new int[taskCount];
    for (int a = 0; a < tasks; a++) {
      for (int k = rowStart[a]; k < rowStart[a + 1]; k++) {
        int b = later[k];
        adj[a][fill[a]++] = b;
        adj[b][fill[b]++] = a;
      }
    }
    for (int[] row : adj) {
      Arrays.sort(row); // rows come by a, so only a task's later partners can be out of place
    }
    return adj;
  }

  private final class Pairs extends AbstractList<Conflict> implements RandomAccess {
    private int rowOf = -1; // the task whose later partners row holds: reads are mostly in order
    private int[] row;

    @Override
    public Conflict get(int k) {
      Objects.checkIndex((long) k, pairStart[tasks]);
      int lo = 0;
      int hi = tasks - 1;
      while (lo < hi) { // the last task a with pairStart[a] <= k
        int mid = (lo + hi + 1) >>> 1;
        if (pairStart[mid] <= k) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      int a = lo;
      int offset = (int) (k - pairStart[a]);
      if (derived == null) {
        int s = rowStart[a] + offset;
        return new Conflict(a, later[s], storedReasons(s));
      }
      if (rowOf != a) {
        row = laterOf(a);
        rowOf = a;
      }
      int b = row[offset];
      return new Conflict(a, b, derived.reasons(a, b));
    }

    @Override
    public int size() {
      return Conflicts.this.size();
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
    return "Conflicts[" + pairStart[tasks] + " pairs]";
  }

  /**
   * Derives every conflict: explicit {@code conflicts_with} (treated as symmetric), overlapping
   * {@code file_scope}s, shared config files, shared database tables, same capability.
   * Sub-quadratic in practice (a path trie, not all pairs; cliques kept whole).
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
    int a = Math.min(i, j);
    int b = Math.max(i, j);
    if (a == b || a < 0 || b >= tasks) {
      return Optional.empty();
    }
    int s = Arrays.binarySearch(later, rowStart[a], rowStart[a + 1], b);
    if (derived == null) {
      return s < 0 ? Optional.empty() : Optional.of(new Conflict(a, b, storedReasons(s)));
    }
    if (s < 0 && !shareClique(a, b)) {
      return Optional.empty();
    }
    return Optional.of(new Conflict(a, b, derived.reasons(a, b)));
  }

  private boolean shareClique(int a, int b) {
    int[] ca = cliquesOf[a];
    int[] cb = cliquesOf[b];
    for (int i = 0, j = 0; i < ca.length && j < cb.length; ) {
      if (ca[i] == cb[j]) {
        return true;
      } else if (ca[i] < cb[j]) {
        i++;
      } else {
        j++;
      }
    }
    return false;
  }

  /**
   * {@code adjacency()[i]} lists the tasks conflicting with task {@code i}, ascending: every pair
   * expanded, cliques too (the scheduler uses {@link #cliques} and {@link #storedAdjacency}).
   */
  public int[][] adjacency(int taskCount) {
    int[][] adj = storedAdjacency(taskCount);
    for (int t = 0; t < Math.min(taskCount, tasks); t++) {
      for (int c : cliquesOf[t]) {
        int[] members = cliques[c];
        int self = Arrays.binarySearch(members, t);
        int[] others = new int[members.length - 1];
        System.arraycopy(members, 0, others, 0, self);
        System.arraycopy(members, self + 1, others, self, others.length - self);
        adj[t] = union(adj[t], others, 0);
      }
    }
    return adj;
  }

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
    private long[] explicit = new long[16]; // pairKey of each explicit pair, as found
    private int explicitCount;

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
    private int[][] taskOwners; // per distinct pattern: the tasks naming it, ascending
    private boolean[] clique; // per distinct pattern: its tasks form a clique (kept whole)
    private int[] scopeStart; // task a overlaps scopeLater[scopeStart[a] until scopeStart[a + 1]]
    private int[] scopeLater;
    private final Set<String> sharedLiteralPaths = new HashSet<>();
    private List<String> shared;
    private List<Set<Integer>> sharedTouchers;
    // groups of tasks sharing a file, a table or a capability: their members, kind and text
    private final List<int[]> groups = new ArrayList<>();
    private final List<Byte> groupKinds = new ArrayList<>();
    private final List<String> groupTexts = new ArrayList<>();

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
            if (explicitCount == explicit.length) {
              explicit = Arrays.copyOf(explicit, explicitCount * 2);
            }
            explicit[explicitCount++] = pairKey(i, j);
          }
        }
      }
      explicit = Arrays.stream(explicit, 0, explicitCount).sorted().distinct().toArray();
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
      overlaps = Arrays.stream(overlaps, 0, overlapCount).sorted().distinct().toArray();
      owners();
      scopePairs();
      for (int s = 0; s < shared.size(); s++) {
        group(SHARED_FILE, shared.get(s), sharedTouchers.get(s));
      }
    }

    private void group(byte kind, String text, Iterable<Integer> members) {
      List<Integer> list = new ArrayList<>();
      members.forEach(list::add);
      if (list.size() >= 2) {
        groups.add(list.stream().mapToInt(Integer::intValue).toArray());
        groupKinds.add(kind);
        groupTexts.add(text);
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
     * Who names each distinct pattern, which patterns make a clique, and who touches each shared
     * file: the tasks whose entries overlap its entry. A pattern that overlaps itself and that two
     * or more tasks name makes a clique of them, kept whole (unless it is a shared file: those
     * tasks conflict for the shared file).
     */
    private void owners() {
      taskOwners = new int[distinctCount][];
      clique = new boolean[distinctCount];
      for (int d = 0; d < distinctCount; d++) {
        taskOwners[d] =
            Arrays.stream(uses[d])
                .map(e -> owner[e])
                .filter(t -> t >= 0)
                .sorted()
                .distinct()
                .toArray();
      }
      for (long k : overlaps) {
        int d = (int) (k >>> 32);
        int g = (int) k;
        touch(d, g);
        if (d != g) {
          touch(g, d);
        } else if (sharedLiteral[d] == null && taskOwners[d].length >= 2) {
          clique[d] = true;
        }
      }
    }

    /** The shared files among {@code d}'s entries are touched by the tasks naming {@code g}. */
    private void touch(int d, int g) {
      for (int e : uses[d]) {
        if (owner[e] < 0) {
          for (int t : taskOwners[g]) {
            sharedTouchers.get(-1 - owner[e]).add(t);
          }
        }
      }
    }

    /**
     * The task pairs overlapping patterns give outside cliques, as lists of later tasks per task
     * ({@code scopeStart}, {@code scopeLater}): one pass counts, a second fills, so a plan of 4
     * million pairs holds one int per pair found, not a growing array of 17-byte hits.
     */
    private void scopePairs() {
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

    /**
     * Every task pair of every overlapping pattern pair that no clique holds: counted, or filled
     * in. The tasks of one pattern are a clique (or one task); a pair of different patterns is left
     * out when both its tasks name a clique pattern of the two, so a task's own directory under a
     * glob that 20,000 tasks share costs one check per task, not 20,000 pairs.
     */
    private void emit(int[] count, int[] fill, int[] later) {
      for (long k : overlaps) {
        int d = (int) (k >>> 32);
        int g = (int) k;
        if (d == g || (sharedLiteral[d] != null && sharedLiteral[d].equals(sharedLiteral[g]))) {
          continue; // a clique, one task, or reported as SharedFile
        }
        int[] td = taskOwners[d];
        int[] tg = taskOwners[g];
        if ((clique[g] && within(td, tg)) || (clique[d] && within(tg, td))) {
          continue;
        }
        for (int te : td) {
          if (clique[g] && Arrays.binarySearch(tg, te) >= 0) {
            continue; // te and every task of g are in g's clique
          }
          for (int tf : tg) {
            if (te == tf || (clique[d] && Arrays.binarySearch(td, tf) >= 0)) {
              continue;
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

    /**
     * The sets that no other one holds: a clique inside a larger one (tasks sharing a capability,
     * all of which share a glob too) adds no pair to count and nothing to wait for. Candidates are
     * the sets holding a set's first task, checked member by member until one is missing.
     */
    private static int[][] maximal(int[][] sets, int n) {
      int[][] holding = membership(Arrays.asList(sets), n);
      List<int[]> out = new ArrayList<>(sets.length);
      for (int c = 0; c < sets.length; c++) {
        boolean inside = false;
        for (int l : holding[sets[c][0]]) {
          if (sets[l].length > sets[c].length && within(sets[c], sets[l])) {
            inside = true;
            break;
          }
        }
        if (!inside) {
          out.add(sets[c]);
        }
      }
      return out.toArray(int[][]::new);
    }

    /** Whether every task of ascending {@code xs} is in ascending {@code ys}. */
    private static boolean within(int[] xs, int[] ys) {
      for (int t : xs) {
        if (Arrays.binarySearch(ys, t) < 0) {
          return false;
        }
      }
      return true;
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
      byTable.forEach((table, members) -> group(SHARED_TABLE, table, members));
    }

    private void capabilities() {
      Map<String, List<Integer>> byCapability = new HashMap<>();
      for (int t = 0; t < tasks.size(); t++) {
        String c = tasks.get(t).capabilityId();
        if (c != null && !c.isBlank()) {
          byCapability.computeIfAbsent(c.strip(), k -> new ArrayList<>()).add(t);
        }
      }
      byCapability.forEach((capability, members) -> group(SAME_CAPABILITY, capability, members));
    }

    /**
     * The stored pairs (explicit ones and scope pairs outside cliques) as rows by a; the cliques
     * (tasks sharing a clique pattern, file, table or capability), each member set once.
     */
    private Conflicts build() {
      int n = tasks.size();
      int[] rowStart = new int[n + 1];
      int[] rows = new int[scopeStart[n] + explicit.length];
      int e = 0;
      int r = 0;
      for (int a = 0; a < n; a++) {
        rowStart[a] = r;
        int s = scopeStart[a];
        int end = scopeStart[a + 1];
        while (s < end || (e < explicit.length && (int) (explicit[e] >>> 32) == a)) {
          int fromScope = s < end ? scopeLater[s] : Integer.MAX_VALUE;
          int fromExplicit =
              e < explicit.length && (int) (explicit[e] >>> 32) == a
                  ? (int) explicit[e]
                  : Integer.MAX_VALUE;
          int b = Math.min(fromScope, fromExplicit);
          rows[r++] = b;
          if (fromScope == b) {
            s++;
          }
          if (fromExplicit == b) {
            e++;
          }
        }
      }
      rowStart[n] = r;

      Map<Members, Integer> distinctSets = new LinkedHashMap<>();
      for (int[] g : groups) {
        distinctSets.putIfAbsent(new Members(g), distinctSets.size());
      }
      for (int d = 0; d < distinctCount; d++) {
        if (clique[d]) {
          distinctSets.putIfAbsent(new Members(taskOwners[d]), distinctSets.size());
        }
      }
      int[][] cliques =
          maximal(distinctSets.keySet().stream().map(Members::tasks).toArray(int[][]::new), n);

      int[][] groupsOf = membership(groups, n);
      byte[] kinds = new byte[groups.size()];
      for (int g = 0; g < kinds.length; g++) {
        kinds[g] = groupKinds.get(g);
      }
      String[] sources = new String[distinctCount];
      for (int d = 0; d < distinctCount; d++) {
        sources[d] = distinct[d].source();
      }
      Scopes scopes =
          new Scopes(
              entryStart, Arrays.copyOf(distinctOf, entries), sources, sharedLiteral, overlaps);
      return new Conflicts(
          n,
          rowStart,
          Arrays.copyOf(rows, r),
          null,
          null,
          null,
          null,
          null,
          new Derived(explicit, scopes, groupsOf, kinds, groupTexts.toArray(String[]::new)),
          cliques);
    }
  }

  /** A clique's tasks, ascending, compared by value. */
  private record Members(int[] tasks) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Members m && Arrays.equals(tasks, m.tasks);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(tasks);
    }

    @Override
    public String toString() {
      return Arrays.toString(tasks);
    }
  }
}
