package dev.braid.observe.dashboard;

import dev.braid.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Read-only stores for the dashboard's requests, one per request or stream. */
final class Stores {

  private Stores() {}

  /** The state of {@code stateDir}, or empty before its first run. */
  static Optional<Store> open(Path stateDir) {
    if (!Files.isRegularFile(stateDir.resolve(Store.DB_FILE))) {
      return Optional.empty();
    }
    return Optional.of(Store.openReadOnly(stateDir));
  }
}
