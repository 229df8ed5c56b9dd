package dev.braid.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Checks that the agents a plan uses can run: each profile's program is installed and, for the
 * built-in agents, answers {@code --version}. What {@code braid doctor} prints, and what {@code
 * braid run} checks before it starts anything.
 */
public final class Doctor {

  /** How long a program may take to print its version. */
  public static final Duration VERSION_TIMEOUT = Duration.ofSeconds(5);

  private Doctor() {}

  /**
   * Checks each profile used in {@code byTask} once, in order of first use.
   *
   * @param environment where {@code PATH} comes from
   * @param baseDir the directory programs given as relative paths are relative to
   * @param versions whether to run the programs that have a cheap version flag
   */
  public static List<ProfileCheck> check(
      Map<String, AgentProfile> byTask,
      Map<String, String> environment,
      Path baseDir,
      boolean versions) {
    Map<String, List<String>> users = new LinkedHashMap<>();
    Map<String, AgentProfile> profiles = new LinkedHashMap<>();
    byTask.forEach(
        (task, p) -> {
          users.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(task);
          profiles.putIfAbsent(p.name(), p);
        });
    List<ProfileCheck> out = new ArrayList<>();
    for (AgentProfile p : profiles.values()) {
      out.add(check(p, users.get(p.name()), environment, baseDir, versions));
    }
    return out;
  }

  private static ProfileCheck check(
      AgentProfile p,
      List<String> tasks,
      Map<String, String> environment,
      Path baseDir,
      boolean versions) {
    Optional<Path> exe = Executables.find(p.program(), environment.get("PATH"), baseDir);
    if (exe.isEmpty()) {
      return new ProfileCheck(p, tasks, null, null, missing(p));
    }
    String version = null;
    if (versions && !p.versionArgs().isEmpty()) {
      version = version(exe.get(), p.versionArgs(), baseDir);
    }
    return new ProfileCheck(p, tasks, exe.get(), version, null);
  }

  private static String missing(AgentProfile p) {
    String where =
        p.program().indexOf('/') >= 0
            ? "'" + p.program() + "' does not exist or is not executable"
            : "'" + p.program() + "' is not on PATH";
    return where + (p.installHint() == null ? "" : "; install it with: " + p.installHint());
  }

  /**
   * The first non-blank line {@code exe} prints for its version, or a note when it gave none in
   * time; the process and its children are killed if they outlive the timeout.
   */
  static String version(Path exe, List<String> args, Path baseDir) {
    List<String> argv = new ArrayList<>();
    argv.add(exe.toString());
    argv.addAll(args);
    Path out = null;
    Process process = null;
    try {
      out = Files.createTempFile("braid-version", ".txt");
      process =
          new ProcessBuilder(argv)
              .directory(baseDir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!process.waitFor(VERSION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        return "(no answer to "
            + String.join(" ", args)
            + " within "
            + VERSION_TIMEOUT.toSeconds()
            + "s)";
      }
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          return Text.shorten(Text.plain(line).strip(), 80);
        }
      }
      return null;
    } catch (IOException e) {
      return "(cannot run it: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (process != null && process.isAlive()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().join();
      }
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** One line per agent whose program is missing: its name, the tasks needing it, the problem. */
  public static List<String> missing(
      Map<String, AgentProfile> byTask, Map<String, String> environment, Path baseDir) {
    List<String> problems = new ArrayList<>();
    for (ProfileCheck c : check(byTask, environment, baseDir, false)) {
      if (!c.ok()) {
        problems.add(
            "agent '" + c.profile().name() + "' (" + usedBy(c.tasks()) + "): " + c.problem());
      }
    }
    return problems;
  }

  /**
   * Fails when a profile's program is missing: before a run starts anything.
   *
   * @throws AgentException naming each missing agent, its program, and the tasks that need it
   */
  public static void requireInstalled(
      Map<String, AgentProfile> byTask, Map<String, String> environment, Path baseDir) {
    List<String> problems = missing(byTask, environment, baseDir);
    if (!problems.isEmpty()) {
      throw new AgentException(
          String.join("\n", problems) + "\nnothing was started; `braid doctor` checks the agents");
    }
  }

  /** {@code used by T1, T2 and 3 more}. */
  public static String usedBy(List<String> tasks) {
    List<String> shown = tasks.subList(0, Math.min(3, tasks.size()));
    String more = tasks.size() > 3 ? " and " + (tasks.size() - 3) + " more" : "";
    return "used by " + String.join(", ", shown) + more;
  }
}
