package dev.braid.observe.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Where the dashboard listens and what it serves.
 *
 * @param host the address to bind: a loopback address unless {@code token} is set
 * @param port 0 for any free port
 * @param token what every request must present (as {@code ?token=}, then a cookie), or null for
 *     none; required when {@code host} is not a loopback address
 */
public record DashboardSettings(Path stateDir, String host, int port, String token) {

  public static final String LOOPBACK = "127.0.0.1";

  public DashboardSettings {
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (token != null && !token.matches("[A-Za-z0-9._~-]{8,}")) {
      throw new IllegalArgumentException(
          "a token has at least 8 characters, each a letter, a digit or one of . _ ~ -");
    }
  }

  /** Whether {@code host} names only this machine (127.0.0.0/8, ::1, localhost). */
  public static boolean isLoopback(String host) {
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** A random token of 128 bits, URL-safe. */
  public static String newToken() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
