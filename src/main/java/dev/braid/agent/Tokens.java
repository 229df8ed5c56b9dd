package dev.braid.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Tokens an agent reported. {@code input} counts only input not read from a cache, so the four
 * parts add up to everything the model processed.
 */
@JsonIgnoreProperties(value = "total", allowGetters = true)
public record Tokens(
    @JsonProperty("input") long input,
    @JsonProperty("output") long output,
    @JsonProperty("cache_read") long cacheRead,
    @JsonProperty("cache_write") long cacheWrite) {

  public static final Tokens ZERO = new Tokens(0, 0, 0, 0);

  public Tokens {
    if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0) {
      throw new IllegalArgumentException("token counts must be >= 0");
    }
  }

  @JsonProperty("total")
  public long total() {
    return input + output + cacheRead + cacheWrite;
  }

  public Tokens plus(Tokens o) {
    return new Tokens(
        input + o.input, output + o.output, cacheRead + o.cacheRead, cacheWrite + o.cacheWrite);
  }
}
