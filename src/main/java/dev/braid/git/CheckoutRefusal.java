package dev.braid.git;

import java.util.ArrayList;
import java.util.List;

/**
 * Why {@code git merge --ff-only} would not update the user's checkout, in the user's words: git's
 * own text names the command and its internals ("error: The following untracked working tree files
 * would be overwritten by merge: ... Aborting"), which says little to someone who asked Braid to
 * land. Git runs under {@code LC_ALL=C}, so its messages are the English ones read here.
 */
final class CheckoutRefusal {

  private CheckoutRefusal() {}

  /** A refusal for git's {@code stderr}; {@code mergeIt} is the command that lands by hand. */
  static LandResult.Refused of(String stderr, String mergeIt) {
    List<String> lines = stderr.lines().toList();
    List<String> files = new ArrayList<>();
    String header = null;
    for (String line : lines) {
      if (header == null && line.contains("would be overwritten by merge")) {
        header = line;
      } else if (header != null && line.startsWith("\t")) {
        files.add(line.strip());
      } else if (header != null && !files.isEmpty()) {
        break;
      }
    }
    if (header != null && !files.isEmpty()) {
      String them = files.size() == 1 ? "it" : "them";
      if (header.contains("untracked")) {
        return new LandResult.Refused(
            "untracked " + list(files) + " in your checkout would be overwritten",
            "move " + them + " aside, then land it with: " + mergeIt);
      }
      if (header.contains("local changes")) {
        return new LandResult.Refused(
            "your uncommitted changes to " + list(files) + " would be overwritten",
            "commit or stash " + them + ", then land it with: " + mergeIt);
      }
    }
    return new LandResult.Refused(
        "your checkout could not be updated (" + firstMessage(lines) + ")",
        "land it with: " + mergeIt);
  }

  private static String list(List<String> files) {
    int shown = Math.min(5, files.size());
    return String.join(", ", files.subList(0, shown))
        + (shown < files.size() ? " and " + (files.size() - shown) + " more" : "");
  }

  /** Git's first message without its {@code error:} or {@code fatal:} prefix. */
  private static String firstMessage(List<String> lines) {
    for (String line : lines) {
      String s = line.strip();
      for (String prefix : List.of("error:", "fatal:")) {
        if (s.startsWith(prefix)) {
          s = s.substring(prefix.length()).strip();
        }
      }
      if (!s.isEmpty()) {
        return s;
      }
    }
    return "git gave no reason";
  }
}
