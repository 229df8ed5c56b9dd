package dev.braid.manifest;

import java.util.List;

/** Test helpers for plans. */
public final class Manifests {

  private Manifests() {}

  /** What a plan says, without where it came from: equal for plans with the same content. */
  public static List<Object> content(Manifest m) {
    return List.of(
        m.version(),
        m.defaults(),
        m.tasks(),
        m.checkpoint() == null ? "no checkpoint" : m.checkpoint(),
        m.agents(),
        m.resources(),
        m.sharedFiles(),
        m.frozenFiles(),
        m.promptTemplate() == null ? "no prompt template" : m.promptTemplate());
  }
}
