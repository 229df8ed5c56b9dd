package dev.braid.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run's integration branch and its task worktrees. Safe to use from many threads: merges (and
 * reading the head a new task starts from) are serialized by one lock; worktrees of different tasks
 * are independent.
 *
 * <p>Merges never check anything out: the tree comes from {@code git merge-tree --write-tree}, the
 * commit from {@code git commit-tree}, and the branch moves by {@code git update-ref} with its old
 * value, so a merge is one atomic ref update and an interrupted one leaves nothing behind but an
 * unreachable commit.
 */
public final class Integration {

  private final Repository repo;
  private final Git git;
  private final String runId;
  private final String branch;
  private final String ref;
  private final Path worktrees;
  private final MergeStrategy strategy;
  private final ReentrantLock lock = new ReentrantLock();
  private final ReentrantLock worktreeLock = new ReentrantLock();

  /** Where slot worktrees live; a leading dot is never part of an escaped task id. */
  static final String SLOTS = ".slots";

  Integration(
      Repository repo, String runId, String branch, Path worktrees, MergeStrategy strategy) {
    this.repo = repo;
    this.git = repo.git();
    this.runId = runId;
    this.branch = branch;
    this.ref = "refs/heads/" + branch;
    this.worktrees = worktrees;
    this.strategy = strategy;
  }

  public String runId() {
    return runId;
  }

  /** {@code braid/RUN}. */
  public String branch() {
    return branch;
  }

  public MergeStrategy strategy() {
    return strategy;
  }

  /** The directory holding this run's task worktrees. */
  public Path worktrees() {
    return worktrees;
  }

