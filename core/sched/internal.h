/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_SCHED_INTERNAL_H
#define _BINDRACE_SCHED_INTERNAL_H

/* Shared between the common part of the task layer and its two backends. */

#include "task.h"

struct sched_backend_ops {
	const char *name;
	void (*lock)(void);
	void (*unlock)(void);
	/* ilock held: @t was just created and is runnable. */
	void (*start)(struct task *t);
	/* ilock held: current blocked; return once woken. */
	void (*wait)(struct task *t);
	/* ilock held: @t became runnable. */
	void (*wake)(struct task *t);
	/* A schedule point in @t (no lock held). */
	void (*point)(struct task *t, enum sched_point_kind kind);
	/* Run @init and wait until the run is over (called from main). */
	void (*run)(struct task *init);
};

extern const struct sched_backend_ops sched_fiber_ops;
extern const struct sched_backend_ops sched_thread_ops;

struct sched_state {
	struct sched_opts opts;
	const struct sched_backend_ops *ops;
	bool running;
	struct list_head tasks;
	int next_id;
	int nr_running;		/* tasks not blocked and not exited */
	int nr_alive;		/* tasks not exited */
	uint64_t clock_ns;
	bool stopping;
	bool deadlocked;	/* or livelocked: the run was cancelled */
	size_t choice_pos;
	uint64_t rng;
	bool fair;		/* past the point budget: random choices only */
	int countdown;
	uint64_t hash;
	uint64_t nr_switches;
	uint64_t nr_points;
	uint32_t run_done;
};

extern struct sched_state sched;

/* Fibers: the point budget ran out; report and cancel every task. */
void sched_livelock(struct task *t);
/* Threads: the run took @ms of wall-clock time; the same, from outside. */
void sched_livelock_wall(unsigned int ms);
void sched_clock_tick(uint64_t ns);
/*
 * Where time passes while tasks run (fibers: the livelock check's random
 * phase; threads: always): 1 ms per this many schedule points.
 */
#define SCHED_TICK_POINTS	256
#define SCHED_TICK_NS		1000000

/* Common entry of every task, on its own stack or thread. */
void sched_task_main(struct task *t);
/* ilock held: @t has finished; does the accounting. */
void sched_task_finish(struct task *t);
/* Consume one choice in [0, bound); @fallback when nothing is left. */
uint32_t sched_choice(uint32_t bound, uint32_t fallback);
void sched_hash(uint32_t v);

/* Task stacks and switches, both backends (stack.c). */
#if defined(BINDRACE_ASAN) || defined(BINDRACE_TSAN)
#define TASK_STACK_SIZE		(1024 * 1024)
#else
#define TASK_STACK_SIZE		(256 * 1024)
#endif

/* Where a switch goes: a task's stack, or a thread's own. */
struct switch_target {
	struct br_ctx *ctx;
	void *tsan_fiber;
	const void *bottom;	/* ASan: the stack's lowest address and size */
	size_t size;
};

/* Map (or reuse) @t's stack and prepare it to start at @entry. */
void task_stack_init(struct task *t, void (*entry)(void));
void switch_target_task(struct switch_target *to, struct task *t);
/* The calling OS thread's own stack, resumed at @ctx. */
void switch_target_self(struct switch_target *to, struct br_ctx *ctx);
/* First thing on a new task's stack. */
void task_entered(struct task *t);
/* Last thing on @t's stack before its final switch. */
void task_stack_exit(struct task *t);
/* Once nothing runs on @t's stack any more: give it back. */
void task_stack_reap(struct task *t);
/* Save the running context in @from and resume @to; @exiting: for good. */
void task_switch(struct br_ctx *from, const struct switch_target *to, bool exiting);

/* TSan fibers for tasks, reused only in a later run (tsan_fiber.c). */
#ifdef BINDRACE_TSAN
void *task_fiber_get(void);
void task_fiber_put(void *fiber);
#endif

#endif
