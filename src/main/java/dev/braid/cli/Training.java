package dev.braid.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher's training run for the JVM's AOT cache (JDK 25+) or AppCDS archive: the classes it
 * loads, the call sites it links and the method profiles it gathers are what every later start gets
 * for free, so it goes through what users run most, in one JVM: a YAML plan with a dependency; a
 * JSON plan of independent tasks two at a time (the queued launches of braid-spawn, task output,
 * the plain console); then {@code status}, {@code report} and {@code plan} of it. Not a user
 * command: {@code java -cp braid.jar dev.braid.cli.Training DIR}, DIR a scratch directory.
 */
public final class Training {

  private Training() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Training SCRATCH_DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Path yaml = dir.resolve("braid.yaml");
    Files.writeString(
        yaml,
        """
        version: 1
        tasks:
          - {task_id: a, command: "true", est: 1m}
          - {task_id: b, command: "echo b", depends_on_tasks: [a], file_scope: [src/b/**]}
        """);
    Path json = dir.resolve("plan.json");
    StringBuilder tasks = new StringBuilder();
    for (int i = 0; i < 48; i++) {
      tasks.append(i == 0 ? "" : ",\n");
      String command = i % 8 == 0 ? "echo t" + i : "true";
      tasks.append("{\"task_id\": \"T" + i + "\", \"command\": \"" + command + "\"}");
    }
    Files.writeString(json, "{\"version\": 1, \"tasks\": [\n" + tasks + "\n]}\n");
    String state = dir.resolve("state").toString();
    String jsonState = dir.resolve("state-json").toString();
    List<List<String>> commands = new ArrayList<>();
    commands.add(
        List.of("run", yaml.toString(), "--plain", "--isolation", "none", "--state-dir", state));
    commands.add(
        List.of(
            "run",
            json.toString(),
            "--plain",
            "--agents",
            "2",
            "--isolation",
            "none",
            "--state-dir",
            jsonState));
    int worst = 0;
    for (List<String> c : commands) {
      worst = Math.max(worst, Main.standalone(c.toArray(String[]::new)));
    }
    System.exit(worst);
  }
}
