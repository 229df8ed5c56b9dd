package dev.braid.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrationTest {

  @TempDir Path tmp;
  TestRepo user;
  Repository repo;
  Path state;

  @BeforeEach
  void setUp() {
    user = TestRepo.init(tmp.resolve("repo"));
    user.write("src/shared.txt", "one\ntwo\nthree\n");
    user.write("src/gone.txt", "bye\n");
    user.commitAll("base");
    repo = Repository.open(user.dir);
    state = user.dir.resolve(".braid");
    repo.ignoreStateDir(state);
  }

  Integration start(MergeStrategy strategy) {
    return repo.integration("r1", state.resolve("worktrees"), strategy);
  }

  /** Opens a worktree, lets {@code work} change it, commits and merges: one task, start to end. */
  MergeResult task(Integration in, String id, java.util.function.Consumer<Path> work) {
    TaskWorktree wt = in.open(id);
    work.accept(wt.dir());
    TaskCommit c = in.commit(wt, id + ": title of " + id);
    return in.merge(wt, c, id + ": title of " + id);
  }

  @Test
  void twoTasksEditingDifferentFilesBothReachTheIntegrationBranchAndTheUsersTreeIsUntouched() {
    String userHead = user.rev("HEAD");
    String userStatus = user.status();
    Integration in = start(MergeStrategy.MERGE);
    assertThat(in.branch()).isEqualTo("braid/r1");
    assertThat(in.head()).isEqualTo(userHead);

    TaskWorktree a = in.open("A");
    TaskWorktree b = in.open("B");
    assertThat(a.dir()).startsWith(state.resolve("worktrees")).isDirectory();
    assertThat(a.branch()).isEqualTo("braid-tasks/r1/A");
    TestRepo.write(a.dir(), "src/a.txt", "from A\n");
    TestRepo.write(b.dir(), "src/b.txt", "from B\n");
    TaskCommit ca = in.commit(a, "A: add a");
    TaskCommit cb = in.commit(b, "B: add b");
    assertThat(ca.changedFiles()).containsExactly("src/a.txt");

    assertThat(in.merge(a, ca, "A: add a")).isInstanceOf(MergeResult.Merged.class);
    assertThat(in.merge(b, cb, "B: add b")).isInstanceOf(MergeResult.Merged.class);

    assertThat(user.show("braid/r1", "src/a.txt")).isEqualTo("from A\n");
    assertThat(user.show("braid/r1", "src/b.txt")).isEqualTo("from B\n");
    assertThat(user.git("rev-list", "--count", "--first-parent", userHead + "..braid/r1"))
        .as("one step per task")
        .isEqualTo("2");
    assertThat(user.git("rev-list", "--count", "--min-parents=2", userHead + "..braid/r1"))
        .as("each a merge commit")
        .isEqualTo("2");
    assertThat(user.git("log", "-1", "--format=%an <%ae>", "braid/r1"))
        .isEqualTo(user.git("var", "GIT_COMMITTER_IDENT").replaceAll(">.*", ">"));
    assertThat(user.rev("HEAD")).isEqualTo(userHead);
    assertThat(user.rev("main")).isEqualTo(userHead);
    assertThat(user.status()).isEqualTo(userStatus).isEmpty();
    assertThat(user.dir.resolve("src/a.txt")).doesNotExist();
  }

  @Test
  void aTaskStartedAfterAMergeSeesTheMergedFiles() {
    Integration in = start(MergeStrategy.MERGE);
    task(in, "dep", d -> TestRepo.write(d, "lib/api.txt", "contract\n"));
    TaskWorktree next = in.open("user-of-dep");
    assertThat(next.dir().resolve("lib/api.txt")).hasContent("contract");
    assertThat(next.base()).isEqualTo(in.head());
  }

  @Test
  void editsOfTheSameLinesAreAConflictThatChangesNothingAndLosesNothing() {
    Integration in = start(MergeStrategy.MERGE);
    TaskWorktree a = in.open("A");
    TaskWorktree b = in.open("B");
    TestRepo.write(a.dir(), "src/shared.txt", "one\nTWO by A\nthree\n");
    TestRepo.write(b.dir(), "src/shared.txt", "one\nTWO by B\nthree\n");
    TestRepo.write(b.dir(), "src/b-only.txt", "b\n");
    TaskCommit ca = in.commit(a, "A");
    TaskCommit cb = in.commit(b, "B");
    in.merge(a, ca, "A");
    String before = in.head();

    MergeResult r = in.merge(b, cb, "B");

    assertThat(r).isEqualTo(new MergeResult.Conflicted(before, List.of("src/shared.txt")));
    assertThat(in.head()).isEqualTo(before);
    assertThat(user.show("braid/r1", "src/shared.txt")).isEqualTo("one\nTWO by A\nthree\n");
    assertThat(user.show(b.branch(), "src/shared.txt")).isEqualTo("one\nTWO by B\nthree\n");
    assertThat(user.show(b.branch(), "src/b-only.txt")).isEqualTo("b\n");
    assertThat(user.status()).isEmpty();

    // the retry: the task again, alone, on the new head
    in.remove(b, false);
    MergeResult again =
        task(in, "B", d -> TestRepo.write(d, "src/shared.txt", "one\nTWO by A\nthen B\nthree\n"));
    assertThat(again).isInstanceOf(MergeResult.Merged.class);
    assertThat(user.show("braid/r1", "src/shared.txt")).isEqualTo("one\nTWO by A\nthen B\nthree\n");
  }

  @Test
  void aRevertUndoesOneTasksCommitsAndKeepsWhatMergedAfterItInTheSameFile() {
    Integration in = start(MergeStrategy.REBASE);
    TaskWorktree a = in.open("A");
    TestRepo.write(a.dir(), "src/shared.txt", "ONE by A\ntwo\nthree\n");
    TestRepo.git(a.dir(), "commit", "-q", "-am", "A's own commit");
    TestRepo.write(a.dir(), "src/a.txt", "a\n");
    MergeResult.Merged ma = (MergeResult.Merged) in.merge(a, in.commit(a, "A"), "A");
    assertThat(in.mergesBetween(ma.before(), ma.after())).as("rebased: two commits").hasSize(2);
    String afterB =
        ((MergeResult.Merged)
                task(
                    in,
                    "B",
                    d -> TestRepo.write(d, "src/shared.txt", "ONE by A\ntwo\nTHREE by B\n")))
            .after();

    RevertResult r =
        in.prepareRevert(List.of(new Integration.Change(ma.before(), ma.after(), "Revert A")));

    RevertResult.Prepared p = (RevertResult.Prepared) r;
    assertThat(p.before()).isEqualTo(afterB);
    assertThat(p.commits()).hasSize(1).containsExactly(p.head());
    assertThat(in.head()).as("the branch moves only in advance").isEqualTo(afterB);
    in.advance(p.before(), p.head(), "revert A");
    assertThat(in.head()).isEqualTo(p.head());
    assertThat(user.show("braid/r1", "src/shared.txt")).isEqualTo("one\ntwo\nTHREE by B\n");
    assertThat(user.git("ls-tree", "--name-only", "braid/r1", "src/"))
        .isEqualTo("src/gone.txt\nsrc/shared.txt");
    assertThat(user.git("log", "-1", "--format=%B", "braid/r1"))
        .startsWith("Revert A")
        .contains("This reverts " + ma.after());
    assertThat(user.git("rev-parse", "braid/r1^")).as("one commit on top").isEqualTo(afterB);
    assertThat(user.status()).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> in.advance(p.before(), p.head(), "again"))
        .as("the branch is no longer where the revert was prepared")
        .isInstanceOf(GitException.class);
  }

  @Test
  void aRevertThatWouldConflictWithALaterEditChangesNothing() {
    Integration in = start(MergeStrategy.MERGE);
    MergeResult.Merged ma =
        (MergeResult.Merged)
            task(in, "A", d -> TestRepo.write(d, "src/shared.txt", "one\nTWO by A\nthree\n"));
    task(in, "B", d -> TestRepo.write(d, "src/shared.txt", "one\nTWO by A and B\nthree\n"));
    String head = in.head();

    RevertResult r =
        in.prepareRevert(
            List.of(
                new Integration.Change(ma.before(), ma.after(), "Revert A"),
                new Integration.Change(ma.before(), ma.after(), "never reached")));

    assertThat(r).isEqualTo(new RevertResult.Conflicted(0, List.of("src/shared.txt")));
    assertThat(in.head()).isEqualTo(head);
    assertThat(user.show("braid/r1", "src/shared.txt")).isEqualTo("one\nTWO by A and B\nthree\n");
  }

  @Test
  void changedFilesListAdditionsModificationsAndDeletionsIncludingTheTasksOwnCommits() {
    Integration in = start(MergeStrategy.MERGE);
    TaskWorktree wt = in.open("T");
    TestRepo.write(wt.dir(), "new.txt", "n\n");
    TestRepo.git(wt.dir(), "add", "new.txt");
    TestRepo.git(wt.dir(), "commit", "-q", "-m", "agent's own commit");
    TestRepo.write(wt.dir(), "src/shared.txt", "changed\n");
    TestRepo.git(wt.dir(), "rm", "-q", "src/gone.txt");

    TaskCommit c = in.commit(wt, "T: title");

    assertThat(c.changedFiles())
        .containsExactlyInAnyOrder("new.txt", "src/shared.txt", "src/gone.txt");
    assertThat(TestRepo.git(wt.dir(), "status", "--porcelain")).isEmpty();
    assertThat(user.log(wt.branch()).subList(0, 2))
        .containsExactly("T: title", "agent's own commit");
  }

  @Test
  void aTaskThatChangesNothingCommitsNothingAndMergesAsUpToDate() {
    Integration in = start(MergeStrategy.MERGE);
    TaskWorktree wt = in.open("noop");
    TaskCommit c = in.commit(wt, "noop");
    assertThat(c.changedNothing()).isTrue();
    assertThat(c.changedFiles()).isEmpty();
    assertThat(in.merge(wt, c, "noop")).isEqualTo(new MergeResult.UpToDate(in.head()));
  }

  @Test
  void squashMakesOneCommitPerTaskWithTheTaskMessage() {
    Integration in = start(MergeStrategy.SQUASH);
    String base = in.head();
    TaskWorktree wt = in.open("S");
    TestRepo.write(wt.dir(), "one.txt", "1\n");
    TestRepo.git(wt.dir(), "add", "one.txt");
    TestRepo.git(wt.dir(), "commit", "-q", "-m", "wip");
    TestRepo.write(wt.dir(), "two.txt", "2\n");
    TaskCommit c = in.commit(wt, "S: squash me");

    in.merge(wt, c, "S: squash me");

    assertThat(user.log(base + "..braid/r1")).containsExactly("S: squash me");
    assertThat(user.rev("braid/r1^")).isEqualTo(base);
    assertThat(user.show("braid/r1", "two.txt")).isEqualTo("2\n");
  }

  @Test
  void rebaseKeepsHistoryLinearForOneCommitAndForSeveral() {
    Integration in = start(MergeStrategy.REBASE);
    String base = in.head();
    TaskWorktree a = in.open("A");
    TaskWorktree b = in.open("B");
    TestRepo.write(a.dir(), "a.txt", "a\n");
    TestRepo.write(b.dir(), "b1.txt", "b1\n");
    TestRepo.git(b.dir(), "add", "-A");
    TestRepo.git(b.dir(), "commit", "-q", "-m", "B first");
    TestRepo.write(b.dir(), "b2.txt", "b2\n");
    TaskCommit ca = in.commit(a, "A: one");
    TaskCommit cb = in.commit(b, "B: two");

    assertThat(in.merge(a, ca, "A: one")).isEqualTo(new MergeResult.Merged(base, ca.head()));
    assertThat(in.merge(b, cb, "B: two")).isInstanceOf(MergeResult.Merged.class);

    assertThat(user.log(base + "..braid/r1")).containsExactly("B: two", "B first", "A: one");
    assertThat(user.git("rev-list", "--min-parents=2", base + "..braid/r1")).isEmpty();
    assertThat(user.show("braid/r1", "b2.txt")).isEqualTo("b2\n");

    // one commit onto a moved head: replayed without a worktree, author kept
    TaskWorktree c = in.open("C");
    TaskWorktree d = in.open("D");
    TestRepo.write(c.dir(), "c.txt", "c\n");
    TestRepo.write(d.dir(), "d.txt", "d\n");
    TaskCommit cc = in.commit(c, "C: three");
    TaskCommit cd =
        new TaskCommit(
            d.base(), commitAs(d, "Ada Lovelace", "ada@example.org", "D: four"), List.of("d.txt"));
    in.merge(c, cc, "C: three");
    in.merge(d, cd, "ignored for rebase");
    assertThat(user.log(base + "..braid/r1").subList(0, 2)).containsExactly("D: four", "C: three");
    assertThat(user.git("log", "-1", "--format=%an <%ae>", "braid/r1"))
        .isEqualTo("Ada Lovelace <ada@example.org>");
  }

  private static String commitAs(TaskWorktree wt, String name, String email, String message) {
    TestRepo.git(wt.dir(), "add", "-A");
    TestRepo.git(
        wt.dir(),
        "-c",
        "user.name=" + name,
        "-c",
        "user.email=" + email,
        "commit",
        "-q",
        "-m",
        message);
    return TestRepo.git(wt.dir(), "rev-parse", "HEAD");
  }

  @Test
  void openingATaskAgainReplacesWhatAnInterruptedAttemptLeft() throws Exception {
    Integration in = start(MergeStrategy.MERGE);
    TaskWorktree first = in.open("T");
    TestRepo.write(first.dir(), "half-done.txt", "x\n");
    // a kill -9 later: a new process opens the same run
    Integration resumed = repo.integration("r1", state.resolve("worktrees"), MergeStrategy.MERGE);
    TaskWorktree second = resumed.open("T");
    assertThat(second.dir()).isEqualTo(first.dir());
    assertThat(second.dir().resolve("half-done.txt")).doesNotExist();

    // a worktree directory deleted by hand is no obstacle either
    Cleanup.deleteTree(second.dir());
    TaskWorktree third = resumed.open("T");
    assertThat(third.dir().resolve("README.md")).exists();
    assertThat(Files.list(state.resolve("worktrees").resolve("r1"))).hasSize(1);
  }

  @Test
  void idsThatAreNotBranchNamesStillGetTheirOwnBranchAndWorktree() {
    Integration in = start(MergeStrategy.MERGE);
    for (String id : List.of("a b", "a/b", "..", "x.lock", "-rf", "$(touch pwned)", "ü@{1}")) {
      MergeResult r = task(in, id, d -> TestRepo.write(d, "f/" + BranchNames.component(id), id));
      assertThat(r).as(id).isInstanceOf(MergeResult.Merged.class);
    }
    assertThat(user.dir.resolve("pwned")).doesNotExist();
    assertThat(user.git("ls-tree", "--name-only", "braid/r1", "f/").lines()).hasSize(7);
  }

  @Test
  void removeKeepsTheBranchOfATaskWhoseWorkDidNotLand() {
    Integration in = start(MergeStrategy.MERGE);
    TaskWorktree wt = in.open("kept");
    TestRepo.write(wt.dir(), "k.txt", "k\n");
    in.commit(wt, "kept");
    in.remove(wt, true);
    assertThat(wt.dir()).doesNotExist();
    assertThat(user.show(wt.branch(), "k.txt")).isEqualTo("k\n");
    TaskWorktree other = in.open("gone");
    in.remove(other, false);
    assertThat(user.git("branch", "--list", other.branch())).isEmpty();
  }

  @Test
  void aSlotReusesItsWorktreeForTheNextTaskAndKeepsNoLeftovers() {
    Integration in = start(MergeStrategy.MERGE);
    TaskWorktree first = in.open("first", 1);
    TestRepo.write(first.dir(), "one.txt", "1\n");
    TestRepo.write(first.dir(), "scratch/untracked-leftover.txt", "x\n");
    TaskCommit c1 = in.commit(first, "first");
    TestRepo.write(first.dir(), "after-commit.txt", "left behind\n");
    in.merge(first, c1, "first");
    in.release(first);
    assertThat(user.git("branch", "--list", first.branch())).isEmpty();

    TaskWorktree second = in.open("second", 1);
    assertThat(second.dir()).isEqualTo(first.dir());
    assertThat(second.base()).isEqualTo(in.head());
    assertThat(second.dir().resolve("one.txt")).hasContent("1");
    assertThat(second.dir().resolve("after-commit.txt")).doesNotExist();
    assertThat(TestRepo.git(second.dir(), "status", "--porcelain")).isEmpty();
    assertThat(TestRepo.git(second.dir(), "symbolic-ref", "--short", "HEAD"))
        .isEqualTo(second.branch());

    // a failed task's worktree moves out of the slot, which gets a fresh one
    TestRepo.write(second.dir(), "wip.txt", "w\n");
    TaskWorktree kept = in.keep(second);
    assertThat(kept.dir()).isEqualTo(state.resolve("worktrees/r1/second"));
    assertThat(kept.dir().resolve("wip.txt")).hasContent("w");
    TaskWorktree third = in.open("third", 1);
    assertThat(third.dir()).isEqualTo(first.dir());
    assertThat(third.dir().resolve("wip.txt")).doesNotExist();
    // the kept task runs again: its kept worktree and branch are replaced
    TaskWorktree again = in.open("second", 2);
    assertThat(kept.dir()).doesNotExist();
    assertThat(again.dir().resolve("wip.txt")).doesNotExist();
  }
}
