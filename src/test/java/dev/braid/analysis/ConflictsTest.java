package dev.braid.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.analysis.Conflict.Reason;
import dev.braid.manifest.AcceptanceCriterion;
import dev.braid.manifest.Defaults;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ConflictsTest {

  private static Task scoped(String id, String... scope) {
    return Task.of(id).withFileScope(List.of(scope));
  }

  private static List<Reason> reasons(Manifest m, int a, int b) {
    return Conflicts.derive(m).between(a, b).map(Conflict::reasons).orElse(List.of());
  }

  @Test
  void directoryHoldsFileAndGlob() {
    Manifest m =
        Manifest.of(
            List.of(
                scoped("A", "packages/foundation/src/"),
                scoped("B", "packages/foundation/src/hash/index.ts"),
                scoped("C", "packages/foundation/**/*.ts"),
                scoped("D", "packages/storage/")));
    Conflicts c = Conflicts.derive(m);
    assertThat(c.pairs())
        .containsExactly(
            new Conflict(
                0,
                1,
                List.of(
                    new Reason.FileScope(
                        "packages/foundation/src/", "packages/foundation/src/hash/index.ts"))),
            new Conflict(
                0,
                2,
                List.of(
                    new Reason.FileScope(
                        "packages/foundation/src/", "packages/foundation/**/*.ts"))),
            new Conflict(
                1,
                2,
                List.of(
                    new Reason.FileScope(
                        "packages/foundation/src/hash/index.ts", "packages/foundation/**/*.ts"))));
  }

  @Test
  void disjointScopesDoNotConflict() {
    Manifest m =
        Manifest.of(
            List.of(
                scoped("HASH", "packages/foundation/src/hash/", "packages/foundation/tests/hash/"),
                scoped("WRITER", "packages/foundation/src/writer/", "packages/foundation/tests/w/"),
                scoped("X", "packages/foundation/src/*.md")));
    assertThat(Conflicts.derive(m).pairs()).isEmpty();
  }

  @Test
  void explicitIsSymmetricAndIgnoresUnknownIds() {
    Manifest m =
        Manifest.of(
            List.of(
                Task.of("A"),
                Task.of("B").withConflictsWith(List.of("A", "NOPE", "B")),
                Task.of("C").withConflictsWith(List.of("B")),
                Task.of("D")));
    Conflicts c = Conflicts.derive(m);
    assertThat(c.pairs())
        .containsExactly(
            new Conflict(0, 1, List.of(new Reason.Explicit())),
            new Conflict(1, 2, List.of(new Reason.Explicit())));
    assertThat(c.between(1, 0)).isPresent();
    assertThat(c.between(0, 3)).isEmpty();
  }

  @Test
  void sameSharedFileIsReportedAsSharedFile() {
    Manifest m =
        Manifest.of(
            List.of(
                scoped("A", "package.json", "src/a/"),
                scoped("B", "./package.json", "src/b/"),
                scoped("C", "packages/a/package.json"),
                scoped("D", "packages/b/package.json")));
    assertThat(Conflicts.derive(m).pairs())
        .containsExactly(new Conflict(0, 1, List.of(new Reason.SharedFile("package.json"))));
  }

  @Test
  void wholeRepoScopeTouchesEverySharedFile() {
    Manifest m = Manifest.of(List.of(scoped("ROOT", "./"), scoped("T", "turbo.json", "lib/")));
    assertThat(reasons(m, 0, 1))
        .containsExactly(
            new Reason.FileScope("./", "turbo.json"),
            new Reason.FileScope("./", "lib/"),
            new Reason.SharedFile("turbo.json"));
  }

  @Test
  void sharedDirectoryIsOneResource() {
    Manifest m =
        Manifest.of(
            List.of(
                scoped("CI", ".github/workflows/ci.yml"),
                scoped("REL", ".github/workflows/release.yml")));
    assertThat(reasons(m, 0, 1)).containsExactly(new Reason.SharedFile(".github/workflows/"));
  }

  @Test
  void planSharedFilesReplaceDefaults() {
    List<Task> tasks =
        List.of(scoped("A", "config/app.yaml"), scoped("B", "config/app.yaml", "package.json"));
    tasks = new ArrayList<>(tasks);
    tasks.add(scoped("C", "package.json"));
    Manifest m =
        new Manifest(
            null,
            1,
            Defaults.NONE,
            tasks,
            null,
            Map.of(),
            Map.of(),
            List.of("config/app.yaml"),
            List.of(),
            null,
            null);
    Conflicts c = Conflicts.derive(m);
    assertThat(c.between(0, 1).orElseThrow().reasons())
        .containsExactly(new Reason.SharedFile("config/app.yaml"));
    assertThat(c.between(1, 2).orElseThrow().reasons())
        .containsExactly(new Reason.FileScope("package.json", "package.json"));
  }

  @Test
  void sharedTableFromAcceptanceCriteria() {
    Manifest m =
        Manifest.of(
            List.of(
                Task.of("A")
                    .withAcceptanceCriteria(
                        List.of(AcceptanceCriterion.of("Rows land in the captures table"))),
                Task.of("B")
                    .withAcceptanceCriteria(
                        List.of(
                            AcceptanceCriterion.of("Create table `Captures` with an index"),
                            AcceptanceCriterion.of("The users table has a unique email"))),
                Task.of("C")
                    .withAcceptanceCriteria(
                        List.of(AcceptanceCriterion.of("Print a table of results")))));
    assertThat(Conflicts.derive(m).pairs())
        .containsExactly(new Conflict(0, 1, List.of(new Reason.SharedTable("captures"))));
  }

  @Test
  void tableNames() {
    assertThat(Conflicts.tablesIn("AC mentions the captures table")).containsExactly("captures");
    assertThat(Conflicts.tablesIn("table `sync_state` gets a row")).containsExactly("sync_state");
    assertThat(Conflicts.tablesIn("`audit log` table")).isEmpty();
    assertThat(Conflicts.tablesIn("\"Users\" table and table Orders"))
        .containsExactly("users", "orders");
    assertThat(Conflicts.tablesIn("CREATE TABLE captures (id)")).containsExactly("captures");
    assertThat(Conflicts.tablesIn("insert into the table each time")).isEmpty();
    assertThat(Conflicts.tablesIn("a table of contents; this table")).isEmpty();
    assertThat(Conflicts.tablesIn("Migrated. Table users gets rows.")).containsExactly("users");
    assertThat(Conflicts.tablesIn("the user's table, timetables and tables")).isEmpty();
    assertThat(Conflicts.tablesIn("rows in table 'public.events'"))
        .containsExactly("public.events");
  }

  @Test
  void sameCapabilityAndReasonOrder() {
    Manifest m =
        Manifest.of(
            List.of(
                scoped("S1", "db/schema/").withCapabilityId("SQLITE_SCHEMA"),
                scoped("S2", "db/schema/index.sql")
                    .withCapabilityId("SQLITE_SCHEMA")
                    .withConflictsWith(List.of("S1")),
                Task.of("OTHER").withCapabilityId("CONTENT_HASH")));
    assertThat(Conflicts.derive(m).pairs())
        .containsExactly(
            new Conflict(
                0,
                1,
                List.of(
                    new Reason.Explicit(),
                    new Reason.FileScope("db/schema/", "db/schema/index.sql"),
                    new Reason.SameCapability("SQLITE_SCHEMA"))));
  }

  @Test
  void invalidEntriesAreIgnored() {
    Manifest m = Manifest.of(List.of(scoped("A", "/etc", "../x"), scoped("B", "/etc")));
    assertThat(Conflicts.derive(m).pairs()).isEmpty();
  }

  @Test
  void adjacencyListsBothEnds() {
    Manifest m = Manifest.of(List.of(scoped("A", "x/"), scoped("B", "x/y"), scoped("C", "z")));
    int[][] adj = Conflicts.derive(m).adjacency(3);
    assertThat(adj[0]).containsExactly(1);
    assertThat(adj[1]).containsExactly(0);
    assertThat(adj[2]).isEmpty();
  }

  // ---- property: the trie finds exactly what all pairs find ----

  private static final String[] SCOPES = {
    "a/",
    "a/b/",
    "b/",
    "a/x.ts",
    "a/b/y.ts",
    "package.json",
    "b/package.json",
    "./",
    ".github/workflows/ci.yml",
    ".github/workflows/",
    "a/*.ts",
    "**/*.ts",
    "a/**/y.ts",
    "*/b/",
    "{a,b}/x.ts",
    "b/?.ts",
    "**/package.json",
    "a/b",
    "/etc",
    "c/{d,e}/",
    "c/d/f.ts",
    "*"
  };
  private static final String[] TEXTS = {
    "the captures table has rows",
    "table `users` exists",
    "Users table is indexed",
    "no tables here",
    "a table of results"
  };
  private static final List<List<String>> SHARED =
      List.of(
          List.of(),
          List.of("package.json"),
          List.of(".github/workflows/", "**/package.json"),
          List.of("a/b/", "b/?.ts"));

  @Provide
  Arbitrary<Manifest> plans() {
    return Arbitraries.randomValue(ConflictsTest::randomPlan);
  }

  static Manifest randomPlan(Random r) {
    int n = 1 + r.nextInt(12);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<String> scope = new ArrayList<>();
      for (int k = r.nextInt(4); k > 0; k--) {
        scope.add(SCOPES[r.nextInt(SCOPES.length)]);
      }
      List<AcceptanceCriterion> ac = new ArrayList<>();
      for (int k = r.nextInt(3); k > 0; k--) {
        ac.add(AcceptanceCriterion.of(TEXTS[r.nextInt(TEXTS.length)]));
      }
      List<String> conflicts = new ArrayList<>();
      if (r.nextInt(4) == 0) {
        conflicts.add(r.nextBoolean() ? "T" + r.nextInt(n) : "UNKNOWN");
      }
      String capability = r.nextInt(3) == 0 ? (r.nextBoolean() ? "CAP_A" : "CAP_B") : null;
      tasks.add(
          Task.of("T" + i)
              .withFileScope(scope)
              .withAcceptanceCriteria(ac)
              .withConflictsWith(conflicts)
              .withCapabilityId(capability));
    }
    List<String> shared = SHARED.get(r.nextInt(SHARED.size()));
    return new Manifest(
        null, 1, Defaults.NONE, tasks, null, Map.of(), Map.of(), shared, List.of(), null, null);
  }

  @Property(tries = 500)
  void trieEqualsAllPairsOracle(@ForAll("plans") Manifest plan) {
    assertThat(Conflicts.derive(plan).pairs()).isEqualTo(oracle(plan));
  }

  /**
   * Cliques (tasks sharing an entry, a shared file, a table or a capability) are kept whole, not as
   * pairs: counting, looking up and listing what conflicts with a task give what the pairs do.
   */
  @Property(tries = 500)
  void cliquesCountAndLookUpAsPairs(@ForAll("plans") Manifest plan) {
    List<Conflict> expected = oracle(plan);
    Conflicts c = Conflicts.derive(plan);
    int n = plan.tasks().size();
    assertThat(c.size()).isEqualTo(expected.size());
    int[][] adj = c.adjacency(n);
    for (int i = 0; i < n; i++) {
      List<Integer> with = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        int a = Math.min(i, j);
        int b = Math.max(i, j);
        Conflict pair =
            expected.stream().filter(p -> p.a() == a && p.b() == b).findFirst().orElse(null);
        assertThat(c.between(i, j))
            .as("between(%d, %d)", i, j)
            .isEqualTo(Optional.ofNullable(pair));
        if (pair != null) {
          with.add(j);
        }
      }
      assertThat(adj[i])
          .as("adjacency of %d", i)
          .containsExactly(with.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  /** The rules of {@link Conflicts}, applied to every pair of tasks directly. */
  static List<Conflict> oracle(Manifest m) {
    List<Task> tasks = m.tasks();
    List<String> shared = Conflicts.sharedFiles(m);
    Set<String> sharedLiterals = new TreeSet<>();
    for (String s : shared) {
      PathPattern p = PathPattern.compile(s);
      if (p.isLiteralFile()) {
        sharedLiterals.add(p.normalized());
      }
    }
    List<Conflict> out = new ArrayList<>();
    for (int a = 0; a < tasks.size(); a++) {
      for (int b = a + 1; b < tasks.size(); b++) {
        Task ta = tasks.get(a);
        Task tb = tasks.get(b);
        List<Reason> reasons = new ArrayList<>();
        if (ta.conflictsWith().contains(tb.id()) || tb.conflictsWith().contains(ta.id())) {
          reasons.add(new Reason.Explicit());
        }
        for (PathPattern pa : valid(ta)) {
          for (PathPattern pb : valid(tb)) {
            boolean sameSharedFile =
                pa.isLiteralFile()
                    && pb.isLiteralFile()
                    && pa.normalized().equals(pb.normalized())
                    && sharedLiterals.contains(pa.normalized());
            Reason r = new Reason.FileScope(pa.source(), pb.source());
            if (pa.overlaps(pb) && !sameSharedFile && !reasons.contains(r)) {
              reasons.add(r);
            }
          }
        }
        for (String s : shared) {
          PathPattern sp = PathPattern.compile(s);
          if (valid(ta).stream().anyMatch(sp::overlaps)
              && valid(tb).stream().anyMatch(sp::overlaps)) {
            reasons.add(new Reason.SharedFile(s));
          }
        }
        TreeSet<String> tables = tables(ta);
        tables.retainAll(tables(tb));
        tables.forEach(t -> reasons.add(new Reason.SharedTable(t)));
        if (ta.capabilityId() != null && ta.capabilityId().equals(tb.capabilityId())) {
          reasons.add(new Reason.SameCapability(ta.capabilityId()));
        }
        if (!reasons.isEmpty()) {
          out.add(new Conflict(a, b, reasons));
        }
      }
    }
    return out;
  }

  private static List<PathPattern> valid(Task t) {
    return t.fileScope().stream()
        .filter(s -> PathPattern.syntaxError(s).isEmpty())
        .map(PathPattern::compile)
        .toList();
  }

  private static TreeSet<String> tables(Task t) {
    TreeSet<String> out = new TreeSet<>();
    t.acceptanceCriteria().forEach(ac -> out.addAll(Conflicts.tablesIn(ac.text())));
    return out;
  }
}
