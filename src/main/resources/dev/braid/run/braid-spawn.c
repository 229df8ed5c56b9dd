/*
 * braid-spawn: Braid's long-lived process launcher (Linux). One per dev.braid.run.Launcher.
 * The JVM forks once, to start this helper; the helper starts every task with posix_spawn: setsid (a
 * process group per task), stdin from /dev/null or a given file, stdout and stderr into a pipe, exec.
 * The helper copies what comes through the pipe to the end of the task's log, creating the log with
 * the first output: a task that prints nothing costs no file (creating one was the largest part of
 * a short task's start, more so on a file system that has just deleted many).
 * As a child subreaper it also reaps the task's orphans, so it knows when a task's group is
 * empty. Compiled by SpawnHelper on first use; see SpawnHelper.java for the JVM side.
 *
 * Requests on stdin: "<length>:" then <length> bytes of NUL-terminated fields.
 *   S id slot cwd log stdin argc argv... envc NAME=VALUE...
 *                                                 start a task now; stdin "" is /dev/null; a
 *                                                 relative log is relative to cwd; slot > 0: the
 *                                                 task holds that agent slot (free, says the JVM)
 *   Q id cwd log stdin argc argv... envc NAME=VALUE...
 *                                                 queue a task: it starts in the next slot that a
 *                                                 task frees (never in a slot already free: those
 *                                                 are the JVM's to fill)
 *   R id slot                                     start queued task id now in free slot; ignored
 *                                                 if it is no longer queued
 *   C id                                          cancel queued task id
 *   K id signo                                    signal the task's process group
 * A task started in a slot gets BRAID_SLOT=slot in its environment. A slot is freed when its
 * task's group is empty (the X with more = 0, or the D); the head of the queue starts in it at
 * once, and its P (or F) comes before that X or D.
 * Replies on stdout, one line each:
 *   braid-spawn 4                                 ready (first line)
 *   P id pid slot us                              started (exec succeeded) at us, microseconds
 *                                                 since the epoch (the wall clock, as every us)
 *   F id slot message                             could not start; nothing runs
 *   U id                                          a queued task was cancelled before it started
 *   X id code more us bytes                       the command exited: code, or 128 + signal;
 *                                                 more = 1 if its group still has processes;
 *                                                 what the pipe held by then is in the log;
 *                                                 us: when it was reaped (with more = 0, when its
 *                                                 slot was freed: no later than the next P's us);
 *                                                 bytes: how much output the task has printed
 *                                                 (all of it with more = 0): what went to the
 *                                                 log, unless the log could not be opened or
 *                                                 written; 0: the helper created no log
 *   D id us bytes                                 after "X id code 1": the group is empty, and
 *                                                 its output is in the log; bytes as in X, all
 *                                                 of it. Whatever still holds
 *                                                 the pipe then (a process that left the group)
 *                                                 writes into a closed pipe.
 * Replies are held back while the JVM has no need of them yet: while the queue holds more than
 * half of what it held at the last reply sent, for at most HOLD_MS. Then the JVM hears of short
 * tasks a batch at a time, and takes one turn (one store commit, one write of new requests) per
 * batch instead of one per task. `bench/throughput.sh`, 2,000 x `true` at -j2: 1.72 -> 1.44 s from
 * session 7 to 8, whose only speed change this was (docs/benchmarks.md, "Throughput").
 * What answers a request (S, R, C) is sent at once, with whatever was held.
 * End of stdin, SIGTERM or SIGHUP: TERM to every task's group and to every process the tasks left
 * outside their groups (the helper's orphans, as a subreaper), KILL after 2 s, exit.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum state { RUNNING, LINGERING };

struct task {
  long long id;
  pid_t pid; /* also the process group's id: the child called setsid */
  enum state state;
  int code;
  int exited; /* reaped, X not yet sent */
  int out;    /* the read end of the task's output pipe; -1 once closed */
  int log;    /* the log, opened on the first output; -1 before, -2 if it cannot be */
  long long printed; /* bytes read from the pipe: what the task printed */
  int slot;   /* the agent slot it holds; 0 for none */
  char *log_path;
  struct task *next;
};

