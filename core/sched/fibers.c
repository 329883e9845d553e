// SPDX-License-Identifier: MIT
/*
 * Fiber backend: all tasks on the calling OS thread.  A switch happens only
 * at a schedule point or when the running task blocks; the choice source
 * decides when and to whom.  Switches are hidden from TSan (no_sync), and
 * ASan is told about every stack change.
 */

#include <stdio.h>
#include <stdlib.h>

#include <bindrace/report.h>
#include "internal.h"
#include "san.h"

static LIST_HEAD(rq);
static int rq_len;
static struct task main_task;		/* the caller of sched_run */
static struct task *zombie;		/* exited, its stack still in use */
static struct switch_target main_target;	/* main_task's stack */

static void fiber_lock(void)
{
}

static void fiber_unlock(void)
{
}

static void reap_zombie(void)
{
	struct task *t = zombie;

	if (!t)
		return;
	zombie = NULL;
	task_stack_reap(t);
}

static void fiber_switch(struct task *prev, struct task *next, bool exiting)
{
	struct switch_target to = main_target;

	sched.nr_switches++;
	sched_hash(0xff000000u | (uint32_t)next->id);
	sched_current_set(next == &main_task ? NULL : next);
	if (next != &main_task)
		switch_target_task(&to, next);
	task_switch(&prev->ctx, &to, exiting);
	sched_current_set(prev == &main_task ? NULL : prev);
	reap_zombie();
}

static struct task *rq_take(uint32_t idx)
{
	struct task *t;

	list_for_each_entry(t, &rq, rq_node) {
		if (idx-- == 0) {
			list_del_init(&t->rq_node);
			rq_len--;
			return t;
		}
	}
	return NULL;
}

static void rq_add(struct task *t)
{
	list_add_tail(&t->rq_node, &rq);
	rq_len++;
}

static void fiber_trampoline(void)
{
	struct task *t = current;

	task_entered(t);
	reap_zombie();
	sched_task_main(t);
	/* ilock "held"; the task is accounted as exited. */
	task_stack_exit(t);
	zombie = t;
	if (rq_len) {
		fiber_switch(t, rq_take(sched_choice(rq_len, 0)), true);
	} else {
		if (sched.nr_alive)
			bindrace_fatal("fibers: task %s exits with nothing runnable", t->name);
		fiber_switch(t, &main_task, true);
	}
	bindrace_fatal("fibers: exited task %s resumed", t->name);
}

static void fiber_start(struct task *t)
{
	task_stack_init(t, fiber_trampoline);
	rq_add(t);
}

static void fiber_wait(struct task *t)
{
	struct task *next;

	if (!rq_len)
		bindrace_fatal("fibers: %s blocks with nothing runnable", t->name);
	next = rq_take(sched_choice(rq_len, 0));
	if (next == t)
		return;
	fiber_switch(t, next, false);
}

static void fiber_wake(struct task *t)
{
	rq_add(t);
}

static void fiber_point(struct task *t, enum sched_point_kind kind)
{
	uint32_t idx;

	/* A cancelled task that never blocks leaves at its next point. */
	if (t->cancelled)
		longjmp(t->cancel_env, 1);
	sched.nr_points++;
	sched_hash(((uint32_t)t->id << 8) | kind);
	if (sched.opts.max_points && sched.nr_points > sched.opts.max_points) {
		/*
		 * The input's choices (or round-robin) can keep two retrying
		 * tasks in lock-step forever, which real timing would break.
		 * Before calling it a livelock, run as long again on random
		 * choices seeded from the trace so far (still deterministic).
		 */
		if (!sched.fair) {
			sched.fair = true;
			sched.rng = sched.hash;
			sched.opts.max_points *= 2;
		} else {
			sched_livelock(t);
		}
	}
	/* In that phase time passes too (SCHED_TICK_POINTS). */
	if (sched.fair && !(sched.nr_points % SCHED_TICK_POINTS))
		sched_clock_tick(SCHED_TICK_NS);
	if (!rq_len)
		return;
	if (sched.countdown > 0) {
		sched.countdown--;
		return;
	}
	sched.countdown = (int)sched_choice(sched.opts.max_run, sched.opts.max_run / 2);
	idx = sched_choice(rq_len + 1, 1);
	if (idx == 0)
		return;
	struct task *next = rq_take(idx - 1);

	rq_add(t);
	fiber_switch(t, next, false);
}

static void fiber_run(struct task *init)
{
	switch_target_self(&main_target, &main_task.ctx);
	main_task.id = -1;
	INIT_LIST_HEAD(&rq);
	rq_len = 0;
	fiber_start(init);
	fiber_switch(&main_task, rq_take(0), false);
	if (rq_len)
		bindrace_fatal("fibers: run ended with %d runnable tasks", rq_len);
}

const struct sched_backend_ops sched_fiber_ops = {
	.name = "fibers",
	.lock = fiber_lock,
	.unlock = fiber_unlock,
	.start = fiber_start,
	.wait = fiber_wait,
	.wake = fiber_wake,
	.point = fiber_point,
	.run = fiber_run,
};
