import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.Conflicts;
import dev.braid.analysis.DependencyGraph;
import dev.braid.analysis.PlanMetrics;
import dev.braid.analysis.Validator;
import dev.braid.manifest.ManifestReader;
import dev.braid.observe.Json;
import dev.braid.observe.PlanView;
import dev.braid.plan.Forecast;
import dev.braid.plan.Recommendation;
import dev.braid.plan.TaskGraph;
import java.nio.file.Path;
import java.util.List;

/**
 * Times each phase of {@code braid plan FILE --agents N --format json} in one JVM, so a slow phase
 * shows up by name: wall time, the main thread's CPU time, time in GC and bytes allocated (the last
 * three mean something even on a busy machine). Run by hand after {@code ./braid --version} (which builds the jar):
 * {@code java -Xmx1g -XX:+UseSerialGC -cp target/braid.jar bench/PlanPhases.java FILE [agents] [repeats]}.
 * With repeats > 1 the later rounds show the JIT-warm cost of each phase.
 */
class PlanPhases {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int agents = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    for (int round = 1; round <= repeats; round++) {
      long t0 = System.nanoTime();
      ManifestReader.Result read = ManifestReader.read(file);
      long t1 = lap("read", t0);
      var warnings = Validator.validate(read.manifest());
      long t2 = lap("validate", t1);
      DependencyGraph deps = DependencyGraph.of(read.manifest());
      long t3 = lap("dependency graph", t2);
      Conflicts conflicts = Conflicts.derive(read.manifest());
      long t4 = lap("conflicts", t3);
      CheckedPlan checked = new CheckedPlan(read.manifest(), warnings, deps, conflicts);
      TaskGraph graph = TaskGraph.of(checked);
      long t5 = lap("task graph", t4);
      Recommendation recommended = Recommendation.of(graph);
      long t6 = lap("recommendation", t5);
      PlanMetrics metrics = PlanMetrics.compute(checked.manifest(), deps, conflicts, recommended);
      long t7 = lap("metrics", t6);
      Forecast forecast = Forecast.of(graph, agents);
      long t8 = lap("forecast", t7);
      String json =
          Json.write(new PlanView(file.toString(), graph, forecast, metrics, recommended).json());
      long t9 = lap("json", t8);
      if (System.getenv("PLAN_PHASES_HISTOGRAM") != null) {
        histogram(25); // what stays live, with every phase's result still referenced
        java.lang.ref.Reference.reachabilityFence(read);
        java.lang.ref.Reference.reachabilityFence(checked);
        java.lang.ref.Reference.reachabilityFence(graph);
        java.lang.ref.Reference.reachabilityFence(forecast);
      }
      System.out.printf(
          "round %d: total %d ms (%d warnings, %d conflict pairs, %s, %d chars)%n%n",
          round,
          (t9 - t0) / 1_000_000,
          warnings.size(),
          conflicts.pairs().size(),
          recommended.trials(),
          json.length());
    }
  }

  private static void histogram(int lines) throws Exception {
    Object text =
        java.lang.management.ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram",
                new Object[] {new String[0]},
                new String[] {String[].class.getName()});
    text.toString().lines().limit(lines).forEach(System.out::println);
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
  private static long cpu = THREADS.getCurrentThreadCpuTime();
  private static long allocated = THREADS.getCurrentThreadAllocatedBytes();
  private static long gc = gcMillis();

  private static long gcMillis() {
    long sum = 0;
    for (var bean : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += bean.getCollectionTime();
    }
    return sum;
  }

  private static long lap(String what, long since) {
    long now = System.nanoTime();
    long cpuNow = THREADS.getCurrentThreadCpuTime();
    long allocatedNow = THREADS.getCurrentThreadAllocatedBytes();
    long gcNow = gcMillis();
    System.out.printf(
        "  %-16s %6d ms wall %6d ms cpu %5d ms gc %6d MB allocated%n",
        what,
        (now - since) / 1_000_000,
        (cpuNow - cpu) / 1_000_000,
        gcNow - gc,
        (allocatedNow - allocated) >> 20);
    cpu = cpuNow;
    allocated = allocatedNow;
    gc = gcNow;
    return now;
  }
}