static struct task *tasks;

/* A queued start request: its fields, from the id on, as they came. */
struct queued {
  long long id;
  char *body;
  size_t size;
  struct queued *next;
};

static struct queued *queue_head, **queue_tail = &queue_head;
static int queued;      /* how many */
static int queued_peak; /* the most since the last reply sent */
static int wake[2] = {-1, -1}; /* self-pipe: SIGCHLD, SIGTERM, SIGHUP */
static volatile sig_atomic_t stopping;

static void on_signal(int sig) {
  int saved = errno;
  if (sig != SIGCHLD) {
    stopping = 1;
  }
  if (write(wake[1], "x", 1) < 0) {
    /* the pipe is full: a wake-up is pending anyway */
  }
  errno = saved;
}

static void die(const char *what) {
  fprintf(stderr, "braid-spawn: %s: %s\n", what, strerror(errno));
  exit(70);
}

static struct task *find(long long id) {
  for (struct task *t = tasks; t; t = t->next) {
    if (t->id == id) {
      return t;
    }
  }
  return NULL;
}

/* Appends to the task's log, opening (creating) it first; output that cannot be logged is dropped. */
static void write_log(struct task *t, const char *data, size_t len) {
  if (t->log == -1) {
    t->log = open(t->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (t->log < 0) {
      t->log = -2;
    }
  }
  while (t->log >= 0 && len > 0) {
    ssize_t n = write(t->log, data, len);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    data += n;
    len -= (size_t)n;
  }
}

/* Copies what the task's pipe holds now (a pipe holds 64 KiB) to its log; closes the pipe at its
   end. At most 1 MiB per call: a task that never stops writing must not keep the helper from
   the others (poll brings it back). */
static void relay(struct task *t) {
  static char buf[1 << 16];
  for (int reads = 0; t->out >= 0 && reads < 16; reads++) {
    ssize_t n = read(t->out, buf, sizeof buf);
    if (n > 0) {
      t->printed += n;
      write_log(t, buf, (size_t)n);
    } else if (n == 0) {
      close(t->out);
      t->out = -1;
    } else if (errno != EINTR) {
      return; /* EAGAIN: nothing more for now */
    }
  }
}

static void drop(struct task *gone) {
  for (struct task **p = &tasks; *p; p = &(*p)->next) {
    if (*p == gone) {
      *p = gone->next;
      relay(gone);
      if (gone->out >= 0) {
        close(gone->out);
      }
      if (gone->log >= 0) {
        close(gone->log);
      }
      free(gone->log_path);
      free(gone);
      return;
    }
  }
}

/* The wall clock in microseconds since the epoch: the JVM's Instant, for recorded times. */
static long long wall_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int group_alive(pid_t pgid) {
  return kill(-pgid, 0) == 0 || errno != ESRCH;
}

/* Why posix_spawn failed with err: it does not say which step, so the parent retraces them. */
static void spawn_failure(long long id, int slot, const char *cwd, const char *log,
                          const char *input, const char *program, int err) {
  int dir = open(cwd, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    printf("F %lld %d cannot change to directory %s: %s\n", id, slot, cwd, strerror(errno));
    return;
  }
  int out = openat(dir, log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  int saved = errno;
  if (out < 0) {
    close(dir);
    printf("F %lld %d cannot open log %s: %s\n", id, slot, log, strerror(saved));
    return;
  }
  close(out);
  int in = openat(dir, input, O_RDONLY | O_CLOEXEC);
  saved = errno;
  close(dir);
  if (in < 0) {
    printf("F %lld %d cannot open input %s: %s\n", id, slot, input, strerror(saved));
    return;
  }
  close(in);
  if (err == ENOENT) {
    printf("F %lld %d %s: command not found\n", id, slot, program);
  } else {
    printf("F %lld %d cannot run %s: %s\n", id, slot, program, strerror(err));
  }
}

/* The task's environment: this process's, with the request's variables (and the slot's, if
   any) replacing or added. */
static char **task_environment(char **env, int envc, const char *slot_var) {
  extern char **environ;
  int n = 0;
  while (environ[n]) {
    n++;
  }
  char **all = malloc((size_t)(n + envc + 2) * sizeof *all);
  if (!all) {
    die("out of memory");
  }
  int k = 0;
  for (int i = 0; i < n; i++) {
    const char *eq = strchr(environ[i], '=');
    size_t len = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
    int replaced = 0;
    for (int j = 0; j < envc && !replaced; j++) {
      replaced = strncmp(env[j], environ[i], len) == 0 && env[j][len] == '=';
    }
    replaced = replaced || (slot_var && strncmp(slot_var, environ[i], len + 1) == 0);
    if (!replaced) {
      all[k++] = environ[i];
    }
  }
  for (int j = 0; j < envc; j++) {
    if (!slot_var || strncmp(env[j], "BRAID_SLOT=", 11) != 0) {
      all[k++] = env[j];
    }
  }
  if (slot_var) {
    all[k++] = (char *)slot_var;
  }
  all[k] = NULL;
  return all;
}

/* Starts a task in slot (0: none); f: cwd log stdin argc argv... envc env... Replies P or F;
   returns whether it runs. */
static int spawn_task(long long id, int slot, char **f, int nf) {
  if (nf < 5) {
    printf("F %lld %d bad request\n", id, slot);
    return 0;
  }
  const char *cwd = f[0];
  const char *log = f[1];
  const char *input = f[2][0] ? f[2] : "/dev/null";
  int argc = atoi(f[3]);
  if (argc < 1 || 4 + argc >= nf) {
    printf("F %lld %d bad request\n", id, slot);
    return 0;
  }
  char **argv = &f[4];
  int envc = atoi(f[4 + argc]);
  char **env = &f[5 + argc];
  if (envc < 0 || 5 + argc + envc > nf) {
    printf("F %lld %d bad request\n", id, slot);
    return 0;
  }
  argv[argc] = NULL; /* overwrites envc's field, no longer needed */
  /* posix_spawn, not fork: glibc starts the child with vfork semantics (no copy of this
     process's page tables) and reports a failed step or exec as its return value. The child
     gets a session and process group of its own, default signals, and the log as stdout and
     stderr; the working directory is changed first, so relative paths are the task's. */
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_init(&actions);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE); /* ignored here; ignored dispositions survive exec */
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGQUIT);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
  char *log_path = log[0] == '/' ? strdup(log) : NULL;
  if (!log_path && asprintf(&log_path, "%s/%s", cwd, log) < 0) {
    log_path = NULL;
  }
  if (!log_path) {
    die("out of memory");
  }
  /* The log is created with the first output, but a log that could never be written is an error
     now, like a missing directory: its directory must be writable. */
  char *slash = strrchr(log_path, '/');
  *slash = '\0';
  int writable = access(slash == log_path ? "/" : log_path, W_OK) == 0;
  *slash = '/';
  int pipe_fds[2];
  if (!writable || pipe2(pipe_fds, O_CLOEXEC) < 0) {
    int saved = errno;
    if (writable) {
      printf("F %lld %d cannot make a pipe: %s\n", id, slot, strerror(saved));
    } else {
      spawn_failure(id, slot, cwd, log, input, argv[0], saved);
    }
    free(log_path);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return 0;
  }
  posix_spawn_file_actions_addchdir_np(&actions, cwd);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0);
  char slot_var[32];
  snprintf(slot_var, sizeof slot_var, "BRAID_SLOT=%d", slot);
  char **envp = task_environment(env, envc, slot > 0 ? slot_var : NULL);
  pid_t pid;
  int err = posix_spawn(&pid, argv[0], &actions, &attr, argv, envp);
  free(envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipe_fds[1]);
  if (err != 0) {
    close(pipe_fds[0]);
    free(log_path);
    spawn_failure(id, slot, cwd, log, input, argv[0], err);
    return 0;
  }
  fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
  struct task *t = calloc(1, sizeof *t);
  if (!t) {
    die("out of memory");
  }
  t->id = id;
  t->pid = pid;
  t->state = RUNNING;
  t->out = pipe_fds[0];
  t->log = -1;
  t->log_path = log_path;
  t->slot = slot;
  t->next = tasks;
  tasks = t;
  printf("P %lld %d %d %lld\n", id, (int)pid, slot, wall_us());
  return 1;
}

