package dev.braid.cli;

import dev.braid.agent.AgentProfile;
import dev.braid.agent.AgentProfiles;
import dev.braid.agent.Doctor;
import dev.braid.agent.ProfileCheck;
import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.ManifestException;
import dev.braid.observe.AgentsView;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "doctor",
    modelTransformer = SharedOptions.Add.class,
    description =
        "Check that every agent the plan uses is installed (on PATH, and its version where that is"
            + " cheap to ask). Exits 2 when one is missing.")
final class DoctorCommand implements Callable<Integer>, SharedOptions.User {

  final PlanFileOption plan = new PlanFileOption();

  @Override
  public List<SharedOptions> sharedOptions() {
    return List.of(plan);
  }

  @Option(
      names = "--agent",
      paramLabel = "NAME",
      description = "Agent for tasks that have neither command nor agent.")
  String agent;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws ManifestException {
    Path file = plan.resolve();
    CheckedPlan checked = plan.load();
    Map<String, String> env = System.getenv();
    AgentProfiles profiles = AgentProfiles.load(checked.manifest(), env);
    for (Diagnostic d : profiles.warnings()) {
      spec.commandLine().getErr().println(d);
    }
    Map<String, AgentProfile> byTask = profiles.forTasks(checked.manifest(), agent);
    Path dir = file.toAbsolutePath().getParent();
    List<ProfileCheck> checks = Doctor.check(byTask, env, dir, true);
    spec.commandLine().getOut().print(AgentsView.doctor(file.toString(), checks));
    return checks.stream().allMatch(ProfileCheck::ok) ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
  }
}
