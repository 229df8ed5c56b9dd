package dev.braid.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessInvocationTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "true",
        "make -j2 all",
        "  mvn   -q\ttest  ",
        "./gradlew build",
        "python3 -m pytest tests/unit",
        "git commit --no-edit",
        "npx tsc --noEmit",
        "echo hello, world.",
        "cp a/b.txt c/d.txt",
        "printenv BRAID_TASK_ID",
      })
  void plainCommandsRunDirectly(String command) {
    assertThat(Invocation.of(command)).isInstanceOf(Invocation.Direct.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a | b",
        "a && b",
        "a; b",
        "a > out",
        "a < in",
        "(a)",
        "echo $HOME",
        "echo `id`",
        "echo a\\ b",
        "echo \"q\"",
        "echo 'q'",
        "ls *.java",
        "ls ?.java",
        "ls [ab].java",
        "a # comment",
        "ls ~/x",
        "FOO=1 make",
        "kill %1",
        "echo {a,b}",
        "! false",
        "a\nb",
        "a\r\nb",
        "cd sub",
        "exit 3",
        "export A",
        "source env.sh",
        ". env.sh",
        "if",
        "for",
        "read x",
        "ulimit -n 10",
        "exec foo",
        "set -e",
      })
  void shellSyntaxGoesToBash(String command) {
    assertThat(Invocation.of(command)).isEqualTo(new Invocation.Shell(command));
  }

  @Test
  void directCommandsAreSplitOnBlanks() {
    assertThat(Invocation.of("  mvn   -q\ttest  "))
        .isEqualTo(new Invocation.Direct(List.of("mvn", "-q", "test")));
  }
}
