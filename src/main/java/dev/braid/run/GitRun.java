package dev.braid.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.git.GitException;
import dev.braid.git.Integration;
import dev.braid.git.LandResult;
import dev.braid.git.Repository;
import dev.braid.manifest.Manifest;
import dev.braid.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The git side of one run with worktree isolation: checks the user's tree before anything starts,
 * opens the integration branch, wraps the executor, and lands (or says how to) at the end.
 */
final class GitRun {

  /** Event types written here. */
  static final String GIT_STARTED = "git.started";

  static final String GIT_LANDED = "git.landed";
  static final String GIT_NOT_LANDED = "git.not_landed";
  static final String GIT_STASH = "git.stash";

  /** Created on first use: a run without git isolation never parses git's details. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Repository repo;
  private final Isolation settings;
  private final Optional<String> startBranch;
  private final String startCommit;

  /** The plan file's path in the repository: not the user's change to stash or refuse for. */
  private final List<String> plan;

  private Optional<String> stash = Optional.empty();
  private Integration integration;

  private GitRun(Repository repo, Isolation settings, List<String> plan) {
    this.repo = repo;
    this.settings = settings;
    this.plan = plan;
    this.startBranch = repo.currentBranch();
    this.startCommit = repo.head();
  }

  /**
   * The git side of a run, or empty when tasks run in the work directory itself: {@code --isolation
   * none}, or the default outside a repository (or in one without a commit).
   *
   * <p>The plan file itself is left out of the check for uncommitted changes, and {@code --stash}
   * leaves it where it is. Braid reads the plan from the working tree, not from the commit, and
   * marks succeeded tasks done there (a checklist's {@code [x]}): refusing the next run over its
   * own marks would make every run after the first need a commit or {@code --stash}, and stashing
   * the file would carry the marks of earlier runs off into the stash, write this run's on the
   * committed version, and then make the stash conflict when it comes back. The tasks do not read
   * the plan, so its uncommitted edits hide nothing from them; they stay the user's to commit.
   *
   * @throws RunService.RefusedException when worktrees cannot be used, or the working tree has
   *     uncommitted changes (other than the plan's) and {@code --stash} was not given
   */
  static Optional<GitRun> open(
      Isolation settings, Path workDir, Path planFile, RunListener listener) {
    switch (settings.mode()) {
      case NONE -> {
        return Optional.empty();
      }
      case AUTO -> {
        if (!Repository.isInside(workDir)) {
          return Optional.empty();
        }
      }
      case WORKTREE -> {}
    }
    Repository repo;
    try {
      repo = Repository.open(workDir);
    } catch (GitException e) {
      if (settings.mode() == Isolation.Mode.AUTO) {
        listener.note("running without worktree isolation: " + e.getMessage());
        return Optional.empty();
      }
      throw new RunService.RefusedException("--isolation worktree: " + e.getMessage());
    }
    Optional<String> blocked = repo.blockedNamespace();
    if (blocked.isPresent()) {
      throw new RunService.RefusedException(blocked.get());
    }
    List<String> plan = repo.pathOf(planFile).stream().toList();
    GitRun run = new GitRun(repo, settings, plan);
    List<String> dirty = new ArrayList<>(repo.dirtyFiles());
    dirty.removeAll(plan);
    if (!dirty.isEmpty() && !settings.stash()) {
      int shown = Math.min(5, dirty.size());
      throw new RunService.RefusedException(
          "the working tree has uncommitted changes ("
              + String.join(", ", dirty.subList(0, shown))
              + (shown < dirty.size() ? " and " + (dirty.size() - shown) + " more" : "")
              + "); tasks start from the last commit and would not see them: commit them,"
              + " or pass --stash to set them aside for the run, or --isolation none");
    }
    return Optional.of(run);
  }

