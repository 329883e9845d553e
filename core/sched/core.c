// SPDX-License-Identifier: MIT
/*
 * Task layer, common part: tasks, blocking and waking, virtual time,
 * quiescence, exact deadlock detection, the choice source and the trace.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bindrace/report.h>
#include "internal.h"
#include "san.h"

#define __SP_NAME(id, name) [id] = name,
const char *const sched_point_names[SP_NR_KINDS] = {
	SCHED_POINT_KINDS(__SP_NAME)
};
#undef __SP_NAME

struct sched_state sched;
static uint64_t run_id;
__thread struct task *sched_current_task;
static sched_trace_fn trace_hook;
static sched_cause_fn livelock_cause, deadlock_cause;

static const char *const wait_kind_names[] = {
	[WAIT_NONE] = "running",
	[WAIT_MUTEX] = "mutex",
	[WAIT_SPIN] = "spinlock",
	[WAIT_COMPLETION] = "completion",
	[WAIT_EVENT] = "wait_event",
	[WAIT_FLUSH] = "flush",
	[WAIT_SLEEP] = "msleep",
	[WAIT_JOIN] = "join",
	[WAIT_IDLE] = "idle",
};

const char *wait_kind_name(enum wait_kind kind)
{
	return wait_kind_names[kind];
}

void sched_ilock(void)
{
	sched.ops->lock();
}

void sched_iunlock(void)
{
	sched.ops->unlock();
}

const struct sched_opts *sched_options(void)
{
	return &sched.opts;
}

void sched_hash(uint32_t v)
{
	/* FNV-1a over 32-bit words: cheap and order sensitive. */
	sched.hash ^= v;
	sched.hash *= 0x100000001b3ULL;
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t sched_choice(uint32_t bound, uint32_t fallback)
{
	if (bound <= 1)
		return 0;
	if (sched.choice_pos < sched.opts.nr_choices && !sched.fair)
		return sched.opts.choices[sched.choice_pos++] % bound;
	if (sched.opts.seed || sched.fair)
		return (uint32_t)(splitmix64(&sched.rng) % bound);
	return fallback % bound;
}

/*
 * Task records of finished fiber runs, kept for the next run: a fuzzing
 * run spawns a dozen tasks, and under ASan each fresh malloc() of this
 * record is filled and later quarantined.  Thread runs free theirs, since
 * a pool thread may still be leaving a task when the run returns.
 */
#define TASK_CACHE_MAX	256
static struct task *task_cache[TASK_CACHE_MAX];
static int nr_task_cache;

static void task_release(struct task *t)
{
	if (sched.ops == &sched_fiber_ops && nr_task_cache < TASK_CACHE_MAX)
		task_cache[nr_task_cache++] = t;
	else
		free(t);
}

static struct task *task_alloc(const char *name, task_fn_t fn, void *arg,
			       unsigned int flags)
{
	struct task *t;
	size_t n;

	/* Fibers run one at a time: the cache needs no lock. */
	if (sched.ops == &sched_fiber_ops && nr_task_cache)
		t = task_cache[--nr_task_cache];
	else
		t = malloc(sizeof(*t));

	if (!t) {
		fprintf(stderr, "bindrace: out of memory creating task %s\n", name);
		abort();
	}
	/* The large scratch at the end needs no clearing (task.h). */
	memset(t, 0, offsetof(struct task, held_locks));
	n = strnlen(name, sizeof(t->name) - 1);
	memcpy(t->name, name, n);
	t->name[n] = 0;
	t->fn = fn;
	t->arg = arg;
	t->flags = flags;
	t->deadline = WAIT_FOREVER;
	INIT_LIST_HEAD(&t->rq_node);
	INIT_LIST_HEAD(&t->wait_node);
	INIT_LIST_HEAD(&t->exit_wait);
	return t;
}

static struct task *__sched_spawn(const char *name, task_fn_t fn, void *arg,
				  unsigned int flags)
{
	struct task *t = task_alloc(name, fn, arg, flags);

	/* The child sees everything its creator did before the spawn. */
	tsan_release(t);
	sched_ilock();
	t->id = sched.next_id++;
	t->state = TASK_RUNNING;
	sched.nr_running++;
	sched.nr_alive++;
	list_add_tail(&t->all_node, &sched.tasks);
	sched.ops->start(t);
	sched_iunlock();
	return t;
}

struct task *sched_spawn(const char *name, task_fn_t fn, void *arg)
{
	if (!sched.running)
		bindrace_fatal("sched_spawn(%s) outside sched_run()", name);
	return __sched_spawn(name, fn, arg, 0);
}

