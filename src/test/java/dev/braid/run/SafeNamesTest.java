package dev.braid.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeNamesTest {

  @Test
  void keepsPlainIdsAndEscapesEverythingElse() {
    assertThat(SafeNames.fileName("CART_API--T01")).isEqualTo("CART_API--T01");
    assertThat(SafeNames.fileName("MT 1.1")).isEqualTo("MT%201.1");
    assertThat(SafeNames.fileName("../../etc/passwd")).isEqualTo("..%2F..%2Fetc%2Fpasswd");
    assertThat(SafeNames.fileName("..")).isEqualTo("%..");
    assertThat(SafeNames.fileName("-rf")).isEqualTo("%-rf");
    assertThat(SafeNames.fileName("$(rm -rf ~)")).doesNotContain("$", "(", " ", "~");
  }
}
