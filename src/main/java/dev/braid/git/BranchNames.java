package dev.braid.git;

import dev.braid.manifest.BoundedName;
import java.nio.charset.StandardCharsets;

/**
 * The branches and worktree directories of a run. Run and task ids become one ref component (and
 * one file name) each by escaping: letters, digits, {@code _} and {@code -} are kept, a {@code .}
 * is kept unless git's ref rules forbid it there (first or last, before another dot, in a trailing
 * {@code .lock}), and every other byte of the UTF-8 text becomes {@code %XX}. The escape is
 * reversible, so two ids never share a branch. Names longer than {@link BoundedName#MAX} characters
 * keep a prefix and add {@code +} and the SHA-256 of the id ({@link BoundedName}).
 *
 * <p>The integration branch is {@code braid/RUN}; task branches live in their own namespace, {@code
 * braid-tasks/RUN/TASK}, because git stores refs as files and {@code braid/RUN} cannot be both a
 * branch and the directory of {@code braid/RUN/TASK}.
 */
public final class BranchNames {

  static final String INTEGRATION_PREFIX = "braid/";
  static final String TASK_PREFIX = "braid-tasks/";
  static final int MAX_COMPONENT = BoundedName.MAX;

  private BranchNames() {}

  /** {@code braid/RUN}: where the run's tasks are merged. */
  public static String integration(String runId) {
    return INTEGRATION_PREFIX + component(runId);
  }

  /** {@code braid-tasks/RUN/TASK}: where one task's work is committed. */
  public static String task(String runId, String taskId) {
    return TASK_PREFIX + component(runId) + "/" + component(taskId);
  }

  /** The namespace holding every task branch of a run, with its trailing slash. */
  static String taskNamespace(String runId) {
    return TASK_PREFIX + component(runId) + "/";
  }

  /**
   * One valid ref component, also a valid file name, for any non-empty text; distinct texts give
   * distinct components.
   */
  public static String component(String id) {
    if (id.isEmpty()) {
      throw new IllegalArgumentException("empty id");
    }
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    int lockStart = id.endsWith(".lock") ? bytes.length - 5 : -1;
    StringBuilder b = new StringBuilder(bytes.length + 8);
    for (int i = 0; i < bytes.length; i++) {
      int c = bytes[i] & 0xff;
      boolean keep =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || (c == '-' && i > 0)
              || (c == '.' && keepDot(bytes, i, lockStart));
      if (keep) {
        b.append((char) c);
      } else {
        b.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    // '+' never appears in an escaped name, so it marks a shortened one
    return BoundedName.of(b.toString(), id, '+');
  }

  private static boolean keepDot(byte[] bytes, int i, int lockStart) {
    return i > 0 && i < bytes.length - 1 && bytes[i + 1] != '.' && i != lockStart;
  }
}
