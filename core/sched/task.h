/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_SCHED_TASK_H
#define _BINDRACE_SCHED_TASK_H

/*
 * Internal view of the task layer, for the runtime shims in kernel/.
 * Everything here runs under the internal lock (sched_ilock), which TSan
 * does not see; callers annotate the edges the kernel primitive promises.
 */

#include <setjmp.h>
#include <bindrace/sched.h>
#include <linux/list.h>
#include <linux/lockdep.h>

#include "ctx.h"

#define TASK_NAME_LEN	32
#define WAIT_FOREVER	UINT64_MAX

enum task_state {
	TASK_RUNNING,
	TASK_BLOCKED,
	TASK_EXITED,
};

/* What a blocked task waits on; printed by the deadlock report. */
enum wait_kind {
	WAIT_NONE,
	WAIT_MUTEX,
	WAIT_SPIN,
	WAIT_COMPLETION,
	WAIT_EVENT,
	WAIT_FLUSH,
	WAIT_SLEEP,
	WAIT_JOIN,
	WAIT_IDLE,	/* a daemon waiting for work: not a deadlock */
};

typedef void (*wait_describe_fn)(const void *obj, char *buf, size_t len);

#define TF_DAEMON	0x1

struct task {
	int id;
	unsigned int flags;
	char name[TASK_NAME_LEN];
	enum task_state state;
	task_fn_t fn;
	void *arg;
	struct list_head all_node;	/* sched.tasks */
	struct list_head rq_node;	/* fibers run queue */
	struct list_head wait_node;	/* on a sched_waitq */

	enum wait_kind wait_kind;
	const void *wait_obj;
	wait_describe_fn wait_describe;
	uint64_t deadline;
	bool timed_out;
	bool cancelled;
	struct list_head exit_wait;

	/* Kernel-side per-task state. */
	int lockdep_depth;
	int atomic_depth;	/* spinlocks, timer callbacks: no sleeping */
	int async_depth;	/* inside an async entry (current_is_async) */
	void *worker;		/* struct worker, for workqueue workers */

	/* Backend state. */
	void *stack;
	char *stack_low;	/* ASan: lowest frame live at exit */
	void *tsan_fiber;
	int park;		/* threads: PARK_* (threads.c) */
	int choice_countdown;
	unsigned int nr_points;	/* threads: this task's points, for the tick */

	/*
	 * Large scratch, valid only below lockdep_depth or once set up: not
	 * cleared when a task record is reused (see task_alloc()).
	 */
	struct held_lock held_locks[MAX_LOCK_DEPTH];
	jmp_buf cancel_env;
	struct br_ctx ctx;
};

/*
 * The running task of this OS thread.  Thread-backend tasks move between
 * pool threads when they block, so the slot is read afresh at every use:
 * a compiler may keep a TLS address across a call, and the task would
 * read the slot of the thread it left.  On x86-64 one instruction reads
 * it (local-exec TLS: the task layer is linked into executables only);
 * elsewhere an out-of-line call the optimizer cannot see through.
 */
extern __thread struct task *sched_current_task;
#if defined(__x86_64__)
static inline struct task *sched_current_get(void)
{
	struct task *t;

	__asm__ volatile("movq %%fs:sched_current_task@tpoff, %0" : "=r"(t));
	return t;
}

static inline void sched_current_set(struct task *t)
{
	__asm__ volatile("movq %0, %%fs:sched_current_task@tpoff" : : "r"(t) : "memory");
}
#else
struct task *sched_current_get(void);
void sched_current_set(struct task *t);
#endif
#define current	(sched_current_get())

/* The internal lock: real in the threads backend, free in fibers. */
void sched_ilock(void);
void sched_iunlock(void);

/*
 * Block the current task (ilock held, returns with it held).  @wq may be
 * NULL for a pure timed sleep.  Returns true if the deadline passed.
 */
bool sched_block(struct list_head *waiters, enum wait_kind kind, const void *obj,
		 wait_describe_fn describe, uint64_t deadline);
bool sched_wake_one(struct list_head *waiters);
void sched_wake_all(struct list_head *waiters);

/* Bumped by every sched_run(): lets kernel/ notice a new run. */
uint64_t sched_run_id(void);

/* Name of a wait kind, for reports. */
const char *wait_kind_name(enum wait_kind kind);

/* Run-time options of the current run. */
const struct sched_opts *sched_options(void);

#endif
