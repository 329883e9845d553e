/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_SCHED_H
#define _BINDRACE_SCHED_H

/*
 * The task layer.  Every shim that blocks, wakes or creates a task goes
 * through here.  Two backends, chosen per run:
 *   fibers  - every task on one OS thread, switching only at schedule
 *             points; a choice source (bytes or a seeded PRNG) picks who
 *             runs next.  Virtual time.  Same choices, same trace hash.
 *   threads - real parallelism: a pool of pthreads, one per core (at least
 *             two), kept across runs, runs the tasks from one run queue;
 *             a task that blocks gives its thread to the next runnable
 *             one.  Time is virtual here too: it advances only when every task
 *             is blocked, so a 5 s msleep costs nothing.
 * Hand-offs inside this layer are invisible to TSan; the shims tell TSan
 * exactly the happens-before edges the kernel primitive promises.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sched_backend {
	SCHED_FIBERS,
	SCHED_THREADS,
};

/* What a schedule point is about; part of the trace. One table: sched_point_names[]. */
#define SCHED_POINT_KINDS(X)		\
	X(SP_START, "start")		\
	X(SP_MUTEX_LOCK, "mutex_lock")	\
	X(SP_MUTEX_UNLOCK, "mutex_unlock") \
	X(SP_SPIN_LOCK, "spin_lock")	\
	X(SP_SPIN_UNLOCK, "spin_unlock") \
	X(SP_COMPLETION, "completion")	\
	X(SP_WAIT_EVENT, "wait_event")	\
	X(SP_WAKE_UP, "wake_up")	\
	X(SP_ATOMIC, "atomic")		\
	X(SP_KREF, "kref")		\
	X(SP_ASYNC, "async")		\
	X(SP_WORK, "work")		\
	X(SP_FLUSH, "flush")		\
	X(SP_SLEEP, "msleep")		\
	X(SP_ALLOC, "alloc")		\
	X(SP_DEV_DRIVER, "dev->driver")	\
	X(SP_ASYNC_DRIVER, "p->async_driver") \
	X(SP_DEAD, "p->dead")		\
	X(SP_FLAGS, "dev->flags")	\
	X(SP_DEFERRED, "deferred_list")	\
	X(SP_OVERRIDE, "driver_override") \
	X(SP_EXIT, "exit")

#define __SP_ENUM(id, name) id,
enum sched_point_kind {
	SCHED_POINT_KINDS(__SP_ENUM)
	SP_NR_KINDS
};
#undef __SP_ENUM

extern const char *const sched_point_names[SP_NR_KINDS];

struct sched_opts {
	enum sched_backend backend;
	/* Fibers: choice bytes; when NULL (or used up) fall back as below. */
	const uint8_t *choices;
	size_t nr_choices;
	/* Fibers without bytes: a PRNG with this seed.  0 = round-robin. */
	uint64_t seed;
	/* Longest run of schedule points before a task is asked to yield. */
	unsigned int max_run;
	/* Workqueue worker cap per pool (each grows on demand up to this). */
	unsigned int max_workers;
	/* Fibers: more schedule points than this is a livelock (0 = no limit). */
	uint64_t max_points;
	/* Threads: a run longer than this, wall clock, is a livelock (0 = none). */
	unsigned int wall_limit_ms;
	/*
	 * Threads: OS threads in the pool, 1 to SCHED_MAX_THREADS, fixed by
	 * the run that creates it (0 = one per core, at least two).
	 */
	unsigned int nr_threads;
};

#define SCHED_MAX_THREADS	8

enum sched_status {
	SCHED_OK = 0,
	SCHED_DEADLOCK = 1,
};

struct task;

typedef void (*task_fn_t)(void *arg);

/* Run @fn as task "init" until every task has finished and all is quiet. */
enum sched_status sched_run(const struct sched_opts *opts, task_fn_t fn, void *arg);

/* Inside a run. */
struct task *sched_spawn(const char *name, task_fn_t fn, void *arg);
struct task *sched_spawn_daemon(const char *name, task_fn_t fn, void *arg);
void sched_join(struct task *t);
void sched_point(enum sched_point_kind kind, const void *obj);
uint64_t sched_clock_ns(void);
const char *task_name(const struct task *t);
int task_id(const struct task *t);
struct task *sched_current(void);
bool sched_in_task(void);
bool sched_stopping(void);
enum sched_backend sched_backend(void);

/* After a run (fibers): hash of the event trace and number of switches. */
uint64_t sched_trace_hash(void);
uint64_t sched_nr_switches(void);
uint64_t sched_nr_points(void);
/* Threads backend: OS threads in the pool (0 before the first run). */
int sched_thread_pool_size(void);
/* Under TSan: fibers created for tasks so far, both backends (0 otherwise). */
unsigned long sched_tsan_fibers_created(void);

/* Optional observer of every schedule point (for --trace; NULL = none). */
typedef void (*sched_trace_fn)(const struct task *t, enum sched_point_kind kind,
			       const void *obj);
void sched_set_trace_hook(sched_trace_fn fn);

/*
 * Optional namers of a livelock's or a deadlock's cause, asked when one is
 * reported: a short phrase that goes into the title (and so the signature),
 * or NULL.  Lets a known kind be told from the rest (fuzzers/known.supp).
 * The deadlock namer is called with ilock held.
 */
typedef const char *(*sched_cause_fn)(void);
/* Each returns the namer it replaces. */
sched_cause_fn sched_set_livelock_cause(sched_cause_fn fn);
sched_cause_fn sched_set_deadlock_cause(sched_cause_fn fn);

#endif
