package dev.braid.git;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A git release number, as {@code git --version} prints it. */
record GitVersion(int major, int minor, int patch) implements Comparable<GitVersion> {

  /** {@code merge-tree --write-tree}, which merges without a worktree, came with 2.38. */
  static final GitVersion REQUIRED = new GitVersion(2, 38, 0);

  private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  GitVersion {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("negative version part");
    }
  }

  /** Parses {@code git version 2.39.5} (or {@code 2.39.5.windows.1}, {@code 2.40.0-rc1}). */
  static GitVersion parse(String text) {
    Matcher m = NUMBER.matcher(text);
    if (!m.find()) {
      throw new GitException("cannot read git's version from '" + text.strip() + "'");
    }
    return new GitVersion(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
  }

  boolean atLeast(GitVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(GitVersion o) {
    if (major != o.major) {
      return Integer.compare(major, o.major);
    }
    if (minor != o.minor) {
      return Integer.compare(minor, o.minor);
    }
    return Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
