package dev.braid.run;

import dev.braid.plan.TaskGraph;
import java.nio.file.Path;

/**
 * What a starting run is: its id, plan, agents and where its state lives.
 *
 * @param alreadyDone tasks of the plan done before this session (restored, not run again)
 * @param markedDone tasks of the run that the plan file now marks done, which its reader leaves out
 *     of {@code graph}: done as well, on top of {@code alreadyDone}
 */
public record RunInfo(
    String runId,
    TaskGraph graph,
    int agents,
    Path stateDir,
    boolean resumed,
    int alreadyDone,
    int markedDone) {}