  /** The integration branch's current commit. */
  public String head() {
    lock.lock();
    try {
      return git.line("rev-parse", "--verify", ref);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Creates the task's worktree and branch at the current integration head, so the task sees
   * everything merged so far. What an earlier, interrupted attempt left (worktree, branch) is
   * removed first.
   */
  public TaskWorktree open(String taskId) {
    String taskBranch = BranchNames.task(runId, taskId);
    Path dir = worktrees.resolve(BranchNames.component(taskId));
    if (Files.exists(dir)
        || git.run("rev-parse", "--verify", "-q", "refs/heads/" + taskBranch).exit() == 0) {
      discard(dir, taskBranch);
    }
    String base = head();
    try {
      Files.createDirectories(worktrees);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    worktree(true, "add", "-q", "-b", taskBranch, dir.toString(), base);
    return new TaskWorktree(taskId, taskBranch, dir, base);
  }

  /**
   * Like {@link #open(String)}, in agent slot {@code slot}'s worktree ({@code RUN/.slots/N}): when
   * the slot's previous task left one (see {@link #release}), it is switched to the new task branch
   * at the integration head, which checks out only the files that differ, and cleaned of untracked
   * files (ignored ones, such as build outputs, stay); otherwise a new one is added.
   */
  public TaskWorktree open(String taskId, int slot) {
    if (slot < 1) {
      throw new IllegalArgumentException("slot must be at least 1: " + slot);
    }
    String taskBranch = BranchNames.task(runId, taskId);
    Path kept = worktrees.resolve(BranchNames.component(taskId));
    if (Files.exists(kept)
        || git.run("rev-parse", "--verify", "-q", "refs/heads/" + taskBranch).exit() == 0) {
      discard(kept, taskBranch);
    }
    Path dir = worktrees.resolve(SLOTS).resolve(Integer.toString(slot));
    String base = head();
    if (Files.exists(dir.resolve(".git"))) {
      Git in = new Git(dir);
      if (in.run("checkout", "-q", "-f", "-B", taskBranch, base).exit() == 0
          && in.run("clean", "-ffdq").exit() == 0) {
        return new TaskWorktree(taskId, taskBranch, dir, base);
      }
    }
    if (Files.exists(dir)) {
      worktree(false, "remove", "--force", dir.toString());
      if (Files.exists(dir)) {
        Cleanup.deleteTree(dir);
      }
      worktree(false, "prune");
    }
    try {
      Files.createDirectories(dir.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    worktree(true, "add", "-q", "-B", taskBranch, dir.toString(), base);
    return new TaskWorktree(taskId, taskBranch, dir, base);
  }

  /**
   * A worktree with {@code commit} checked out on a detached HEAD, for running a check on it (the
   * run's integration checkpoints): {@code RUN/.slots/NAME}, reused from one check to the next,
   * switched to the commit and cleaned of untracked files. {@link #removeSlots} removes it.
   */
  public Path detached(String name, String commit) {
    if (name.isEmpty() || !name.chars().allMatch(Character::isLetter)) {
      throw new IllegalArgumentException("name must be letters: " + name);
    }
    Path dir = worktrees.resolve(SLOTS).resolve(name);
    if (Files.exists(dir.resolve(".git"))) {
      Git in = new Git(dir);
      if (in.run("checkout", "-q", "-f", "--detach", commit).exit() == 0
          && in.run("clean", "-ffdq").exit() == 0) {
        return dir;
      }
    }
    if (Files.exists(dir)) {
      worktree(false, "remove", "--force", dir.toString());
      if (Files.exists(dir)) {
        Cleanup.deleteTree(dir);
      }
      worktree(false, "prune");
    }
    try {
      Files.createDirectories(dir.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    worktree(true, "add", "-q", "--detach", dir.toString(), commit);
    return dir;
  }

  /**
   * The commits the integration branch took from {@code good} (exclusive) to {@code bad}
   * (inclusive), oldest first, following first parents: one per merge (squash, merge), or each
   * replayed commit (rebase). Empty when {@code good} is not an ancestor of {@code bad}.
   */
  public List<String> mergesBetween(String good, String bad) {
    if (!repo.isAncestor(good, bad)) {
      return List.of();
    }
    return git.check("rev-list", "--first-parent", "--reverse", good + ".." + bad)
        .out()
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  /**
   * The task's work is integrated (or given up): its branch goes; a slot's worktree stays for the
   * slot's next task, detached; any other worktree is removed.
   */
  public void release(TaskWorktree wt) {
    if (!pooled(wt)) {
      remove(wt, false);
      return;
    }
    new Git(wt.dir()).check("checkout", "-q", "--detach");
    git.run("branch", "-D", "-q", wt.branch());
  }

  /**
   * The task's work was not integrated: its worktree and branch are kept for inspection, a slot's
   * worktree moved to {@code RUN/TASK} so the slot gets a new one. Returns where it is now.
   */
  public TaskWorktree keep(TaskWorktree wt) {
    if (!pooled(wt)) {
      return wt;
    }
    Path to = worktrees.resolve(BranchNames.component(wt.taskId()));
    worktree(true, "move", wt.dir().toString(), to.toString());
    return new TaskWorktree(wt.taskId(), wt.branch(), to, wt.base());
  }

  /**
   * Removes the slots' worktrees at the end of a run, and the run's directory when nothing is left
   * in it; kept (failed) tasks' worktrees stay.
   */
  public void removeSlots() {
    Path slots = worktrees.resolve(SLOTS);
    for (Repository.WorktreeEntry e : listWorktrees()) {
      if (e.path().startsWith(slots)) {
        worktree(true, "remove", "--force", e.path().toString());
      }
    }
    if (Files.exists(slots)) {
      Cleanup.deleteTree(slots);
      worktree(false, "prune");
    }
    try {
      // the run's own directory goes with its last worktree; kept (failed) tasks' hold it
      Files.deleteIfExists(worktrees);
    } catch (DirectoryNotEmptyException e) {
      // a kept worktree is in it
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean pooled(TaskWorktree wt) {
    Path parent = wt.dir().getParent();
    return parent != null && parent.equals(worktrees.resolve(SLOTS));
  }

  /**
   * Commits everything the task changed in its worktree (new, modified and deleted files that are
   * not ignored) with {@code message}; the author comes from git's configuration. Commits the task
   * made itself are kept.
   */
  public TaskCommit commit(TaskWorktree wt, String message) {
    Git in = new Git(wt.dir());
    in.check("add", "-A");
    if (in.run("diff", "--cached", "--quiet").exit() == 1) {
      in.input(message, "commit", "-q", "--no-verify", "-F", "-").orThrow();
    }
    String head = in.line("rev-parse", "--verify", "HEAD");
    if (!head.equals(git.line("rev-parse", "--verify", "refs/heads/" + wt.branch()))) {
      // the task moved HEAD off its branch: its branch follows, so the work is named
      git.check("update-ref", "refs/heads/" + wt.branch(), head);
    }
    List<String> changed =
        head.equals(wt.base())
            ? List.of()
            : git.check("diff", "--name-only", "-z", "--no-renames", wt.base(), head)
                .nulSeparated();
    return new TaskCommit(wt.base(), head, changed);
  }

  /**
   * Brings a committed task into the integration branch with this run's strategy, after checking
   * with {@code merge-tree} that it merges cleanly. On a conflict nothing changes: the integration
   * branch stays where it was and the task's branch keeps its work.
   *
   * @param message the commit message: task id and title
   */
  public MergeResult merge(TaskWorktree wt, TaskCommit work, String message) {
    lock.lock();
    try {
      String old = git.line("rev-parse", "--verify", ref);
      if (work.changedNothing() || repo.isAncestor(work.head(), old)) {
        return new MergeResult.UpToDate(old);
      }
      Git.Result probe =
          git.run(
              "merge-tree", "--write-tree", "--name-only", "-z", "--no-messages", old, work.head());
      List<String> out = probe.nulSeparated();
      if (probe.exit() == 1) {
        return new MergeResult.Conflicted(old, out.subList(1, out.size()));
      }
      probe.orThrow();
      String tree = out.get(0);
      Replay replay =
          switch (strategy) {
            case MERGE -> Replay.of(commitTree(git, message, tree, old, work.head()));
            case SQUASH -> Replay.of(commitTree(git, message, tree, old));
            case REBASE -> rebase(wt, work, old, tree);
          };
      if (replay.commit() == null) {
        return new MergeResult.Conflicted(old, replay.conflicts());
      }
      String how = strategy.name().toLowerCase(Locale.ROOT);
      git.check("update-ref", "-m", "braid: " + how + " " + wt.branch(), ref, replay.commit(), old);
      return new MergeResult.Merged(old, replay.commit());
    } finally {
      lock.unlock();
    }
  }

  /**
   * A change the integration branch took: its commits after {@code before} up to {@code after} on
   * the first-parent line (one merge or squash commit, or a rebased task's commits), and the
   * message of the commit that undoes it.
   */
  public record Change(String before, String after, String message) {
    public Change {
      java.util.Objects.requireNonNull(before, "before");
      java.util.Objects.requireNonNull(after, "after");
      java.util.Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Makes one commit per change, in order, that undoes it on top of the integration head (as {@code
   * git revert} would, relative to the change's first parent), without checking anything out and
   * without moving the branch. Each undo is a three-way merge of the head and the tree before the
   * change, on the change itself as base: {@code merge-tree} picks the base from history, so it
   * merges with a throwaway commit of the old tree whose only parent is the change.
   */
  public RevertResult prepareRevert(List<Change> changes) {
    lock.lock();
    try {
      String before = git.line("rev-parse", "--verify", ref);
      String head = before;
      List<String> commits = new ArrayList<>();
      for (int i = 0; i < changes.size(); i++) {
        Change c = changes.get(i);
        if (!repo.isAncestor(c.after(), head)) {
          throw new GitException(c.after() + " is not on " + branch + ": cannot revert it");
        }
        String undo =
            commitTree(git, "braid: undo " + c.after(), c.before() + "^{tree}", c.after());
        Git.Result probe =
            git.run("merge-tree", "--write-tree", "--name-only", "-z", "--no-messages", head, undo);
        List<String> out = probe.nulSeparated();
        if (probe.exit() == 1) {
          return new RevertResult.Conflicted(i, out.subList(1, out.size()));
        }
        probe.orThrow();
        String message = c.message().strip() + "\n\nThis reverts " + c.after() + ".\n";
        head = commitTree(git, message, out.get(0), head);
        commits.add(head);
      }
      return new RevertResult.Prepared(before, head, commits);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves the integration branch from {@code from} to {@code to} (prepared by {@link
   * #prepareRevert}); fails, changing nothing, if it is no longer at {@code from}.
   */
  public void advance(String from, String to, String why) {
    lock.lock();
    try {
      git.check("update-ref", "-m", "braid: " + why, ref, to, from);
    } finally {
      lock.unlock();
    }
  }

  /** A replayed commit, or the files that stopped the replay. */
  private record Replay(String commit, List<String> conflicts) {
    static Replay of(String commit) {
      return new Replay(commit, List.of());
    }
  }

  private Replay rebase(TaskWorktree wt, TaskCommit work, String old, String tree) {
    if (repo.isAncestor(old, work.head())) {
      return Replay.of(work.head()); // nothing merged since the task started: fast-forward
    }
    List<String> commits =
        git.check("rev-list", "--reverse", old + ".." + work.head()).out().lines().toList();
    if (commits.size() == 1) {
      // one commit on a base the integration branch contains: its replay is the merged tree
      String c = commits.get(0);
      List<String> meta =
          git.check("log", "-1", "--format=%an%x00%ae%x00%ad%x00%B", "--date=raw", c)
              .nulSeparated();
      Git author =
          git.withEnv(
              Map.of(
                  "GIT_AUTHOR_NAME", meta.get(0),
                  "GIT_AUTHOR_EMAIL", meta.get(1),
                  "GIT_AUTHOR_DATE", meta.get(2)));
      String body = meta.size() > 3 ? meta.get(3) : "";
      return Replay.of(commitTree(author, body, tree, old));
    }
    // several commits: git 2.39's merge-tree cannot replay one onto another base, so the task's
    // own worktree (its command has ended) does the rebase
    Git in = new Git(wt.dir());
    in.check("checkout", "-q", "--detach", work.head());
    Git.Result r = in.run("rebase", "-q", "--no-autosquash", "--no-verify", old);
    if (r.exit() != 0) {
      List<String> files = in.run("diff", "--name-only", "-z", "--diff-filter=U").nulSeparated();
      in.run("rebase", "--abort");
      return new Replay(null, files);
    }
    return Replay.of(in.line("rev-parse", "--verify", "HEAD"));
  }

  private static String commitTree(Git git, String message, String tree, String... parents) {
    List<String> args = new ArrayList<>(List.of("commit-tree", tree));
    for (String p : parents) {
      args.add("-p");
      args.add(p);
    }
    args.add("-F");
    args.add("-");
    String msg = message.endsWith("\n") ? message : message + "\n";
    return git.input(msg, args.toArray(String[]::new)).orThrow().line();
  }

  /**
   * Removes the task's worktree; its branch too unless {@code keepBranch} (a task whose work did
   * not reach the integration branch keeps it).
   */
  public void remove(TaskWorktree wt, boolean keepBranch) {
    worktree(true, "remove", "--force", wt.dir().toString());
    if (!keepBranch) {
      git.run("branch", "-D", "-q", wt.branch());
    }
  }

  /** Removes a worktree and branch left by an earlier attempt, if any. */
  private void discard(Path dir, String taskBranch) {
    for (Repository.WorktreeEntry e : listWorktrees()) {
      if (e.path().equals(dir) || taskBranch.equals(e.branch())) {
        worktree(false, "remove", "--force", e.path().toString());
      }
    }
    if (Files.exists(dir)) {
      Cleanup.deleteTree(dir);
    }
    worktree(false, "prune");
    git.run("branch", "-D", "-q", taskBranch);
  }

  /**
   * {@code git worktree ARGS}, one at a time: concurrent adds, moves and prunes race on {@code
   * .git/worktrees} ("failed to read .git/worktrees/N/commondir").
   */
  private Git.Result worktree(boolean check, String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = "worktree";
    System.arraycopy(args, 0, argv, 1, args.length);
    worktreeLock.lock();
    try {
      return check ? git.check(argv) : git.run(argv);
    } finally {
      worktreeLock.unlock();
    }
  }

  private List<Repository.WorktreeEntry> listWorktrees() {
    worktreeLock.lock();
    try {
      return repo.worktrees();
    } finally {
      worktreeLock.unlock();
    }
  }
}