/* Splits a request body into its fields; returns how many (at most max). */
static int split_fields(char *body, size_t size, char **fields, int max) {
  int nf = 0;
  for (size_t i = 0; i < size && nf < max;) {
    fields[nf++] = body + i;
    i += strlen(body + i) + 1;
  }
  return nf;
}

/* Starts the queued request q in slot and frees it; returns whether it runs. */
static int spawn_queued(struct queued *q, int slot) {
  char *fields[4096];
  int nf = split_fields(q->body, q->size, fields, 4096);
  /* fields: id cwd log stdin argc argv... envc env... */
  int ok = spawn_task(q->id, slot, &fields[1], nf - 1);
  free(q->body);
  free(q);
  return ok;
}

/* Takes queued task id out of the queue; NULL if it is not there. */
static struct queued *unqueue(long long id) {
  for (struct queued **p = &queue_head; *p; p = &(*p)->next) {
    if ((*p)->id == id) {
      struct queued *q = *p;
      *p = q->next;
      if (!*p) {
        queue_tail = p;
      }
      queued--;
      return q;
    }
  }
  return NULL;
}

/* A task's group is empty: its slot goes to the head of the queue (the next, if a start fails). */
static void slot_freed(int slot) {
  while (slot > 0 && queue_head) {
    if (spawn_queued(unqueue(queue_head->id), slot)) {
      return;
    }
  }
}

