package dev.braid.observe.dashboard;

import com.sun.net.httpserver.HttpExchange;
import dev.braid.observe.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small helpers for the JDK's HTTP server: responses, path segments, queries, SSE. */
final class Http {

  private Http() {}

  static void json(HttpExchange x, Object value) throws IOException {
    send(x, 200, "application/json; charset=utf-8", Json.line(value));
  }

  static void notFound(HttpExchange x) throws IOException {
    send(x, 404, "text/plain; charset=utf-8", "not found\n");
  }

  static void send(HttpExchange x, int status, String type, String body) throws IOException {
    send(x, status, type, body.getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = x.getRequestMethod().equals("HEAD");
    x.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
    x.close();
  }

  /**
   * The decoded segments of the path after {@code prefix} (a context's path); empty when the path
   * has a malformed escape. {@code %2F} stays inside its segment, so any task id can be named.
   */
  static Optional<List<String>> segments(URI uri, String prefix) {
    String raw = uri.getRawPath();
    if (!raw.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = raw.substring(prefix.length());
    List<String> segments = new ArrayList<>();
    if (rest.isEmpty() || rest.equals("/")) {
      return Optional.of(segments);
    }
    if (!rest.startsWith("/")) {
      return Optional.empty();
    }
    for (String s : rest.substring(1).split("/", -1)) {
      try {
        segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException malformed) {
        return Optional.empty();
      }
    }
    return Optional.of(segments);
  }

  /** The query's parameters (the first of each name); malformed ones are left out. */
  static Map<String, String> query(URI uri) {
    Map<String, String> params = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException malformed) {
        // ignored, like an unknown parameter
      }
    }
    return params;
  }

  /** A non-negative number from a header or parameter, or {@code fallback}. */
  static long number(String text, long fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(text.strip());
      return n < 0 ? fallback : n;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** Starts a Server-Sent Events response. */
  static OutputStream startEvents(HttpExchange x) throws IOException {
    x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(200, 0);
    OutputStream out = x.getResponseBody();
    out.write("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    return out;
  }

  /** One SSE message; {@code id} null for none. The data is JSON, so it is one line. */
  static void event(OutputStream out, String id, String type, Object data) throws IOException {
    StringBuilder b = new StringBuilder();
    if (id != null) {
      b.append("id: ").append(id).append('\n');
    }
    b.append("event: ").append(type).append('\n');
    b.append("data: ").append(Json.line(data)).append("\n\n");
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A comment line: keeps proxies from closing the stream and finds clients that left. */
  static void keepAlive(OutputStream out) throws IOException {
    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