struct task *sched_spawn_daemon(const char *name, task_fn_t fn, void *arg)
{
	if (!sched.running)
		bindrace_fatal("sched_spawn_daemon(%s) outside sched_run()", name);
	return __sched_spawn(name, fn, arg, TF_DAEMON);
}

void sched_task_main(struct task *t)
{
	volatile bool cancelled = false;

	tsan_acquire(t);
	/* Every point may cancel: the first one too, so set the target first. */
	if (!setjmp(t->cancel_env)) {
		sched_point(SP_START, t);
		t->fn(t->arg);
	} else {
		cancelled = true;
	}
	/* Unwound: no further cancellation points on the way out. */
	t->cancelled = false;
	sched_point(SP_EXIT, t);
	if (t->lockdep_depth && !cancelled)
		lockdep_task_exit_check(t);
	tsan_release(t);
	tsan_release(&sched.run_done);
	sched_ilock();
	sched_task_finish(t);
	/* The backend switches away or parks the thread; ilock stays held. */
}

static void sched_wake_task(struct task *t)
{
	if (t->state != TASK_BLOCKED)
		return;
	list_del_init(&t->wait_node);
	t->state = TASK_RUNNING;
	sched.nr_running++;
	sched.ops->wake(t);
}

bool sched_wake_one(struct list_head *waiters)
{
	struct task *t;

	if (list_empty(waiters))
		return false;
	t = list_first_entry(waiters, struct task, wait_node);
	sched_wake_task(t);
	return true;
}

void sched_wake_all(struct list_head *waiters)
{
	while (sched_wake_one(waiters))
		;
}

/* One line per live task: what it waits on, or that it can run. */
static void describe_task(FILE *f, struct task *t, char *what, size_t size)
{
	what[0] = 0;
	if (t->state != TASK_BLOCKED) {
		fprintf(f, "  task %s (id %d) is runnable\n", t->name, t->id);
		return;
	}
	if (t->wait_describe)
		t->wait_describe(t->wait_obj, what, size);
	fprintf(f, "  task %s (id %d) waits on %s %s\n", t->name, t->id,
		wait_kind_name(t->wait_kind), what);
}

static void sched_deadlock(void)
{
	char *buf = NULL, what[256], title[384];
	const char *cause;
	size_t len = 0, tlen;
	FILE *f;
	struct task *t;

	/*
	 * A run already reported (a livelock, an earlier deadlock) was
	 * cancelled: tasks unwinding from the middle of a probe leave
	 * counts such as probe_count behind, and whoever waits on them is
	 * a consequence, not a second finding.
	 */
	if (sched.deadlocked)
		goto cancel;
	tsan_ignore_begin();
	cause = deadlock_cause ? deadlock_cause() : NULL;
	tlen = snprintf(title, sizeof(title), "deadlock:%s%s%s", cause ? " " : "",
			cause ? cause : "", cause ? ":" : "");
	f = open_memstream(&buf, &len);
	fprintf(f, "every task is blocked and nothing can wake them:\n");
	list_for_each_entry(t, &sched.tasks, all_node) {
		if (t->state == TASK_EXITED)
			continue;
		describe_task(f, t, what, sizeof(what));
		/* The signature: who waits on what, idle daemons aside. */
		if (t->wait_kind != WAIT_IDLE && tlen < sizeof(title))
			tlen += snprintf(title + tlen, sizeof(title) - tlen, " %s:%s(%.*s)",
					 t->name, wait_kind_name(t->wait_kind),
					 (int)strcspn(what, " "), what);
	}
	fclose(f);
	tsan_ignore_end();
	sched.deadlocked = true;
	bindrace_report(REPORT_DEADLOCK, title, "%s", buf);
	free(buf);

cancel:
	/* The report hook returned (tests): cancel every blocked task. */
	list_for_each_entry(t, &sched.tasks, all_node) {
		if (t->state == TASK_BLOCKED) {
			t->cancelled = true;
			sched_wake_task(t);
		}
	}
}

/*
 * Report a run that does not end (the limit it crossed, and what that
 * means), then, if the report hook returns, cancel every task.  False if
 * the run was already reported: one reporter, though on threads several
 * may cross the limit at once.
 */
