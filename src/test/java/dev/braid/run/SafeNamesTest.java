package dev.braid.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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

  @Test
  void namesUpTo160CharactersAreUnchanged() {
    assertThat(SafeNames.fileName("x".repeat(160))).isEqualTo("x".repeat(160));
    String japanese = "カート".repeat(5); // 15 characters, 45 bytes, 135 escaped
    assertThat(SafeNames.fileName(japanese)).hasSize(135).doesNotContain("+");
    assertThat(decode(SafeNames.fileName(japanese))).isEqualTo(japanese);
  }

  @Test
  void longNamesAreBoundedReadableAndDistinct() {
    String id = "ショッピングカートのバックエンドAPIを実装して単体テストを書く"; // 264 bytes escaped
    String other = id + "（その二）";
    String ascii = "L".repeat(300);
    for (String long1 : new String[] {id, other, ascii, "-" + ascii, "a b".repeat(200)}) {
      // file names stop at 255 bytes: 160 leaves room for NAME.ATTEMPT.log and NAME.md
      String name = SafeNames.fileName(long1);
      assertThat(name.getBytes(StandardCharsets.UTF_8).length).as(long1).isLessThanOrEqualTo(160);
      assertThat(name).matches("[A-Za-z0-9._%-]+\\+[0-9a-f]{64}");
      // the kept prefix is whole escapes and whole characters: it reads as the id's start
      String kept = name.substring(name.startsWith("%-") ? 1 : 0, name.indexOf('+'));
      assertThat(long1).startsWith(decode(kept));
    }
    assertThat(decode(SafeNames.fileName(id).split("\\+")[0])).startsWith("ショッピング");
    assertThat(SafeNames.fileName(id)).isNotEqualTo(SafeNames.fileName(other));
    assertThat(SafeNames.fileName(ascii)).isNotEqualTo(SafeNames.fileName(ascii + "L"));
  }

  private static String decode(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%') {
        out.write(Integer.parseInt(name.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
