package dev.braid.observe.dashboard;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The web dashboard: a small HTTP server over a state directory, read-only. Serves the page (its
 * files are in the jar), the runs as JSON, and live updates as Server-Sent Events.
 *
 * <p>Security: it binds a loopback address unless given a token, and then every request must
 * present the token; on loopback without a token it answers only requests addressed to a loopback
 * name (no DNS rebinding). Every response forbids framing and inline scripts; task output is only
 * ever put in the page as text.
 */
public final class DashboardServer implements AutoCloseable {

  private static final String COOKIE = "braid_token_";

  /** Scripts and styles only from the server itself; nothing inline, no frames. */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final HttpServer server;
  private final ExecutorService threads;
  private final Changes changes;
  private final URI url;

  private DashboardServer(HttpServer server, ExecutorService threads, Changes changes, URI url) {
    this.server = server;
    this.threads = threads;
    this.changes = changes;
    this.url = url;
  }

  /**
   * Starts serving; returns once it listens.
   *
   * @throws DashboardException when the host is not loopback and there is no token, or the address
   *     cannot be bound
   */
  public static DashboardServer start(DashboardSettings settings) {
    InetAddress address;
    try {
      address = InetAddress.getByName(settings.host());
    } catch (UnknownHostException e) {
      throw new DashboardException("unknown host '" + settings.host() + "'", e);
    }
    if (!address.isLoopbackAddress() && settings.token() == null) {
      throw new DashboardException(
          settings.host()
              + " is not a loopback address: anyone who reaches it could read your runs, so it"
              + " needs a token");
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, settings.port()), 0);
    } catch (IOException e) {
      throw new DashboardException(
          "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
    Changes changes = new Changes(settings.stateDir());
    ReadModel model = new ReadModel();
    int port = server.getAddress().getPort();
    Filter guard = new Guard(settings.token(), address.isLoopbackAddress(), port);
    Map<String, com.sun.net.httpserver.HttpHandler> routes =
        Map.of(
            "/",
            new Assets(),
            RunsApi.PATH,
            new RunsApi(settings.stateDir(), model, new LogTail(changes)),
            "/api/events",
            new EventStream(settings.stateDir(), model, changes));
    routes.forEach(
        (path, handler) -> {
          HttpContext context = server.createContext(path, handler);
          context.getFilters().add(guard);
        });
    // Live streams hold a thread each while they wait: virtual threads make that cheap.
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(threads);
    server.start();
    threads.submit(() -> warmUp(settings, model));
    return new DashboardServer(server, threads, changes, url(settings, address, port));
  }

  private static void warmUp(DashboardSettings settings, ReadModel model) {
    try {
      Stores.open(settings.stateDir())
          .ifPresent(
              store -> {
                try (store) {
                  model.warmUp(store);
                }
              });
    } catch (RuntimeException e) {
      // nothing to warm: the first request reports the problem
    }
  }

  private static URI url(DashboardSettings settings, InetAddress address, int port) {
    String host = settings.host();
    if (address.isAnyLocalAddress()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = settings.host();
      }
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create(
        "http://"
            + host
            + ":"
            + port
            + "/"
            + (settings.token() == null ? "" : "?token=" + settings.token()));
  }

  /** The page's address, with the token when there is one. */
  public URI url() {
    return url;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops the live streams, then the server; returns when its threads are done. */
  @Override
  public void close() {
    changes.close();
    server.stop(1);
    threads.shutdown();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Headers for every response; methods, host and token checks; errors as 500. */
  private static final class Guard extends Filter {

    private final byte[] token;
    private final boolean loopback;
    private final String cookie;

    Guard(String token, boolean loopback, int port) {
      this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
      this.loopback = loopback;
      this.cookie = COOKIE + port;
    }

    @Override
    public String description() {
      return "braid dashboard guard";
    }

    @Override
    public void doFilter(HttpExchange x, Chain chain) throws IOException {
      var h = x.getResponseHeaders();
      h.set("Content-Security-Policy", CSP);
      h.set("X-Content-Type-Options", "nosniff");
      h.set("X-Frame-Options", "DENY");
      h.set("Referrer-Policy", "no-referrer");
      try {
        String method = x.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
          h.set("Allow", "GET, HEAD");
          Http.send(x, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
          return;
        }
        if (token == null && loopback && !loopbackHost(x.getRequestHeaders().getFirst("Host"))) {
          Http.send(x, 403, "text/plain; charset=utf-8", "not a loopback host name\n");
          return;
        }
        if (token != null) {
          String given = Http.query(x.getRequestURI()).get("token");
          if (given != null && matches(given)) {
            if (x.getRequestURI().getRawPath().equals("/")) {
              // Keep the token in a cookie, out of the address bar and the history.
              h.add(
                  "Set-Cookie",
                  cookie + "=" + given + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=86400");
              h.set("Location", "/");
              Http.send(x, 303, "text/plain; charset=utf-8", "");
              return;
            }
          } else if (!matches(bearer(x)) && !matches(cookie(x))) {
            Http.send(
                x,
                401,
                "text/plain; charset=utf-8",
                "this dashboard needs its token: open the address `braid dashboard` printed\n");
            return;
          }
        }
        chain.doFilter(x);
      } catch (IOException e) {
        throw e;
      } catch (RuntimeException e) {
        Http.send(x, 500, "text/plain; charset=utf-8", "braid dashboard: " + e.getMessage());
      }
    }

    private boolean matches(String given) {
      return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(HttpExchange x) {
      String auth = x.getRequestHeaders().getFirst("Authorization");
      return auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : null;
    }

    private String cookie(HttpExchange x) {
      List<String> headers = x.getRequestHeaders().get("Cookie");
      if (headers == null) {
        return null;
      }
      for (String header : headers) {
        for (String part : header.split(";")) {
          String p = part.strip();
          if (p.startsWith(cookie + "=")) {
            return p.substring(cookie.length() + 1);
          }
        }
      }
      return null;
    }

    private static boolean loopbackHost(String host) {
      if (host == null) {
        return false;
      }
      String name = host.toLowerCase(Locale.ROOT);
      if (name.startsWith("[")) {
        int end = name.indexOf(']');
        return end > 0 && name.substring(1, end).equals("::1");
      }
      int colon = name.lastIndexOf(':');
      if (colon >= 0) {
        name = name.substring(0, colon);
      }
      return name.equals("localhost") || name.matches("127(\\.\\d{1,3}){3}");
    }
  }
}
