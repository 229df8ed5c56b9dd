package dev.braid.cli;

/** Values of {@code --format}; each command accepts the subset it can print. */
enum OutputFormat {
  text,
  json,
  markdown,
  mermaid
}
