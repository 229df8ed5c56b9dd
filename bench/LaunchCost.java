import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Launch cost of `true`: raw java.lang.Process variants and dev.braid.run.Launcher, sequential and
 * 2 at a time. Needs target/classes on the class path; bench/launch-cost.sh runs it.
 *
 * <p>{@code LaunchCost [n]} prints the table; {@code LaunchCost e2e n groups} runs n tasks of
 * `true` 2 at a time through the Launcher and exits (to be timed with its JVM start).
 */
public class LaunchCost {
  enum Output { FILE, PIPE_READER }

  record Variant(String name, List<String> argv, Output output) {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("e2e")) {
      endToEnd(
          Integer.parseInt(args[1]),
          dev.braid.run.Launcher.Groups.valueOf(args[2]),
          dev.braid.run.Launcher.Spawner.valueOf(args.length > 3 ? args[3] : "AUTO"));
      return;
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    String trueBin = Files.isExecutable(Path.of("/usr/bin/true")) ? "/usr/bin/true" : "/bin/true";
    List<Variant> variants =
        List.of(
            new Variant("direct true", List.of(trueBin), Output.FILE),
            new Variant("setsid -w true", List.of("setsid", "-w", trueBin), Output.FILE),
            new Variant("bash -c true", List.of("bash", "-c", "true"), Output.FILE),
            new Variant(
                "setsid -w bash -c true", List.of("setsid", "-w", "bash", "-c", "true"), Output.FILE),
            new Variant("direct true, pipe+vthread", List.of(trueBin), Output.PIPE_READER),
            new Variant(
                "setsid -w true, pipe+vthread",
                List.of("setsid", "-w", trueBin),
                Output.PIPE_READER));
    Path dir = Files.createTempDirectory("launch-cost");
    System.out.printf(
        "launchMechanism=%s java=%s n=%d%n",
        System.getProperty("jdk.lang.Process.launchMechanism", "(default)"),
        Runtime.version(),
        n);
    System.out.printf("%-32s %14s %14s%n", "variant", "seq µs/launch", "-j2 µs/task");
    for (Variant v : variants) {
      run(v, dir, 200, 1); // warm-up
      run(v, dir, 200, 2);
      double seq = run(v, dir, n, 1);
      double par = run(v, dir, n, 2);
      System.out.printf("%-32s %14.0f %14.0f%n", v.name(), seq, par);
    }
    record Setup(dev.braid.run.Launcher.Spawner spawner, dev.braid.run.Launcher.Groups groups) {}
    List<Setup> setups =
        List.of(
            new Setup(dev.braid.run.Launcher.Spawner.AUTO, dev.braid.run.Launcher.Groups.ALL),
            new Setup(dev.braid.run.Launcher.Spawner.JDK, dev.braid.run.Launcher.Groups.ALL),
            new Setup(dev.braid.run.Launcher.Spawner.JDK, dev.braid.run.Launcher.Groups.SHELL_ONLY));
    for (Setup setup : setups) {
      var groups = setup.groups();
      for (boolean lines : new boolean[] {false, true}) {
        try (var launcher = new dev.braid.run.Launcher(groups, setup.spawner())) {
          Function<Path, Runnable> task = log -> () -> launchVia(launcher, log, lines);
          runTasks(task, dir, 200, 1);
          runTasks(task, dir, 200, 2);
          double seq = runTasks(task, dir, n, 1);
          double par = runTasks(task, dir, n, 2);
          String name =
              "Launcher "
                  + (launcher.mechanism().equals("jdk") ? "jdk " + groups : launcher.mechanism())
                  + (lines ? " +lines" : "");
          System.out.printf("%-32s %14.0f %14.0f%n", name, seq, par);
        }
      }
    }
  }

  static void launchVia(dev.braid.run.Launcher launcher, Path log, boolean lines) {
    var spec = dev.braid.run.LaunchSpec.of("true", log.getParent(), log);
    dev.braid.run.OutputListener listener =
        lines ? line -> {} : dev.braid.run.OutputListener.NONE;
    try {
      launcher.launch(spec, listener).onExit().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void endToEnd(
      int n, dev.braid.run.Launcher.Groups groups, dev.braid.run.Launcher.Spawner spawner)
      throws Exception {
    Path dir = Files.createTempDirectory("launch-e2e");
    try (var launcher = new dev.braid.run.Launcher(groups, spawner)) {
      runTasks(log -> () -> launchVia(launcher, log, true), dir, n, 2);
    }
  }

  static double runTasks(Function<Path, Runnable> task, Path dir, int n, int width)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(width);
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < width; w++) {
      int slot = w;
      fs.add(
          pool.submit(
              () -> {
                for (int i = slot; i < n; i += width) {
                  task.apply(dir.resolve("t" + (i % 64) + ".log")).run();
                }
              }));
    }
    for (Future<?> f : fs) f.get();
    long t1 = System.nanoTime();
    pool.shutdown();
    return (t1 - t0) / 1000.0 / n;
  }

  /** Returns wall-clock microseconds per task. */
  static double run(Variant v, Path dir, int n, int width) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(width);
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < width; w++) {
      int slot = w;
      fs.add(
          pool.submit(
              () -> {
                for (int i = slot; i < n; i += width) {
                  launchOne(v, dir.resolve("t" + (i % 64) + ".log"));
                }
                return null;
              }));
    }
    for (Future<?> f : fs) f.get();
    long t1 = System.nanoTime();
    pool.shutdown();
    return (t1 - t0) / 1000.0 / n;
  }

  static void launchOne(Variant v, Path log) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(v.argv()).redirectInput(Redirect.from(new File("/dev/null")));
    pb.redirectErrorStream(true);
    if (v.output() == Output.FILE) {
      pb.redirectOutput(Redirect.appendTo(log.toFile()));
      Process p = pb.start();
      p.waitFor();
    } else {
      Process p = pb.start();
      Thread reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (InputStream in = p.getInputStream();
                        OutputStream out =
                            Files.newOutputStream(
                                log,
                                java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.APPEND)) {
                      in.transferTo(out);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
      p.waitFor();
      reader.join();
    }
  }
}