static bool livelock_report(struct task *cur, const char *limit, const char *what)
{
	char *buf = NULL, desc[256], title[160];
	const char *cause;
	size_t len = 0;
	struct task *t;
	FILE *f;

	if (__atomic_exchange_n(&sched.deadlocked, true, __ATOMIC_ACQ_REL))
		return false;
	/* Who loops and who waits for it: the start of any triage. */
	tsan_ignore_begin();
	f = open_memstream(&buf, &len);
	fprintf(f, "%s\n", what);
	if (cur)
		fprintf(f, "  task %s (id %d) was running\n", cur->name, cur->id);
	sched_ilock();
	list_for_each_entry(t, &sched.tasks, all_node) {
		if (t != cur && t->state != TASK_EXITED)
			describe_task(f, t, desc, sizeof(desc));
	}
	sched_iunlock();
	fclose(f);
	tsan_ignore_end();
	cause = livelock_cause ? livelock_cause() : NULL;
	snprintf(title, sizeof(title), "no quiescence within %s%s%s", limit,
		 cause ? ": " : "", cause ? cause : "");
	bindrace_report(REPORT_LIVELOCK, title, "%s", buf);
	free(buf);
	/* The hook returned: cancel every task. */
	sched_ilock();
	list_for_each_entry(t, &sched.tasks, all_node) {
		if (t->state == TASK_EXITED)
			continue;
		__atomic_store_n(&t->cancelled, true, __ATOMIC_RELAXED);
		sched_wake_task(t);
	}
	sched_iunlock();
	return true;
}

void sched_livelock(struct task *cur)
{
	char what[256];

	snprintf(what, sizeof(what),
		 "%llu schedule points without the run ending, the second half of\n"
		 "them under random choices: a task loops whatever the schedule\n"
		 "(deferred probe re-triggering itself, a retry without progress)",
		 (unsigned long long)__atomic_load_n(&sched.nr_points, __ATOMIC_RELAXED));
	/* The running task goes now, the others at their next point. */
	if (livelock_report(cur, "the schedule-point budget", what))
		longjmp(cur->cancel_env, 1);
}

void sched_livelock_wall(unsigned int ms)
{
	char what[160];

	snprintf(what, sizeof(what),
		 "%u ms of wall-clock time without the run ending: a task loops or\n"
		 "waits outside the model's view", ms);
	livelock_report(NULL, "the wall-clock limit", what);
}

/* End the timed waits whose deadline the clock has reached. */
static void wake_expired(void)
{
	struct task *t, *n;

	list_for_each_entry_safe(t, n, &sched.tasks, all_node) {
		if (t->state == TASK_BLOCKED && t->deadline <= sched.clock_ns) {
			t->timed_out = true;
			sched_wake_task(t);
		}
	}
}

/*
 * Time passes while tasks run: the clock moves on by @ns and timed waits
 * that expired end (ilock held).  The fibers' livelock check uses it in its
 * second phase, threads always (SCHED_TICK_POINTS): a task spinning until a
 * sleeper wakes would otherwise spin forever, since the clock jumps only
 * when nothing can run.
 */
void sched_clock_tick(uint64_t ns)
{
	__atomic_store_n(&sched.clock_ns, sched.clock_ns + ns, __ATOMIC_RELAXED);
	wake_expired();
}

/*
 * ilock held, nothing runnable.  Advance virtual time to the earliest
 * deadline, or end the run (only idle daemons left), or report a deadlock.
 */
static void sched_idle_check(void)
{
	uint64_t earliest = WAIT_FOREVER;
	bool blocked = false;
	struct task *t;

	list_for_each_entry(t, &sched.tasks, all_node) {
		if (t->state != TASK_BLOCKED)
			continue;
		if (t->deadline < earliest)
			earliest = t->deadline;
		if (t->wait_kind != WAIT_IDLE)
			blocked = true;
	}
	if (earliest != WAIT_FOREVER) {
		if (earliest > sched.clock_ns)
			__atomic_store_n(&sched.clock_ns, earliest, __ATOMIC_RELAXED);
		wake_expired();
		return;
	}
	if (blocked) {
		sched_deadlock();
		return;
	}
	/* Only idle daemons are left: tell them to exit. */
	sched.stopping = true;
	list_for_each_entry(t, &sched.tasks, all_node)
		if (t->state == TASK_BLOCKED)
			sched_wake_task(t);
}

bool sched_block(struct list_head *waiters, enum wait_kind kind, const void *obj,
		 wait_describe_fn describe, uint64_t deadline)
{
	struct task *t = current;

	t->wait_kind = kind;
	t->wait_obj = obj;
	t->wait_describe = describe;
	t->deadline = deadline;
	t->timed_out = false;
	t->park = 0;		/* threads.c: PARK_NONE */
	if (waiters)
		list_add_tail(&t->wait_node, waiters);
	else
		INIT_LIST_HEAD(&t->wait_node);
	t->state = TASK_BLOCKED;
	sched.nr_running--;
	if (sched.nr_running == 0)
		sched_idle_check();
	sched.ops->wait(t);
	t->wait_kind = WAIT_NONE;
	t->wait_obj = NULL;
	t->wait_describe = NULL;
	t->deadline = WAIT_FOREVER;
	if (t->cancelled) {
		sched_iunlock();
		longjmp(t->cancel_env, 1);
	}
	return t->timed_out;
}

