package dev.braid.cli;

import dev.braid.observe.dashboard.DashboardException;
import dev.braid.observe.dashboard.DashboardServer;
import dev.braid.observe.dashboard.DashboardSettings;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Where the dashboard listens: for {@code braid dashboard} and {@code braid run --dashboard}. */
final class DashboardOptions implements SharedOptions {

  /** Tried first when no --port is given; a free port is taken when it is busy. */
  static final int DEFAULT_PORT = 7420;

  private static final String GENERATE = "\0generate";

  private final OptionSpec port =
      SharedOptions.valued(
              Integer.class,
              "P",
              "The dashboard's port; 0 for any free one. Default: "
                  + DEFAULT_PORT
                  + ", or a free one when it is taken.",
              "--port")
          .build();

  private final OptionSpec host =
      SharedOptions.valued(
              String.class,
              "H",
              "The address the dashboard listens on (default: 127.0.0.1, this machine only)."
                  + " Any other address needs --token.",
              "--host")
          .initialValue(DashboardSettings.LOOPBACK)
          .build();

  private final OptionSpec token =
      SharedOptions.valued(
              String.class,
              "T",
              "Every request must carry this token (the printed address has it). Without a value,"
                  + " Braid makes one up.",
              "--token")
          .arity("0..1")
          .fallbackValue(GENERATE)
          .build();

  @Override
  public CommandSpec mixin() {
    return CommandSpec.create().addOption(port).addOption(host).addOption(token);
  }

  /** Starts the dashboard over {@code stateDir}; the caller closes it. */
  DashboardServer start(Path stateDir) {
    String given = token.getValue();
    String t = GENERATE.equals(given) ? DashboardSettings.newToken() : given;
    String host = this.host.getValue();
    Integer port = this.port.getValue();
    if (t == null && !DashboardSettings.isLoopback(host)) {
      throw new UserException(
          "--host "
              + host
              + " is not a loopback address: anyone who can reach it could read your runs;"
              + " give --token TOKEN, or --token alone to have one generated");
    }
    try {
      if (port != null) {
        return DashboardServer.start(new DashboardSettings(stateDir, host, port, t));
      }
      try {
        return DashboardServer.start(new DashboardSettings(stateDir, host, DEFAULT_PORT, t));
      } catch (DashboardException busy) {
        return DashboardServer.start(new DashboardSettings(stateDir, host, 0, t));
      }
    } catch (IllegalArgumentException e) {
      throw new UserException(
          (e.getMessage().contains("token") ? "--token: " : "--port: ") + e.getMessage());
    } catch (DashboardException e) {
      throw new UserException(e.getMessage());
    }
  }
}
