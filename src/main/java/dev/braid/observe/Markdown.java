package dev.braid.observe;

/**
 * Text put into Markdown tables: task ids, reasons and summaries are any text, so they are escaped
 * here, once, rather than by each writer.
 */
final class Markdown {

  private Markdown() {}

  /**
   * Text for a table cell: {@code |} would end the cell and a line break the row, so pipes are
   * escaped (GFM honours {@code \|} even inside code spans) and line breaks become spaces.
   */
  static String cell(String text) {
    return oneLine(text).replace("|", "\\|");
  }

  /**
   * A code span showing {@code text} as it is, for a table cell. CommonMark: the fence is one
   * backtick longer than the longest run of backticks inside, and a space pads the content when it
   * starts or ends with a backtick (else it would join the fence) or with spaces on both sides
   * (else one of each would be stripped).
   */
  static String code(String text) {
    String t = oneLine(text);
    int longest = 0;
    int run = 0;
    for (int i = 0; i < t.length(); i++) {
      run = t.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(longest + 1);
    boolean pad =
        t.startsWith("`")
            || t.endsWith("`")
            || (t.startsWith(" ") && t.endsWith(" ") && !t.isBlank());
    String inner = pad ? " " + t + " " : t;
    return cell(fence + inner + fence);
  }

  private static String oneLine(String text) {
    return text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }
}