void sched_task_finish(struct task *t)
{
	t->state = TASK_EXITED;
	sched.nr_running--;
	sched.nr_alive--;
	sched_wake_all(&t->exit_wait);
	if (sched.nr_alive > 0 && sched.nr_running == 0)
		sched_idle_check();
}

void sched_join(struct task *t)
{
	sched_ilock();
	while (t->state != TASK_EXITED)
		sched_block(&t->exit_wait, WAIT_JOIN, t, NULL, WAIT_FOREVER);
	sched_iunlock();
	tsan_acquire(t);
}

void sched_point(enum sched_point_kind kind, const void *obj)
{
	struct task *t = current;

	if (!t)
		return;
	if (trace_hook)
		trace_hook(t, kind, obj);
	sched.ops->point(t, kind);
}

enum sched_status sched_run(const struct sched_opts *opts, task_fn_t fn, void *arg)
{
	struct task *t, *n, *init;

	if (sched.running || current)
		bindrace_fatal("sched_run() called from inside a run");
	memset(&sched, 0, sizeof(sched));
	/* Read by pool threads (tsan_fiber.c) while a run ends. */
	__atomic_add_fetch(&run_id, 1, __ATOMIC_RELAXED);
	sched.opts = *opts;
	if (!sched.opts.max_run)
		sched.opts.max_run = 16;
	if (!sched.opts.max_workers)
		sched.opts.max_workers = 16;
	sched.ops = opts->backend == SCHED_THREADS ? &sched_thread_ops : &sched_fiber_ops;
	sched.rng = opts->seed;
	sched.hash = 0xcbf29ce484222325ULL;
	INIT_LIST_HEAD(&sched.tasks);
	sched.running = true;

	init = task_alloc("init", fn, arg, 0);	/* sched.ops is set */
	tsan_release(init);
	init->id = sched.next_id++;
	init->state = TASK_RUNNING;
	sched.nr_running = 1;
	sched.nr_alive = 1;
	list_add_tail(&init->all_node, &sched.tasks);
	sched.ops->run(init);
	tsan_acquire(&sched.run_done);

	list_for_each_entry_safe(t, n, &sched.tasks, all_node) {
		list_del(&t->all_node);
		task_release(t);
	}
	sched.running = false;
	return sched.deadlocked ? SCHED_DEADLOCK : SCHED_OK;
}

uint64_t sched_clock_ns(void)
{
	return __atomic_load_n(&sched.clock_ns, __ATOMIC_RELAXED);
}

uint64_t sched_run_id(void)
{
	return __atomic_load_n(&run_id, __ATOMIC_RELAXED);
}

const char *task_name(const struct task *t)
{
	return t ? t->name : "(none)";
}

int task_id(const struct task *t)
{
	return t ? t->id : -1;
}

#if !defined(__x86_64__)
/* Out of line, and opaque to the optimizer: see task.h. */
__attribute__((__noinline__)) struct task *sched_current_get(void)
{
	__asm__ volatile("");
	return sched_current_task;
}

__attribute__((__noinline__)) void sched_current_set(struct task *t)
{
	__asm__ volatile("");
	sched_current_task = t;
}
#endif

struct task *sched_current(void)
{
	return current;
}

bool sched_in_task(void)
{
	return current != NULL;
}

bool sched_stopping(void)
{
	return sched.stopping;
}

enum sched_backend sched_backend(void)
{
	return sched.opts.backend;
}

uint64_t sched_trace_hash(void)
{
	return sched.hash;
}

uint64_t sched_nr_switches(void)
{
	return sched.nr_switches;
}

uint64_t sched_nr_points(void)
{
	return sched.nr_points;
}

void sched_set_trace_hook(sched_trace_fn fn)
{
	trace_hook = fn;
}

sched_cause_fn sched_set_livelock_cause(sched_cause_fn fn)
{
	sched_cause_fn old = livelock_cause;

	livelock_cause = fn;
	return old;
}

sched_cause_fn sched_set_deadlock_cause(sched_cause_fn fn)
{
	sched_cause_fn old = deadlock_cause;

	deadlock_cause = fn;
	return old;
}