  /**
   * Stashes the user's changes if asked, and opens (or reopens) the run's integration branch. The
   * last step of a start that may refuse: a refusal puts back what it stashed, and the caller
   * undoes what it recorded, so that a refused start leaves no trace.
   *
   * @throws RunService.RefusedException when git cannot stash the changes or create the branch
   */
  Integration start(String runId, Path stateDir, Store store, Clock clock, RunListener listener) {
    if (settings.stash()) {
      try {
        stash = repo.stash("braid run " + runId, plan);
      } catch (GitException e) {
        throw new RunService.RefusedException("--stash: " + e.getMessage());
      }
      stash.ifPresent(
          s -> {
            store.appendEventData(runId, clock.instant(), GIT_STASH, null, Map.of("stash", s));
            listener.note("stashed your uncommitted changes; they come back when the run ends");
          });
    }
    try {
      integration = repo.integration(runId, stateDir.resolve("worktrees"), settings.merge());
    } catch (GitException e) {
      // the stash was made on this HEAD a moment ago: it comes back cleanly
      stash.ifPresent(repo::restoreStash);
      throw new RunService.RefusedException(e.getMessage());
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("branch", integration.branch());
    data.put("start_branch", startBranch.orElse(null));
    data.put("start_commit", startCommit);
    data.put("merge", settings.merge().name().toLowerCase(java.util.Locale.ROOT));
    data.put("on_conflict", settings.onConflict().name().toLowerCase(java.util.Locale.ROOT));
    data.put("strict_scope", settings.strictScope());
    store.appendEventData(runId, clock.instant(), GIT_STARTED, null, data);
    return integration;
  }

  Executor wrap(Executor inner, Manifest plan, Clock clock) {
    return new WorktreeExecutor(inner, integration, plan, settings, clock);
  }

  /**
   * The end of the run: lands when asked and everything succeeded, else says how to land; puts
   * stashed changes back.
   *
   * @return whether {@code --land} was asked for a run whose tasks all succeeded and it did not
   *     land: the user's request was not done, which the exit code says
   */
  boolean finish(RunSummary summary, Store store, Clock clock, RunListener listener) {
    String runId = summary.runId();
    String branch = integration.branch();
    integration.removeSlots();
    List<JsonNode> started = started(store, runId);
    Optional<String> onto = first(started, "start_branch").or(() -> startBranch);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("branch", branch);
    data.put("head", integration.head());
    String tidy = " (braid clean " + runId + " tidies up)";
    boolean refused = false;
    if (settings.land() && summary.status() == RunSummary.Status.SUCCEEDED) {
      LandResult r =
          onto.isPresent()
              ? repo.land(runId, onto.get())
              : new LandResult.Refused(
                  "the run started on a detached HEAD",
                  "the work is on " + branch + "; land it with: git merge " + branch);
      switch (r) {
        case LandResult.Landed l -> {
          data.put("onto", onto.get());
          data.put("commit", l.commit());
          data.put("fast_forward", l.fastForward());
          store.appendEventData(runId, clock.instant(), GIT_LANDED, null, data);
          listener.note(
              "landed "
                  + branch
                  + " on "
                  + onto.get()
                  + (l.fastForward() ? " (fast-forward)" : " (merge commit)"));
        }
        case LandResult.UpToDate u ->
            listener.note(onto.get() + " already holds " + branch + "; nothing to land");
        case LandResult.Refused f -> {
          refused = true;
          data.put("reason", f.reason());
          store.appendEventData(runId, clock.instant(), GIT_NOT_LANDED, null, data);
          listener.note("not landed: " + f.reason() + "; " + f.later() + tidy);
        }
      }
    } else if (integration.head().equals(first(started, "start_commit").orElse(startCommit))) {
      // no task merged anything: there is no work to point at
      listener.note("nothing was merged into " + branch + ", so there is nothing to land" + tidy);
    } else {
      String why =
          !settings.land()
              ? "the work is on " + branch
              : "not landed because not every task succeeded; the work so far is on " + branch;
      listener.note(why + "; land it with: git merge " + branch + tidy);
    }
    stash.ifPresent(
        s -> {
          if (repo.restoreStash(s)) {
            listener.note("restored your stashed changes");
          } else {
            listener.note(
                "your stashed changes would conflict with the landed work; they stay in"
                    + " `git stash list` as 'braid run "
                    + runId
                    + "'");
          }
        });
    return refused;
  }

  /**
   * Whether the run's work was landed by an earlier session, or is on the branch it would land on
   * already (its tasks merged nothing, or it was merged by hand): either way there is nothing to
   * land.
   */
  boolean landed(Store store, String runId) {
    return landed(repo, startBranch, store, runId);
  }

  /**
   * For a dry run, reading only: whether {@code --land} would land run {@code runId}'s work, which
   * a run with {@code settings} in {@code workDir} then resumes to do.
   */
  static boolean wouldLand(Isolation settings, Path workDir, Store store, String runId) {
    if (!settings.land()
        || settings.mode() == Isolation.Mode.NONE
        || !Repository.isInside(workDir)) {
      return false;
    }
    try {
      Repository repo = Repository.open(workDir);
      return !landed(repo, repo.currentBranch(), store, runId);
    } catch (GitException e) {
      return false; // a run would not use worktrees here (or would refuse to start)
    }
  }

  private static boolean landed(
      Repository repo, Optional<String> startBranch, Store store, String runId) {
    if (!store.events(runId, List.of(GIT_LANDED)).isEmpty()) {
      return true;
    }
    Optional<String> onto = first(started(store, runId), "start_branch").or(() -> startBranch);
    return onto.isPresent() && repo.holds(onto.get(), runId);
  }

  /**
   * What the run's {@code git.started} events say, first session first: a resumed run's start
   * branch and start commit are those of the session that first had them.
   */
  private static List<JsonNode> started(Store store, String runId) {
    return store.events(runId, List.of(GIT_STARTED)).stream()
        .filter(e -> e.dataJson() != null)
        .map(e -> read(e.dataJson()))
        .toList();
  }

  private static Optional<String> first(List<JsonNode> started, String field) {
    return started.stream()
        .map(d -> d.path(field))
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText)
        .findFirst();
  }

  private static JsonNode read(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      return Json.MAPPER.nullNode();
    }
  }
}
