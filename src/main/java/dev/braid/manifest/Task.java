package dev.braid.manifest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One task of a plan, with the seeds' field names mapped to Java ones. Values are effective:
 * plan-level defaults are already applied.
 *
 * <p>{@code dependsOn} reads "this task runs after each of these"; {@code conflictsWith} reads
 * "this task never runs at the same time as any of these".
 */
public record Task(
    String id,
    String title,
    String description,
    String command,
    String agent,
    List<String> dependsOn,
    List<String> conflictsWith,
    List<String> fileScope,
    boolean parallel,
    String parallelismGroup,
    Risk risk,
    Estimate est,
    int priority,
    List<AcceptanceCriterion> acceptanceCriteria,
    Map<String, Integer> resources,
    Duration timeout,
    int retries,
    List<String> relatedSpecs,
    List<String> testVerification,
    String capabilityId,
    PromptTemplate promptTemplate) {

  public static final int DEFAULT_PRIORITY = 3;

  public Task {
    Objects.requireNonNull(id, "id");
    dependsOn = List.copyOf(dependsOn);
    conflictsWith = List.copyOf(conflictsWith);
    fileScope = List.copyOf(fileScope);
    est = est == null ? Estimate.NONE : est;
    acceptanceCriteria = List.copyOf(acceptanceCriteria);
    resources = Map.copyOf(resources);
    relatedSpecs = List.copyOf(relatedSpecs);
    testVerification = List.copyOf(testVerification);
    if (priority < 1 || priority > 5) {
      throw new IllegalArgumentException("priority must be 1..5: " + priority);
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0: " + retries);
    }
  }

  /** A task with every optional field at its default; see the {@code with} methods. */
  public static Task of(String id) {
    return new Task(
        id,
        null,
        null,
        null,
        null,
        List.of(),
        List.of(),
        List.of(),
        true,
        null,
        null,
        Estimate.NONE,
        DEFAULT_PRIORITY,
        List.of(),
        Map.of(),
        null,
        0,
        List.of(),
        List.of(),
        null,
        null);
  }

  public double estimatedMinutes() {
    return est.effectiveMinutes();
  }

  public String displayTitle() {
    return title == null || title.isBlank() ? id : title;
  }

  public Task withTitle(String v) {
    return new Task(
        id,
        v,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withCommand(String v) {
    return new Task(
        id,
        title,
        description,
        v,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withDependsOn(List<String> v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        v,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withConflictsWith(List<String> v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        v,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withFileScope(List<String> v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        v,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withParallel(boolean v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        v,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withRisk(Risk v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        v,
        est,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withEst(Estimate v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        v,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withPriority(int v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        v,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withAcceptanceCriteria(List<AcceptanceCriterion> v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        v,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withResources(Map<String, Integer> v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        v,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withTimeout(Duration v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        resources,
        v,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withRetries(int v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        v,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  public Task withPromptTemplate(PromptTemplate v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        capabilityId,
        v);
  }

  public Task withCapabilityId(String v) {
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est,
        priority,
        acceptanceCriteria,
        resources,
        timeout,
        retries,
        relatedSpecs,
        testVerification,
        v,
        promptTemplate);
  }
}
