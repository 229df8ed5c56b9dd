package dev.braid.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to run and how: the user's command, where, with which extra environment, where its output
 * goes and how long it may take. Task ids and other values reach the command only through {@code
 * env}, never by editing the command string.
 *
 * @param command the user's shell code (run directly when it has no shell syntax, see {@link
 *     Invocation}) or a program with its arguments
 * @param workingDir the directory the command runs in
 * @param env variables added to (or replacing) Braid's own environment
 * @param logFile stdout and stderr are appended here, merged in arrival order
 * @param timeout the whole task is terminated after this long
 * @param idleTimeout the task is terminated after this long without output
 * @param killGrace time between TERM and KILL when the task is terminated
 */
public record LaunchSpec(
    Command command,
    Path workingDir,
    Map<String, String> env,
    Path logFile,
    Optional<Duration> timeout,
    Optional<Duration> idleTimeout,
    Duration killGrace) {

  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

  public LaunchSpec {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(workingDir, "workingDir");
    Objects.requireNonNull(logFile, "logFile");
    env.forEach(
        (k, v) -> {
          if (k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid environment variable name: '" + k + "'");
          }
          if (v.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("environment variable " + k + " contains NUL");
          }
        });
    env = Map.copyOf(env);
    timeout.ifPresent(d -> requirePositive(d, "timeout"));
    idleTimeout.ifPresent(d -> requirePositive(d, "idleTimeout"));
    if (killGrace.isNegative()) {
      throw new IllegalArgumentException("killGrace must not be negative: " + killGrace);
    }
  }

  /** No extra environment, no timeouts, the default kill grace. */
  public static LaunchSpec of(String command, Path workingDir, Path logFile) {
    return of(new Command.Shell(command), workingDir, logFile);
  }

  /** No extra environment, no timeouts, the default kill grace. */
  public static LaunchSpec of(Command command, Path workingDir, Path logFile) {
    return new LaunchSpec(
        command,
        workingDir,
        Map.of(),
        logFile,
        Optional.empty(),
        Optional.empty(),
        DEFAULT_KILL_GRACE);
  }

  public LaunchSpec withEnv(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(env);
    more.put(name, value);
    return new LaunchSpec(command, workingDir, more, logFile, timeout, idleTimeout, killGrace);
  }

  public LaunchSpec withEnv(Map<String, String> vars) {
    Map<String, String> more = new LinkedHashMap<>(env);
    more.putAll(vars);
    return new LaunchSpec(command, workingDir, more, logFile, timeout, idleTimeout, killGrace);
  }

  public LaunchSpec withTimeout(Duration d) {
    return new LaunchSpec(
        command, workingDir, env, logFile, Optional.of(d), idleTimeout, killGrace);
  }

  public LaunchSpec withIdleTimeout(Duration d) {
    return new LaunchSpec(command, workingDir, env, logFile, timeout, Optional.of(d), killGrace);
  }

  public LaunchSpec withKillGrace(Duration d) {
    return new LaunchSpec(command, workingDir, env, logFile, timeout, idleTimeout, d);
  }

  private static void requirePositive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
  }
}
