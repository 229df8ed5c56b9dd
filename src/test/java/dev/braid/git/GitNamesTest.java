package dev.braid.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class GitNamesTest {

  static final List<String> NASTY =
      List.of(
          ".",
          "..",
          "a..b",
          ".hidden",
          "trailing.",
          "x.lock",
          "x.lock.lock",
          "-rf",
          "a b",
          "a/b",
          "a\\b",
          "@",
          "@{1}",
          "x~1^2:y?*[z]",
          "$(rm -rf ~)",
          "tab\there",
          "ü",
          "%41",
          "A",
          "CON",
          "x".repeat(400));

  /** Undoes the escape; the round trip is what makes the mapping injective. */
  static String decode(String component) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c == '%') {
        out.write(Integer.parseInt(component.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The leading characters of {@code id} that a hashed component keeps. */
  static String prefixOf(String id, String hashed) {
    String kept = decode(hashed.substring(0, hashed.indexOf('+')));
    assertThat(id).startsWith(kept);
    return kept;
  }

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMinLength(1).ofMaxLength(20),
        Arbitraries.strings().ofMinLength(50).ofMaxLength(200),
        Arbitraries.strings().withChars("._-/%@{}a.lock").ofMinLength(1).ofMaxLength(12));
  }

  @Property
  void escapingIsReversibleSoDistinctIdsNeverShareABranch(@ForAll("ids") String id) {
    String c = BranchNames.component(id);
    if (!c.contains("+")) {
      assertThat(decode(c)).isEqualTo(id);
    } else {
      assertThat(decode(c.substring(0, c.indexOf('+')))).isEqualTo(prefixOf(id, c));
    }
    assertThat(c)
        .matches("[A-Za-z0-9_.%-]+(\\+[0-9a-f]{64})?")
        .doesNotContain("..")
        .doesNotStartWith(".")
        .doesNotStartWith("-")
        .doesNotEndWith(".")
        .doesNotEndWith(".lock");
  }

  @Test
  void gitAcceptsEveryBranchNameAndTooLongIdsAreHashed() {
    Git git = new Git(Path.of("."));
    for (String id : NASTY) {
      String branch = BranchNames.task("run 1", id);
      Git.Result r = git.run("check-ref-format", "--branch", branch);
      assertThat(r.exit()).as("%s -> %s: %s", id, branch, r.stderr()).isZero();
      assertThat(BranchNames.component(id).length()).isLessThanOrEqualTo(BranchNames.MAX_COMPONENT);
    }
    assertThat(BranchNames.component("x".repeat(400)))
        .isNotEqualTo(BranchNames.component("x".repeat(401)))
        .contains("+");
    assertThat(BranchNames.integration("r1")).isEqualTo("braid/r1");
    assertThat(BranchNames.task("r1", "a/b")).isEqualTo("braid-tasks/r1/a%2Fb");
    assertThatThrownBy(() -> BranchNames.component(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void versionsParseAndCompare() {
    assertThat(GitVersion.parse("git version 2.39.5")).isEqualTo(new GitVersion(2, 39, 5));
    assertThat(GitVersion.parse("git version 2.45.1.windows.1"))
        .isEqualTo(new GitVersion(2, 45, 1));
    assertThat(GitVersion.parse("git version 2.40.0-rc1")).isEqualTo(new GitVersion(2, 40, 0));
    assertThat(GitVersion.parse("git version 3.0")).isEqualTo(new GitVersion(3, 0, 0));
    assertThat(new GitVersion(2, 37, 9).atLeast(GitVersion.REQUIRED)).isFalse();
    assertThat(new GitVersion(2, 38, 0).atLeast(GitVersion.REQUIRED)).isTrue();
    assertThat(new GitVersion(3, 0, 0).atLeast(GitVersion.REQUIRED)).isTrue();
    assertThatThrownBy(() -> GitVersion.parse("no digits"))
        .isInstanceOf(GitException.class)
        .hasMessageContaining("cannot read git's version");
  }
}