static void queue_task(char *body, size_t size, char **f, int nf) {
  if (nf < 2) {
    return;
  }
  size_t skip = strlen(f[0]) + 1; /* the body from the id on */
  struct queued *q = malloc(sizeof *q);
  char *copy = malloc(size - skip);
  if (!q || !copy) {
    die("out of memory");
  }
  memcpy(copy, body + skip, size - skip);
  q->id = atoll(f[1]);
  q->body = copy;
  q->size = size - skip;
  q->next = NULL;
  *queue_tail = q;
  queue_tail = &q->next;
  if (++queued > queued_peak) {
    queued_peak = queued;
  }
}

static void promote(char **f, int nf) {
  if (nf < 3) {
    return;
  }
  struct queued *q = unqueue(atoll(f[1]));
  if (q) {
    spawn_queued(q, atoi(f[2]));
  }
}

static void cancel(char **f, int nf) {
  if (nf < 2) {
    return;
  }
  struct queued *q = unqueue(atoll(f[1]));
  if (q) {
    printf("U %lld\n", q->id);
    free(q->body);
    free(q);
  }
}

static void signal_task(char **f, int nf) {
  if (nf < 3) {
    return;
  }
  struct task *t = find(atoll(f[1]));
  /* Once D was sent the task is gone and its group id may be reused: never signal it then. */
  if (t) {
    kill(-t->pid, atoi(f[2]));
  }
}

/* Reaps every child that exited (leaders and adopted orphans), then reports. */
static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (struct task *t = tasks; t; t = t->next) {
      if (t->pid == pid && t->state == RUNNING) {
        t->exited = 1;
        t->code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
        break;
      }
    }
  }
  struct task *t = tasks;
  while (t) {
    struct task *next = t->next;
    if (t->exited) {
      t->exited = 0;
      relay(t); /* what the command wrote is in the log before anyone hears it ended */
      long long at = wall_us(); /* before the next task's start in its slot */
      int more = group_alive(t->pid);
      if (!more) {
        slot_freed(t->slot); /* its P comes before this X */
      }
      printf("X %lld %d %d %lld %lld\n", t->id, t->code, more, at, t->printed);
      if (more) {
        t->state = LINGERING;
      } else {
        drop(t);
      }
    } else if (t->state == LINGERING && !group_alive(t->pid)) {
      long long at = wall_us();
      slot_freed(t->slot);
      relay(t); /* what the group wrote before it emptied, so that bytes is all of it */
      printf("D %lld %lld %lld\n", t->id, at, t->printed);
      drop(t);
    }
    t = next;
  }
}

