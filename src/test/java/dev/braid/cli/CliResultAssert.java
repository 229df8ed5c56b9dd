package dev.braid.cli;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;

/** {@code assertThat(result).succeeded().printed("...")}: the CLI's test vocabulary. */
final class CliResultAssert extends AbstractAssert<CliResultAssert, Cli.Result> {

  private CliResultAssert(Cli.Result actual) {
    super(actual, CliResultAssert.class);
  }

  static CliResultAssert assertThat(Cli.Result actual) {
    return new CliResultAssert(actual);
  }

  CliResultAssert exitedWith(int code) {
    isNotNull();
    if (actual.exitCode() != code) {
      failWithMessage(
          "expected exit code %d but was %d%nstdout:%n%s%nstderr:%n%s",
          code, actual.exitCode(), actual.out(), actual.err());
    }
    return this;
  }

  CliResultAssert succeeded() {
    return exitedWith(0);
  }

  CliResultAssert printed(String... fragments) {
    Assertions.assertThat(actual.out()).as("stdout").contains(fragments);
    return this;
  }

  CliResultAssert complained(String... fragments) {
    Assertions.assertThat(actual.err()).as("stderr").contains(fragments);
    return this;
  }

  CliResultAssert noStackTrace() {
    Assertions.assertThat(actual.err()).as("stderr").doesNotContain("\tat ", "Exception in");
    return this;
  }
}
