package dev.braid.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The user's repository, as Braid sees it: where a run starts from, whether its working tree is
 * dirty, and where the run's integration branch lands. Every change Braid makes goes to its own
 * branches and to worktrees under its state directory; only {@link #land} and {@link #stash} touch
 * the user's checkout, and only when asked to.
 */
public final class Repository {

  private final Git git;
  private final Path root;

  private Repository(Git git, Path root) {
    this.git = git;
    this.root = root;
  }

  /** Whether {@code dir} is inside a git working tree (false when git is missing). */
  public static boolean isInside(Path dir) {
    if (!mayBeInside(dir)) {
      return false; // saves starting git (two processes) on every run outside a repository
    }
    try {
      Git.Result r = new Git(dir).run("rev-parse", "--is-inside-work-tree");
      return r.exit() == 0 && r.line().equals("true");
    } catch (GitException e) {
      return false;
    }
  }

  /**
   * False only when git surely finds no repository for {@code dir}: no {@code .git} in it or above
   * it, and no {@code GIT_DIR} or {@code GIT_WORK_TREE} in the environment (which git would use).
   */
  static boolean mayBeInside(Path dir) {
    if (System.getenv("GIT_DIR") != null || System.getenv("GIT_WORK_TREE") != null) {
      return true;
    }
    for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
      if (java.nio.file.Files.exists(d.resolve(".git"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Opens the repository whose working tree holds {@code dir}.
   *
   * @throws GitException when git is missing or older than 2.38, or {@code dir} is not in a
   *     repository, or the repository has no commit yet
   */
  public static Repository open(Path dir) {
    Git probe = new Git(dir);
    GitVersion version = GitVersion.parse(probe.line("--version"));
    if (!version.atLeast(GitVersion.REQUIRED)) {
      throw new GitException(
          "git "
              + version
              + " is too old: worktree isolation needs git "
              + GitVersion.REQUIRED
              + " or newer (for merge-tree --write-tree); use --isolation none or upgrade git");
    }
    Git.Result top = probe.run("rev-parse", "--show-toplevel");
    if (top.exit() != 0) {
      throw new GitException(dir + " is not inside a git repository");
    }
    Path root = Path.of(top.line());
    Git git = new Git(root);
    if (git.run("rev-parse", "--verify", "-q", "HEAD^{commit}").exit() != 0) {
      throw new GitException(root + ": the repository has no commit yet; commit something first");
    }
    return new Repository(git, root);
  }

  public Path root() {
    return root;
  }

  Git git() {
    return git;
  }

  /** The commit checked out in the user's working tree. */
  public String head() {
    return git.line("rev-parse", "--verify", "HEAD^{commit}");
  }

  /** The branch checked out in the user's working tree; empty on a detached HEAD. */
  public Optional<String> currentBranch() {
    Git.Result r = git.run("symbolic-ref", "-q", "--short", "HEAD");
    return r.exit() == 0 ? Optional.of(r.line()) : Optional.empty();
  }

  /**
   * Tracked files with uncommitted changes, staged or not, in {@code git status} order. Untracked
   * files are left out: tasks never see them, and landing refuses to overwrite them. So are
   * submodules (edits inside one, another commit checked out in one): tasks' worktrees do not check
   * submodules out, and {@code git stash} does not set them aside.
   */
  public List<String> dirtyFiles() {
    List<String> files = new ArrayList<>();
    List<String> entries =
        git.check(
                "status", "--porcelain=v1", "-z", "--untracked-files=no", "--ignore-submodules=all")
            .nulSeparated();
    for (int i = 0; i < entries.size(); i++) {
      String e = entries.get(i);
      files.add(e.substring(3));
      if (e.charAt(0) == 'R' || e.charAt(0) == 'C') {
        i++; // a rename's source path follows as its own entry
      }
    }
    return files;
  }

  /**
   * Stashes the uncommitted changes of tracked files ({@code git stash push}) but those of {@code
   * keep} (paths from the root, as {@link #dirtyFiles} names them), which stay in the working tree;
   * returns the stash commit, or empty when there was nothing to stash.
   */
  public Optional<String> stash(String message, List<String> keep) {
    if (keep.containsAll(dirtyFiles())) {
      return Optional.empty();
    }
    List<String> args = new ArrayList<>(List.of("stash", "push", "-q", "-m", message, "--", "."));
    keep.forEach(k -> args.add(":(top,literal,exclude)" + k));
    Optional<String> before = topStash();
    Git.Result pushed = git.run(args.toArray(String[]::new));
    if (pushed.exit() != 0) {
      // e.g. a file added with 'git add -N', which git stash refuses
      throw new GitException("git stash cannot set your changes aside: " + pushed.stderr().strip());
    }
    // git stash saves nothing, and says so with exit 0, for changes it cannot set aside: the top
    // stash is then the user's own (or none), which the end of the run must not pop.
    Optional<String> after = topStash();
    return after.equals(before) ? Optional.empty() : after;
  }

  private Optional<String> topStash() {
    Git.Result r = git.run("rev-parse", "-q", "--verify", "refs/stash");
    return r.exit() == 0 ? Optional.of(r.line()) : Optional.empty();
  }

  /**
   * {@code file}'s path from the root, as {@link #dirtyFiles} names it; empty when it lies outside
   * the working tree.
   */
  public Optional<String> pathOf(Path file) {
    Path top = real(root);
    Path f = real(file);
    if (!f.startsWith(top) || f.equals(top)) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    top.relativize(f).forEach(n -> names.add(n.toString()));
    return Optional.of(String.join("/", names));
  }

  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  /**
   * Puts a stash made by {@link #stash} back when it applies without conflicts, and drops it.
   * Returns false, leaving it in {@code git stash list}, when it would conflict or is gone.
   */
  public boolean restoreStash(String stashCommit) {
    List<String> stashes = git.check("stash", "list", "--format=%H").out().lines().toList();
    int index = stashes.indexOf(stashCommit);
    if (index < 0) {
      return false;
    }
    String base = git.line("rev-parse", stashCommit + "^1");
    if (!base.equals(head())) {
      Git.Result probe =
          git.run("merge-tree", "--write-tree", "--no-messages", "HEAD", stashCommit);
      if (probe.exit() != 0) {
        return false;
      }
    }
    return git.run("stash", "pop", "-q", "stash@{" + index + "}").exit() == 0;
  }

  /**
   * Makes git ignore Braid's state directory when it lies inside the working tree, with a {@code
   * .gitignore} of {@code *} in the directory itself (nothing of the user's changes).
   */
  public void ignoreStateDir(Path stateDir) {
    Path abs = stateDir.toAbsolutePath().normalize();
    if (!abs.startsWith(root.toAbsolutePath().normalize())) {
      return;
    }
    try {
      Files.createDirectories(abs);
      Path ignore = abs.resolve(".gitignore");
      if (!Files.exists(ignore)) {
        Files.writeString(ignore, "# Braid's state: runs, logs, worktrees\n*\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The integration of run {@code runId}: its branch {@code braid/RUN}, created at the user's HEAD
   * unless it exists already (a resumed run), and the task worktrees under {@code worktrees/RUN/}.
   *
   * @throws GitException when git cannot create the branch
   */
  public Integration integration(String runId, Path worktrees, MergeStrategy strategy) {
    String branch = BranchNames.integration(runId);
    String ref = "refs/heads/" + branch;
    if (git.run("rev-parse", "--verify", "-q", ref).exit() != 0) {
      Git.Result created = git.run("update-ref", "-m", "braid: start run", ref, head(), "");
      if (created.exit() != 0) {
        throw new GitException(
            "cannot create the run's branch " + branch + ": " + created.stderr().strip());
      }
    }
    Path dir = worktrees.toAbsolutePath().normalize().resolve(BranchNames.component(runId));
    return new Integration(this, runId, branch, dir, strategy);
  }

  /**
   * Why no run can create its branches here, or empty: a branch named {@code braid} or {@code
   * braid-tasks} is a ref file where git would need the directory holding {@code braid/RUN} or
   * {@code braid-tasks/RUN/TASK}, so every run's branch would fail to be created.
   */
  public Optional<String> blockedNamespace() {
    for (String prefix : List.of(BranchNames.INTEGRATION_PREFIX, BranchNames.TASK_PREFIX)) {
      String name = prefix.substring(0, prefix.length() - 1);
      if (git.run("rev-parse", "--verify", "-q", "refs/heads/" + name).exit() == 0) {
        return Optional.of(
            "a branch named '"
                + name
                + "' exists, and git cannot hold it beside the run's branches "
                + prefix
                + "...: rename it (git branch -m "
                + name
                + " NEW-NAME), or use --isolation none");
      }
    }
    return Optional.empty();
  }

  /** Whether the run's integration branch exists. */
  public boolean hasIntegration(String runId) {
    return git.run("rev-parse", "--verify", "-q", "refs/heads/" + BranchNames.integration(runId))
            .exit()
        == 0;
  }

  /**
   * Brings run {@code runId}'s integration branch into {@code onto}: a fast-forward when {@code
   * onto} has not moved, else a merge commit, built without touching any worktree and refused when
   * it would conflict. When {@code onto} is checked out in the user's working tree, that tree
   * follows with {@code git merge --ff-only}, which refuses rather than overwrite local changes.
   */
  public LandResult land(String runId, String onto) {
    String source = BranchNames.integration(runId);
    String mergeIt = "git merge " + source;
    String tip = git.line("rev-parse", "--verify", "refs/heads/" + source);
    String ontoRef = "refs/heads/" + onto;
    Git.Result current = git.run("rev-parse", "--verify", "-q", ontoRef);
    if (current.exit() != 0) {
      return new LandResult.Refused(
          "branch " + onto + " does not exist", "land it with: git branch " + onto + " " + source);
    }
    String old = current.line();
    if (isAncestor(tip, old)) {
      return new LandResult.UpToDate(old);
    }
    String target;
    boolean fastForward = isAncestor(old, tip);
    if (fastForward) {
      target = tip;
    } else {
      Git.Result merge =
          git.run("merge-tree", "--write-tree", "--name-only", "-z", "--no-messages", old, tip);
      List<String> out = merge.nulSeparated();
      if (merge.exit() == 1) {
        return new LandResult.Refused(
            "merging "
                + source
                + " into "
                + onto
                + " would conflict in "
                + String.join(", ", out.subList(1, out.size())),
            "merge it by hand with: " + mergeIt);
      }
      merge.orThrow();
      target =
          git.input(
                  "Merge " + source + " (braid run " + runId + ")\n",
                  "commit-tree",
                  out.get(0),
                  "-p",
                  old,
                  "-p",
                  tip,
                  "-F",
                  "-")
              .orThrow()
              .line();
    }
    if (currentBranch().filter(onto::equals).isPresent()) {
      Git.Result ff = git.run("merge", "--ff-only", "-q", target);
      if (ff.exit() != 0) {
        return CheckoutRefusal.of(ff.stderr(), mergeIt);
      }
    } else {
      Optional<Path> elsewhere =
          worktrees().stream()
              .filter(w -> onto.equals(w.branch()))
              .map(WorktreeEntry::path)
              .findFirst();
      if (elsewhere.isPresent()) {
        return new LandResult.Refused(
            onto + " is checked out in another worktree, " + elsewhere.get(),
            "land it there with: git -C " + elsewhere.get() + " merge " + source);
      }
      git.check("update-ref", "-m", "braid: land " + source, ontoRef, target, old);
    }
    return new LandResult.Landed(target, fastForward);
  }

  /**
   * Whether branch {@code onto} already holds the work of run {@code runId}: both branches exist
   * and the run's tip is in {@code onto}, so landing it would do nothing.
   */
  public boolean holds(String onto, String runId) {
    Git.Result tip =
        git.run("rev-parse", "--verify", "-q", "refs/heads/" + BranchNames.integration(runId));
    Git.Result target = git.run("rev-parse", "--verify", "-q", "refs/heads/" + onto);
    return tip.exit() == 0 && target.exit() == 0 && isAncestor(tip.line(), target.line());
  }

  boolean isAncestor(String ancestor, String of) {
    Git.Result r = git.run("merge-base", "--is-ancestor", ancestor, of);
    if (r.exit() > 1) {
      throw Git.failure(r);
    }
    return r.exit() == 0;
  }

  /** The worktrees git knows, with the branch each has checked out (null when detached). */
  List<WorktreeEntry> worktrees() {
    List<WorktreeEntry> out = new ArrayList<>();
    Path path = null;
    String branch = null;
    for (String line : git.check("worktree", "list", "--porcelain", "-z").nulSeparated()) {
      if (line.startsWith("worktree ")) {
        path = Path.of(line.substring("worktree ".length()));
        branch = null;
      } else if (line.startsWith("branch refs/heads/")) {
        branch = line.substring("branch refs/heads/".length());
      } else if (line.isEmpty() && path != null) {
        out.add(new WorktreeEntry(path, branch));
        path = null;
      }
    }
    if (path != null) {
      out.add(new WorktreeEntry(path, branch));
    }
    return out;
  }

  record WorktreeEntry(Path path, String branch) {}

  /** Local branch names under {@code prefix} (e.g. {@code braid/}). */
  List<String> branches(String prefix) {
    return git.check("for-each-ref", "--format=%(refname:lstrip=2)", "refs/heads/" + prefix)
        .out()
        .lines()
        .toList();
  }

  /**
   * Removes what runs left: the worktrees under {@code worktrees} and the task branches of run
   * {@code runId} (every run when null). Integration branches go too when a branch of the user's
   * holds their work or {@code integrationBranches} is set; the others are kept and reported.
   */
  public CleanReport clean(Path worktrees, String runId, boolean integrationBranches) {
    return Cleanup.clean(this, worktrees, runId, integrationBranches);
  }
}
