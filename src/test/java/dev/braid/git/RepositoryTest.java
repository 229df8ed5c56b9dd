package dev.braid.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryTest {

  @TempDir Path tmp;
  TestRepo user;
  Repository repo;
  Path worktrees;

  @BeforeEach
  void setUp() {
    user = TestRepo.init(tmp.resolve("repo"));
    user.write("app.txt", "one\ntwo\nthree\n");
    user.commitAll("base");
    repo = Repository.open(user.dir.resolve("."));
    repo.ignoreStateDir(user.dir.resolve(".braid"));
    worktrees = user.dir.resolve(".braid/worktrees");
  }

  /** Runs one task that writes {@code file} on run {@code run}'s integration branch. */
  Integration runWith(String run, String file, String content) {
    Integration in = repo.integration(run, worktrees, MergeStrategy.MERGE);
    TaskWorktree wt = in.open("T");
    TestRepo.write(wt.dir(), file, content);
    TaskCommit c = in.commit(wt, "T: write " + file);
    assertThat(in.merge(wt, c, "T: write " + file)).isInstanceOf(MergeResult.Merged.class);
    in.remove(wt, false);
    return in;
  }

  @Test
  void opensFromAnySubdirectoryAndRefusesWhatIsNotARepositoryOrHasNoCommit() throws Exception {
    Files.createDirectories(user.dir.resolve("deep/er"));
    assertThat(Repository.open(user.dir.resolve("deep/er")).root())
        .isEqualTo(user.dir.toRealPath());
    assertThat(Repository.isInside(user.dir.resolve("deep"))).isTrue();

    Path plain = Files.createDirectories(tmp.resolve("plain"));
    assertThat(Repository.isInside(plain)).isFalse();
    assertThatThrownBy(() -> Repository.open(plain))
        .isInstanceOf(GitException.class)
        .hasMessageContaining("is not inside a git repository");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    TestRepo.git(empty, "init", "-q");
    assertThatThrownBy(() -> Repository.open(empty))
        .isInstanceOf(GitException.class)
        .hasMessageContaining("no commit yet");
  }

  @Test
  void dirtyFilesAreTrackedChangesStagedOrNotButNotUntrackedFilesOrBraidsState() {
    assertThat(repo.dirtyFiles()).isEmpty();
    user.write("untracked.txt", "u\n");
    user.write(".braid/runs.db", "state\n");
    assertThat(repo.dirtyFiles()).isEmpty();
    user.write("app.txt", "edited\n");
    user.write("README.md", "staged\n");
    user.git("add", "README.md");
    user.git("mv", "app.txt", "moved.txt");
    assertThat(repo.dirtyFiles()).containsExactlyInAnyOrder("README.md", "moved.txt");
  }

  @Test
  void stashPutsChangesAsideAndRestoresThemAfterALanding() {
    assertThat(repo.stash("nothing to stash", List.of())).isEmpty();
    user.write("app.txt", "one\ntwo\nthree\nlocal edit\n");
    String stash = repo.stash("braid run r1", List.of()).orElseThrow();
    assertThat(repo.dirtyFiles()).isEmpty();
    assertThat(user.dir.resolve("app.txt")).hasContent("one\ntwo\nthree");

    runWith("r1", "new.txt", "n\n");
    assertThat(repo.land("r1", "main")).isInstanceOf(LandResult.Landed.class);

    assertThat(repo.restoreStash(stash)).isTrue();
    assertThat(user.dir.resolve("app.txt")).hasContent("one\ntwo\nthree\nlocal edit");
    assertThat(user.dir.resolve("new.txt")).hasContent("n");
    assertThat(user.git("stash", "list")).isEmpty();
  }

  @Test
  void aStashThatWouldConflictStaysInTheStashList() {
    user.write("app.txt", "local\n");
    String stash = repo.stash("braid run r1", List.of()).orElseThrow();
    runWith("r1", "app.txt", "from the run\n");
    repo.land("r1", "main");
    assertThat(repo.restoreStash(stash)).isFalse();
    assertThat(user.dir.resolve("app.txt")).hasContent("from the run");
    assertThat(user.git("stash", "list")).contains("braid run r1");
    assertThat(repo.dirtyFiles()).isEmpty();
  }

  @Test
  void landFastForwardsTheCheckedOutBranchAndItsWorkingTree() {
    String before = user.rev("HEAD");
    Integration in = runWith("r1", "new.txt", "n\n");
    assertThat(user.dir.resolve("new.txt")).doesNotExist();

    assertThat(repo.land("r1", "main")).isEqualTo(new LandResult.Landed(in.head(), true));

    assertThat(user.rev("main")).isEqualTo(in.head());
    assertThat(user.rev("main^1")).isEqualTo(before);
    assertThat(user.dir.resolve("new.txt")).hasContent("n");
    assertThat(user.status()).isEmpty();
    assertThat(repo.land("r1", "main")).isEqualTo(new LandResult.UpToDate(in.head()));
  }

  @Test
  void landMergesWhenTheUserCommittedMeanwhileAndRefusesAConflict() {
    Integration in = runWith("r1", "new.txt", "n\n");
    user.write("mine.txt", "mine\n");
    user.commitAll("user's own work during the run");
    String mine = user.rev("HEAD");

    LandResult r = repo.land("r1", "main");

    assertThat(r).isInstanceOf(LandResult.Landed.class);
    assertThat(((LandResult.Landed) r).fastForward()).isFalse();
    assertThat(user.rev("main^1")).isEqualTo(mine);
    assertThat(user.rev("main^2")).isEqualTo(in.head());
    assertThat(user.dir.resolve("new.txt")).exists();

    runWith("r2", "app.txt", "run's version\n");
    user.write("app.txt", "user's version\n");
    user.commitAll("user edits the same file");
    String head = user.rev("HEAD");
    LandResult refused = repo.land("r2", "main");
    assertThat(refused).isInstanceOf(LandResult.Refused.class);
    assertThat(((LandResult.Refused) refused).reason()).contains("would conflict in app.txt");
    assertThat(user.rev("HEAD")).isEqualTo(head);
    assertThat(user.status()).isEmpty();
  }

  @Test
  void landOntoABranchNotCheckedOutMovesOnlyTheBranch() {
    user.git("branch", "feature");
    Integration in = runWith("r1", "new.txt", "n\n");
    assertThat(repo.land("r1", "feature")).isEqualTo(new LandResult.Landed(in.head(), true));
    assertThat(user.rev("feature")).isEqualTo(in.head());
    assertThat(user.dir.resolve("new.txt")).doesNotExist();
    assertThat(repo.land("r1", "nope")).isInstanceOf(LandResult.Refused.class);
  }

  @Test
  void cleanRemovesWorktreesAndTaskBranchesAndKeepsUnlandedWork() {
    Integration landed = runWith("r1", "a.txt", "a\n");
    repo.land("r1", "main");
    Integration open = repo.integration("r2", worktrees, MergeStrategy.MERGE);
    TaskWorktree failed = open.open("failed task");
    TestRepo.write(failed.dir(), "wip.txt", "wip\n");
    open.commit(failed, "failed task");
    runWith("r3", "c.txt", "c\n");

    CleanReport one = repo.clean(worktrees, "r2", false);
    assertThat(one.worktrees()).containsExactly(failed.dir());
    assertThat(one.deletedBranches()).containsExactly("braid-tasks/r2/failed%20task", "braid/r2");
    assertThat(failed.dir()).doesNotExist();

    CleanReport all = repo.clean(worktrees, null, false);
    assertThat(all.deletedBranches()).containsExactly(landed.branch());
    assertThat(all.kept()).containsExactly("braid/r3");
    assertThat(user.git("worktree", "list").lines()).hasSize(1);

    CleanReport forced = repo.clean(worktrees, null, true);
    assertThat(forced.deletedBranches()).containsExactly("braid/r3");
    assertThat(user.git("branch", "--list", "braid*")).isEmpty();
    assertThat(user.status()).isEmpty();
  }
}