static int lingering(void) {
  for (struct task *t = tasks; t; t = t->next) {
    if (t->state == LINGERING) {
      return 1;
    }
  }
  return 0;
}

static void drain_wake(void) {
  char buf[64];
  while (read(wake[0], buf, sizeof buf) > 0) {
  }
}

/* Parses every complete request in buf[0..len); returns the bytes consumed. Sets *answered if a
   request waits for its reply (S, R, C). */
static size_t handle_requests(char *buf, size_t len, int *answered) {
  size_t pos = 0;
  for (;;) {
    char *colon = memchr(buf + pos, ':', len - pos);
    if (!colon) {
      return pos;
    }
    size_t size = strtoul(buf + pos, NULL, 10);
    size_t body = (size_t)(colon - buf) + 1;
    if (len - body < size) {
      return pos;
    }
    char *fields[4096];
    int nf = split_fields(buf + body, size, fields, 4096);
    char kind = nf > 0 ? fields[0][0] : 0;
    *answered |= kind == 'S' || kind == 'R' || kind == 'C';
    if (kind == 'S' && nf > 2) {
      spawn_task(atoll(fields[1]), atoi(fields[2]), &fields[3], nf - 3);
    } else if (kind == 'Q') {
      queue_task(buf + body, size, fields, nf);
    } else if (kind == 'R') {
      promote(fields, nf);
    } else if (kind == 'C') {
      cancel(fields, nf);
    } else if (kind == 'K') {
      signal_task(fields, nf);
    }
    pos = body + size;
  }
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* How long a reply may be held back (see the top). Short enough for a live view. */
#define HOLD_MS 5
static long long held_since = -1; /* now_ms() when the oldest held reply was written; -1: none */

/* Sends the replies written so far, unless they may wait (see the top); returns 0 if the JVM is
   gone. */
static int send_replies(int answered) {
  if (__fpending(stdout) == 0) {
    held_since = -1; /* stdio sent them itself (its buffer filled) */
    return 1;
  }
  long long now = now_ms();
  if (held_since < 0) {
    held_since = now;
  }
  if (!answered && !stopping && queued > queued_peak / 2 && now - held_since < HOLD_MS) {
    return 1;
  }
  held_since = -1;
  queued_peak = queued;
  return fflush(stdout) == 0;
}

/* poll's timeout: until the held replies are due, or `otherwise`. */
static int poll_timeout(int otherwise) {
  if (held_since < 0) {
    return otherwise;
  }
  long long left = held_since + HOLD_MS - now_ms();
  int due = left > 0 ? (int)left : 0;
  return otherwise < 0 || due < otherwise ? due : otherwise;
}

/* Signals every live child of this helper, and the group of each that leads one; returns how many
   it found. As a child subreaper the helper inherits whatever a task's processes leave behind,
   also what left the task's group (`setsid daemon &`, `setsid -f`): its children are the tasks
   and those. */
static int signal_children(int sig) {
  DIR *proc = opendir("/proc");
  if (!proc) {
    return 0;
  }
  pid_t self = getpid();
  int found = 0;
  struct dirent *d;
  while ((d = readdir(proc))) {
    char *end;
    long pid = strtol(d->d_name, &end, 10);
    if (*end || pid <= 0) {
      continue;
    }
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    ssize_t len = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (len <= 0) {
      continue;
    }
    buf[len] = 0;
    char *paren = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
    char state;
    int ppid;
    if (!paren || sscanf(paren + 1, " %c %d", &state, &ppid) != 2 || ppid != self ||
        state == 'Z') {
      continue;
    }
    kill(-(pid_t)pid, sig); /* no such group unless it leads one */
    kill((pid_t)pid, sig);
    found++;
  }
  closedir(proc);
  return found;
}

/* Stops every task's group, and what the tasks left outside their groups: TERM, then KILL what is
   left after two seconds. */
static void shutdown_all(void) {
  while (queue_head) { /* nothing more starts */
    struct queued *q = unqueue(queue_head->id);
    free(q->body);
    free(q);
  }
  for (struct task *t = tasks; t; t = t->next) {
    kill(-t->pid, SIGTERM);
  }
  long long deadline = now_ms() + 2000;
  for (;;) {
    reap();
    fflush(stdout);
    /* Again each time: a process whose parent just died has become this helper's child. */
    if (signal_children(SIGTERM) == 0 && !tasks) {
      return;
    }
    long long left = deadline - now_ms();
    if (left <= 0) {
      break;
    }
    struct pollfd p = {wake[0], POLLIN, 0};
    poll(&p, 1, left < 100 ? (int)left : 100);
    drain_wake();
  }
  for (struct task *t = tasks; t; t = t->next) {
    kill(-t->pid, SIGKILL);
  }
  /* Each KILL may hand the helper the killed process's children: until none is left (bounded). */
  for (int round = 0; round < 100 && signal_children(SIGKILL) > 0; round++) {
    reap();
    struct pollfd p = {wake[0], POLLIN, 0};
    poll(&p, 1, 10);
    drain_wake();
  }
}

int main(void) {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
    die("PR_SET_CHILD_SUBREAPER");
  }
  if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0) {
    die("pipe");
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  /* Ctrl-C reaches the whole foreground group; the JVM decides what stops, not the terminal. */
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);

  printf("braid-spawn 4\n");
  fflush(stdout);

  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  if (!buf) {
    die("out of memory");
  }
  struct pollfd *p = NULL;
  size_t polled = 0;
  while (!stopping) {
    size_t n = 2;
    for (struct task *t = tasks; t; t = t->next) {
      n += t->out >= 0;
    }
    if (n > polled) {
      polled = n * 2;
      p = realloc(p, polled * sizeof *p);
      if (!p) {
        die("out of memory");
      }
    }
    p[0] = (struct pollfd){0, POLLIN, 0};
    p[1] = (struct pollfd){wake[0], POLLIN, 0};
    n = 2;
    for (struct task *t = tasks; t; t = t->next) {
      if (t->out >= 0) {
        p[n++] = (struct pollfd){t->out, POLLIN, 0};
      }
    }
    /* Only while some task's leftovers linger: a group emptied by a reaper other than this
       process sends no SIGCHLD here, so look again now and then. */
    int r = poll(p, (nfds_t)n, poll_timeout(lingering() ? 100 : -1));
    if (r < 0 && errno != EINTR) {
      die("poll");
    }
    if (p[1].revents) {
      drain_wake();
    }
    if (r > 0) {
      for (size_t i = 2; i < n; i++) {
        if (p[i].revents) {
          for (struct task *t = tasks; t; t = t->next) {
            if (t->out == p[i].fd) {
              relay(t);
              break;
            }
          }
        }
      }
    }
    reap();
    int answered = 0;
    if (p[0].revents) {
      if (len == cap) {
        cap *= 2;
        buf = realloc(buf, cap);
        if (!buf) {
          die("out of memory");
        }
      }
      ssize_t n = read(0, buf + len, cap - len);
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        break;
      }
      if (n > 0) {
        len += n;
        size_t used = handle_requests(buf, len, &answered);
        memmove(buf, buf + used, len - used);
        len -= used;
      }
    }
    if (!send_replies(answered)) {
      break; /* the JVM is gone */
    }
  }
  fflush(stdout);
  shutdown_all();
  return 0;
}
