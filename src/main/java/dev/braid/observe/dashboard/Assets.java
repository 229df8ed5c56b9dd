package dev.braid.observe.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The page's files, bundled in the jar; a fixed list, so no request names a file. */
final class Assets implements HttpHandler {

  private record Asset(String type, byte[] bytes) {}

  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/app.js", "app.js",
          "/app.css", "app.css",
          "/favicon.svg", "favicon.svg");

  private final Map<String, Asset> assets = new HashMap<>();

  Assets() {
    FILES.forEach((path, name) -> assets.put(path, load(name)));
  }

  private static Asset load(String name) {
    try (InputStream in = Assets.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
      }
      return new Asset(type(name), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String type(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      default -> throw new IllegalStateException("no type for " + name);
    };
  }

  @Override
  public void handle(HttpExchange x) throws IOException {
    Asset a = assets.get(x.getRequestURI().getRawPath());
    if (a == null) {
      Http.notFound(x);
      return;
    }
    Http.send(x, 200, a.type(), a.bytes());
  }
}
