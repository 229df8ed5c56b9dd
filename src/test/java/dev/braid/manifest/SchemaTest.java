package dev.braid.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JSON Schema and the reader know the same fields, so they cannot drift apart. */
class SchemaTest {

  private static final JsonNode SCHEMA = load();

  private static JsonNode load() {
    try {
      return new ObjectMapper().readTree(Path.of("schema/braid-manifest.schema.json").toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<String> keys(JsonNode properties) {
    Set<String> out = new HashSet<>();
    properties.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void isDraft202012() {
    assertThat(SCHEMA.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  @Test
  void topLevelFieldsMatchTheReader() {
    assertThat(keys(SCHEMA.path("properties"))).isEqualTo(ManifestReader.TOP_LEVEL_FIELDS);
    assertThat(keys(SCHEMA.at("/properties/defaults/properties")))
        .isEqualTo(ManifestReader.DEFAULTS_FIELDS);
    assertThat(keys(SCHEMA.at("/properties/checkpoint/oneOf/1/properties")))
        .isEqualTo(ManifestReader.CHECKPOINT_FIELDS);
    assertThat(keys(SCHEMA.at("/properties/agents/additionalProperties/properties")))
        .isEqualTo(ManifestReader.AGENT_FIELDS);
    assertThat(keys(SCHEMA.at("/$defs/promptTemplate/oneOf/1/properties")))
        .isEqualTo(ManifestReader.PROMPT_TEMPLATE_FIELDS);
  }

  @Test
  void taskFieldsMatchTheReader() {
    Set<String> all = new HashSet<>(ManifestReader.TASK_FIELDS);
    all.addAll(ManifestReader.IGNORED_TASK_FIELDS);
    assertThat(keys(SCHEMA.at("/$defs/task/properties"))).isEqualTo(all);
    assertThat(keys(SCHEMA.at("/$defs/estimate/oneOf/2/properties")))
        .isEqualTo(ManifestReader.EST_FIELDS);
    assertThat(
            keys(
                SCHEMA.at(
                    "/$defs/task/properties/acceptance_criteria/oneOf/1/items/oneOf/1/properties")))
        .isEqualTo(ManifestReader.CRITERION_FIELDS);
  }

  @Test
  void everyReferenceResolvesAndEveryTaskFieldIsDescribed() {
    SCHEMA
        .findValues("$ref")
        .forEach(
            ref ->
                assertThat(SCHEMA.at(ref.asText().substring(1)).isMissingNode())
                    .as(ref.asText())
                    .isFalse());
    SCHEMA
        .at("/$defs/task/properties")
        .properties()
        .forEach(
            e -> {
              JsonNode p = e.getValue();
              JsonNode described =
                  p.has("$ref") ? SCHEMA.at(p.get("$ref").asText().substring(1)) : p;
              assertThat(p.has("description") || described.has("description"))
                  .as(e.getKey())
                  .isTrue();
            });
  }
}
