package dev.braid.run;

import dev.braid.plan.TaskGraph;
import java.nio.file.Path;

/** What a starting run is: its id, plan, agents and where its state lives. */
public record RunInfo(
    String runId, TaskGraph graph, int agents, Path stateDir, boolean resumed, int alreadyDone) {}
