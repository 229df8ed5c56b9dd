package dev.braid.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scheduling policy and state of one run, used alike by the simulator (estimated time) and the
 * runner (real processes). Not thread-safe: one thread owns it and feeds it events.
 *
 * <p>A task may start when every dependency is done, no conflicting task runs, its resources fit, a
 * slot (agent) is free, and no {@code parallel: false} task runs. A {@code parallel: false} task
 * starts only when nothing runs; while it is the best ready task, nothing else starts, so it cannot
 * starve. Ready tasks are taken by priority (1 first), then by the longest estimated chain still
 * ahead of them (critical path first), then by file order.
 *
 * <p>A runner may also {@linkplain #reserve reserve} the tasks that will start next, before a slot
 * is free, so that whatever runs the processes can start them the moment a task ends without
 * waiting for the runner: only tasks that this policy would start next whichever running task ends
 * first (see {@link #reserve}). A reserved task holds its conflicts and resources like a running
 * one and takes the next slot that frees; it changes no decision, only how soon it is carried out.
 *
 * <p>Conflicts are pairs and mutexes ({@link TaskGraph#mutexes}): a task waits while a task it
 * conflicts with, or another task of one of its mutexes, runs. Tasks waiting for a mutex queue on
 * it, and when it frees only the best of them is ready again (the others would wait for it anyway);
 * if that one does not take the mutex after all, the next one is. So a mutex of 20,000 tasks costs
 * a heap operation per start and end, and the decisions are those of the same conflicts as pairs.
 */
public final class Scheduler {

  /** A task to start now, in agent slot {@code slot} (1-based, like GNU parallel's {%}). */
  public record Launch(int task, int slot) {}

  private final TaskGraph graph;
  private final int agents;
  private final TaskState[] state;
  private final int[] waitingDeps;
  private final int[] runningConflicts; // pairs only
  private final int[] mutexHolders; // per mutex: its running or reserved tasks
  private final IntHeap[] mutexWaiters; // per mutex: positions of the tasks waiting for it
  private final int[] slotOf;
  private final boolean[] queued;
  private final boolean[] parked;
  private final boolean[] held;
  private final int[] available;
  private final List<List<Integer>> resourceWaiters;
  private final IntHeap ready; // positions in graph order (TaskGraph.position), best first
  private final long[] busySlots; // bit s - 1 set: slot s is taken
  private final int[] slotUsers; // tasks in slot s + 1: two for a moment when a reserved one
  // started in a slot whose previous task's end is not known here yet
  private final boolean[] reserved;
  private final int[] promised; // a reserved task's slot (1-based) while it is being started there
  private final java.util.ArrayDeque<Integer> reservations = new java.util.ArrayDeque<>();
  private int reservedCount;
  private int occupiedSlots;
  private int settled; // every task at a position below this one cannot become ready again
  private int running;
  private int exclusiveRunning;
  private boolean started;
  private boolean stopped;
  private int unfinished;
  private int heldCount;
  // restored (done before the run) and not yet satisfying its dependents; null: none restored
  private boolean[] restored;

  public Scheduler(TaskGraph graph, int agents) {
    if (agents < 1) {
      throw new IllegalArgumentException("agents must be >= 1: " + agents);
    }
    this.graph = graph;
    this.agents = agents;
    int n = graph.size();
    // no more slots than tasks can be busy at once, whatever the agent limit
    int slots = Math.min(agents, Math.max(1, n));
    this.busySlots = new long[(slots + 63) / 64];
    this.slotUsers = new int[slots];
    this.reserved = new boolean[n];
    this.promised = new int[n];
    this.state = new TaskState[n];
    Arrays.fill(state, TaskState.PENDING);
    this.waitingDeps = new int[n];
    for (int i = 0; i < n; i++) {
      waitingDeps[i] = graph.deps(i).length;
    }
    this.runningConflicts = new int[n];
    this.mutexHolders = new int[graph.mutexCount()];
    this.mutexWaiters = new IntHeap[graph.mutexCount()];
    this.slotOf = new int[n];
    this.queued = new boolean[n];
    this.parked = new boolean[n];
    this.held = new boolean[n];
    this.available = new int[graph.resourceCount()];
    this.resourceWaiters = new ArrayList<>();
    for (int r = 0; r < available.length; r++) {
      available[r] = graph.capacity(r);
      resourceWaiters.add(new ArrayList<>());
    }
    this.ready = new IntHeap(n);
    this.unfinished = n;
  }

  public TaskGraph graph() {
    return graph;
  }

  public int agents() {
    return agents;
  }

  public TaskState state(int task) {
    return state[task];
  }

  public int running() {
    return running;
  }

  /**
   * Records a task as already done before the run starts (succeeded in an earlier run, or marked
   * done in its source), so it is not run and satisfies its dependents, once its own dependencies
   * are done: when one of them runs again (its definition changed, or it was reset), the done
   * task's dependents wait for it, as they did the first time.
   */
  public void restore(int task, TaskState done) {
    if (started) {
      throw new IllegalStateException("restore() after the first poll()");
    }
    if (!done.isDone()) {
      throw new IllegalArgumentException("restore() takes SUCCEEDED or SKIPPED, not " + done);
    }
    if (state[task] != TaskState.PENDING) {
      return;
    }
    move(task, done);
    if (restored == null) {
      restored = new boolean[state.length];
    }
    restored[task] = true; // its dependents wait until passOn
  }

  /**
   * A restored task whose dependencies are all done now satisfies its dependents, and so on down
   * through restored dependents; with {@code enqueue}, dependents that become ready are queued.
   */
  private void passOn(int task, boolean enqueue) {
    ArrayDequeInt stack = new ArrayDequeInt();
    stack.push(task);
    while (!stack.isEmpty()) {
      int t = stack.pop();
      restored[t] = false;
      for (int d : graph.dependents(t)) {
        if (--waitingDeps[d] == 0) {
          if (restored[d]) {
            stack.push(d);
          } else if (enqueue && state[d] == TaskState.PENDING) {
            enqueue(d);
          }
        }
      }
    }
  }

  /** Starts as many tasks as the policy allows now; they are RUNNING when this returns. */
  public List<Launch> poll() {
    return poll(Integer.MAX_VALUE);
  }

  /** Like {@link #poll()}, starting at most {@code limit} tasks. */
  public List<Launch> poll(int limit) {
    if (!started) {
      started = true;
      if (restored != null) {
        for (int t = 0; t < state.length; t++) {
          if (restored[t] && waitingDeps[t] == 0) {
            passOn(t, false);
          }
        }
      }
      for (int t = 0; t < state.length; t++) {
        if (state[t] == TaskState.PENDING && waitingDeps[t] == 0) {
          enqueue(t);
        }
      }
    }
    List<Launch> launches = new ArrayList<>();
    while (!stopped
        && launches.size() < limit
        && running + reservedCount < agents
        && exclusiveRunning == 0) {
      int t = bestReady();
      if (t < 0) {
        break;
      }
      if (graph.exclusive(t)) {
        if (running + reservedCount > 0) {
          break; // drain: nothing else starts until it can run alone
        }
        takeReady(t);
        launches.add(start(t));
        break;
      }
      takeReady(t);
      if (runningConflicts[t] > 0 || busyMutex(t) >= 0) {
        await(t); // back in the queue when what it waits for ends
        standAside(t);
        continue;
      }
      int lacking = lackingResource(t);
      if (lacking >= 0) {
        resourceWaiters.get(lacking).add(t);
        standAside(t);
        continue;
      }
      launches.add(start(t));
    }
    return launches;
  }

  /**
   * Reserves, in order, the tasks that will start next, up to {@code limit} reserved at once: for
   * when all slots are taken, so that each can start the moment a running task ends. A task is
   * reserved only if this policy would start it next whichever running task ends first, whatever
   * that end makes ready: it is the best ready task, it is not {@code parallel: false}, nothing
   * running or reserved conflicts with it, its resources are free, {@code mayStart} accepts it, and
   * every task that outranks it has ended, or is reserved or runs without retries (nothing that
   * could become ready later outranks it). Reserved tasks are PENDING until {@link #startReserved};
   * each takes the next slot that frees ({@link #promotions} for slots freed while nothing was
   * reserved). Returns the tasks reserved now.
   */
  public List<Integer> reserve(int limit, java.util.function.IntPredicate mayStart) {
    List<Integer> now = new ArrayList<>();
    while (!stopped && started && reservedCount < limit && exclusiveRunning == 0) {
      int t = bestReady();
      if (t < 0
          || graph.exclusive(t)
          || runningConflicts[t] > 0
          || busyMutex(t) >= 0
          || lackingResource(t) >= 0
          || !mayStart.test(t)
          || !nothingUnsettledBefore(t)) {
        break;
      }
      takeReady(t);
      reserved[t] = true;
      reservedCount++;
      reservations.add(t);
      hold(t);
      now.add(t);
    }
    return now;
  }

  /**
   * Reserved tasks that get a free slot now, in reservation order: slots freed while nothing was
   * reserved for them (the task that freed one ended before the reservation reached the process
   * starter). Each is started there unless it started in another slot meanwhile, which {@link
   * #startReserved} then says.
   */
  public List<Launch> promotions() {
    List<Launch> out = new ArrayList<>();
    for (int t : reservations) {
      if (stopped || occupiedSlots == slotUsers.length) {
        break;
      }
      if (promised[t] != 0) {
        continue;
      }
      int slot = freeSlot() + 1;
      occupy(slot);
      promised[t] = slot;
      out.add(new Launch(t, slot));
    }
    return out;
  }

  /** A reserved task started, in {@code slot} (1-based). */
  public void startReserved(int task, int slot) {
    if (!reserved[task]) {
      throw new IllegalStateException("task " + graph.id(task) + " is not reserved");
    }
    unreserved(task);
    move(task, TaskState.RUNNING);
    running++;
    occupy(slot);
    slotOf[task] = slot;
  }

  /** A reserved task will not start after all (cancelled); it is ready again. */
  public void unreserve(int task) {
    if (!reserved[task]) {
      throw new IllegalStateException("task " + graph.id(task) + " is not reserved");
    }
    unreserved(task);
    letGo(task);
    settled = Math.min(settled, graph.position(task));
    if (state[task] == TaskState.PENDING) {
      enqueue(task);
    }
  }

  public int reserved() {
    return reservedCount;
  }

  private void unreserved(int task) {
    reserved[task] = false;
    reservedCount--;
    reservations.remove(task);
    if (promised[task] != 0) {
      vacate(promised[task]);
      promised[task] = 0;
    }
  }

  /** The best ready task, dropping queue entries of tasks no longer pending; -1 if none. */
  private int bestReady() {
    while (!ready.isEmpty()) {
      int t = graph.taskAt(ready.peek());
      if (state[t] == TaskState.PENDING) {
        return t;
      }
      takeReady(t); // blocked, or started, while it waited in the queue
      standAside(t);
    }
    return -1;
  }

  private void takeReady(int t) {
    ready.poll();
    queued[t] = false;
  }

  /** Whether every task that outranks {@code t} has ended or is sure to start or run for good. */
  private boolean nothingUnsettledBefore(int t) {
    int limit = graph.position(t);
    while (settled < limit && isSettled(graph.taskAt(settled))) {
      settled++;
    }
    return settled >= limit;
  }

  /**
   * Cannot become ready (again) in this run: ended, or reserved or running without retries (one
   * with retries may fail and be ready again, outranking what was reserved meanwhile).
   */
  private boolean isSettled(int t) {
    return switch (state[t]) {
      case PENDING -> reserved[t] && graph.task(t).retries() == 0;
      case RUNNING -> graph.task(t).retries() == 0;
      default -> true;
    };
  }

  /** A running task succeeded; its dependents may become ready. */
  public void succeeded(int task) {
    release(task, TaskState.SUCCEEDED);
    for (int d : graph.dependents(task)) {
      if (--waitingDeps[d] == 0) {
        if (restored != null && restored[d]) {
          passOn(d, true);
        } else if (state[d] == TaskState.PENDING) {
          enqueue(d);
        }
      }
    }
  }

  /**
   * A running task failed for good: every task that (transitively) depends on it is BLOCKED.
   * Returns the newly blocked tasks.
   */
  public List<Integer> failed(int task) {
    release(task, TaskState.FAILED);
    return blockDependents(task);
  }

  /**
   * A task that succeeded failed after all (a failing integration checkpoint reverted its work):
   * like {@link #failed}, every pending task that (transitively) depends on it is BLOCKED, even one
   * already ready or waiting to retry. Dependents that already run or ended are left as they are;
   * the caller decides about them. Returns the newly blocked tasks.
   */
  public List<Integer> failedAfterSucceeding(int task) {
    if (state[task] != TaskState.SUCCEEDED) {
      throw new IllegalStateException(
          "task " + graph.id(task) + " is " + state[task] + ", not SUCCEEDED");
    }
    move(task, TaskState.FAILED);
    return blockDependents(task);
  }

  private List<Integer> blockDependents(int task) {
    List<Integer> blocked = new ArrayList<>();
    ArrayDequeInt stack = new ArrayDequeInt();
    stack.push(task);
    while (!stack.isEmpty()) {
      int t = stack.pop();
      for (int d : graph.dependents(t)) {
        if (restored != null && restored[d]) {
          // done before, but what it waited for failed now: what waits for it is blocked
          restored[d] = false;
          stack.push(d);
        } else if (state[d] == TaskState.PENDING) {
          move(d, TaskState.BLOCKED);
          unfinished--;
          if (held[d]) {
            held[d] = false;
            heldCount--;
          }
          blocked.add(d);
          stack.push(d);
        }
      }
    }
    return blocked;
  }

  /**
   * A running task will be tried again: it gives back its slot and becomes PENDING. With {@code
   * now} it is ready at once; otherwise it waits for {@link #retryReady(int)} (a backoff timer).
   */
  public void retry(int task, boolean now) {
    release(task, TaskState.PENDING);
    settled = Math.min(settled, graph.position(task));
    if (now) {
      enqueue(task);
    } else {
      held[task] = true;
      heldCount++;
    }
  }

  /** A task held by {@link #retry(int, boolean)} may start again. */
  public void retryReady(int task) {
    if (held[task] && state[task] == TaskState.PENDING) {
      held[task] = false;
      heldCount--;
      enqueue(task);
    }
  }

  /** No task starts any more; running ones are left to end. */
  public void stop() {
    stopped = true;
  }

  public boolean stopped() {
    return stopped;
  }

  /** Nothing runs and nothing more can start. */
  public boolean finished() {
    if (running > 0 || reservedCount > 0) {
      return false;
    }
    if (stopped || unfinished == 0) {
      return true;
    }
    return heldCount == 0 && ready.isEmpty();
  }

  /** Tasks neither done, failed nor blocked (pending or running). */
  public int unfinished() {
    return unfinished;
  }

  private Launch start(int t) {
    move(t, TaskState.RUNNING);
    running++;
    if (graph.exclusive(t)) {
      exclusiveRunning++;
    }
    hold(t);
    int slot = freeSlot() + 1;
    occupy(slot);
    slotOf[t] = slot;
    return new Launch(t, slot);
  }

  /** What a running (or reserved) task holds besides a slot: its conflicts and resources. */
  private void hold(int t) {
    for (int c : graph.pairConflicts(t)) {
      runningConflicts[c]++;
    }
    for (int m : graph.mutexes(t)) {
      mutexHolders[m]++;
    }
    int[] demand = graph.demand(t);
    for (int k = 0; k < demand.length; k += 2) {
      available[demand[k]] -= demand[k + 1];
    }
  }

  private void occupy(int slot) {
    if (slotUsers[slot - 1]++ == 0) {
      occupiedSlots++;
      busySlots[(slot - 1) >>> 6] |= 1L << (slot - 1);
    }
  }

  private void vacate(int slot) {
    if (--slotUsers[slot - 1] == 0) {
      occupiedSlots--;
      busySlots[(slot - 1) >>> 6] &= ~(1L << (slot - 1));
    }
  }

  private void release(int t, TaskState to) {
    move(t, to);
    running--;
    if (to.isTerminal()) {
      unfinished--;
    }
    if (graph.exclusive(t)) {
      exclusiveRunning--;
    }
    if (slotOf[t] > 0) {
      vacate(slotOf[t]);
      slotOf[t] = 0;
    }
    letGo(t);
  }

  /** Gives back what {@link #hold} took; tasks that waited for it are ready again. */
  private void letGo(int t) {
    for (int c : graph.pairConflicts(t)) {
      if (--runningConflicts[c] == 0 && parked[c]) {
        parked[c] = false;
        if (state[c] == TaskState.PENDING) {
          await(c);
        }
      }
    }
    for (int m : graph.mutexes(t)) {
      if (--mutexHolders[m] == 0) {
        wakeNext(m);
      }
    }
    int[] demand = graph.demand(t);
    for (int k = 0; k < demand.length; k += 2) {
      int r = demand[k];
      available[r] += demand[k + 1];
      List<Integer> waiters = resourceWaiters.get(r);
      if (!waiters.isEmpty()) {
        List<Integer> again = new ArrayList<>(waiters);
        waiters.clear();
        for (int w : again) {
          if (state[w] == TaskState.PENDING) {
            enqueue(w);
          }
        }
      }
    }
  }

  /** A mutex of {@code t} that a running or reserved task holds, or -1. */
  private int busyMutex(int t) {
    for (int m : graph.mutexes(t)) {
      if (mutexHolders[m] > 0) {
        return m;
      }
    }
    return -1;
  }

  /**
   * Queues pending task {@code t} where it waits: parked until its last running pair conflict ends,
   * else on a held mutex of its, else ready. Returns whether it is ready.
   */
  private boolean await(int t) {
    if (runningConflicts[t] > 0) {
      parked[t] = true;
      return false;
    }
    int m = busyMutex(t);
    if (m >= 0) {
      if (mutexWaiters[m] == null) {
        mutexWaiters[m] = new IntHeap(4);
      }
      mutexWaiters[m].add(graph.position(t));
      return false;
    }
    enqueue(t);
    return true;
  }

  /**
   * Free mutex {@code m}: its best waiting task is ready again (or waits on for something else, and
   * then the next one is), so that one task of it is in the ready queue ahead of the others.
   */
  private void wakeNext(int m) {
    IntHeap waiters = mutexWaiters[m];
    while (waiters != null && mutexHolders[m] == 0 && !waiters.isEmpty()) {
      int w = graph.taskAt(waiters.poll());
      if (state[w] == TaskState.PENDING && await(w)) {
        return;
      }
    }
  }

  /**
   * Task {@code t} left the ready queue without taking its mutexes (it waits, lacks a resource, or
   * is no longer pending): those it stood first for go to their next waiting task.
   */
  private void standAside(int t) {
    for (int m : graph.mutexes(t)) {
      if (mutexHolders[m] == 0) {
        wakeNext(m);
      }
    }
  }

  /** The lowest free slot, 0-based; one is free whenever fewer than {@code agents} tasks run. */
  private int freeSlot() {
    int w = 0;
    while (busySlots[w] == -1L) {
      w++;
    }
    return w * 64 + Long.numberOfTrailingZeros(~busySlots[w]);
  }

  private int lackingResource(int t) {
    int[] demand = graph.demand(t);
    for (int k = 0; k < demand.length; k += 2) {
      if (available[demand[k]] < demand[k + 1]) {
        return demand[k];
      }
    }
    return -1;
  }

  private void enqueue(int t) {
    if (!queued[t]) {
      queued[t] = true;
      ready.add(graph.position(t));
    }
  }

  private void move(int t, TaskState to) {
    state[t] = state[t].moveTo(to);
  }

  /** A growable stack of ints without boxing. */
  private static final class ArrayDequeInt {
    private int[] items = new int[16];
    private int size;

    void push(int v) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = v;
    }

    int pop() {
      return items[--size];
    }

    boolean isEmpty() {
      return size == 0;
    }
  }
}
