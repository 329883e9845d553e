// SPDX-License-Identifier: MIT
/*
 * Fiber backend: all tasks on the calling OS thread.  A switch happens only
 * at a schedule point or when the running task blocks; the choice source
 * decides when and to whom.  Switches are hidden from TSan (no_sync), and
 * ASan is told about every stack change.
 */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <bindrace/report.h>
#include "internal.h"
#include "san.h"

#if defined(BINDRACE_ASAN) || defined(BINDRACE_TSAN)
#define FIBER_STACK_SIZE	(1024 * 1024)
#else
#define FIBER_STACK_SIZE	(256 * 1024)
#endif
#define GUARD_SIZE		4096
#define EXIT_FRAMES_MARGIN	(16 * 1024)
#define STACK_POOL_MAX		64

static LIST_HEAD(rq);
static int rq_len;
static struct task main_task;		/* the caller of sched_run */
static struct task *zombie;		/* exited, its stack still in use */
static void *stack_pool[STACK_POOL_MAX];
static int stack_pool_len;
#ifdef BINDRACE_ASAN
static __thread void *main_stack_bottom;
static __thread size_t main_stack_size;
#endif

static void fiber_lock(void)
{
}

static void fiber_unlock(void)
{
}

static void *stack_get(void)
{
	void *base;

	if (stack_pool_len) {
		base = stack_pool[--stack_pool_len];
		return base;
	}
	base = mmap(NULL, FIBER_STACK_SIZE + GUARD_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		bindrace_fatal("cannot map a fiber stack");
	mprotect(base, GUARD_SIZE, PROT_NONE);
	return base;
}

static void stack_put(void *base)
{
	if (stack_pool_len < STACK_POOL_MAX) {
		stack_pool[stack_pool_len++] = base;
		return;
	}
	munmap(base, FIBER_STACK_SIZE + GUARD_SIZE);
}

static void reap_zombie(void)
{
	struct task *t = zombie;

	if (!t)
		return;
	zombie = NULL;
#ifdef BINDRACE_ASAN
	/*
	 * Frames that returned cleared their redzones; only those still live
	 * when the task switched away for good (see fiber_trampoline) did not.
	 * Clearing just that part, not the whole stack's shadow, saves most of
	 * a task's cost under ASan.
	 */
	__asan_unpoison_memory_region(t->stack_low,
				      (char *)t->stack + GUARD_SIZE + FIBER_STACK_SIZE -
				      (char *)t->stack_low);
#endif
	stack_put(t->stack);
	t->stack = NULL;
#ifdef BINDRACE_TSAN
	task_fiber_put(t->tsan_fiber);
	t->tsan_fiber = NULL;
#endif
}

static void fiber_switch(struct task *prev, struct task *next, bool exiting)
{
#ifdef BINDRACE_ASAN
	void *fake_stack = NULL;
	const void *bottom = next == &main_task ? main_stack_bottom :
			     (char *)next->stack + GUARD_SIZE;
	size_t size = next == &main_task ? main_stack_size : FIBER_STACK_SIZE;
#endif

	sched.nr_switches++;
	sched_hash(0xff000000u | (uint32_t)next->id);
	current = next == &main_task ? NULL : next;
#ifdef BINDRACE_ASAN
	__sanitizer_start_switch_fiber(exiting ? NULL : &fake_stack, bottom, size);
#endif
#ifdef BINDRACE_TSAN
	__tsan_switch_to_fiber(next->tsan_fiber, __tsan_switch_to_fiber_no_sync);
#endif
	br_ctx_switch(&prev->ctx, &next->ctx);
	/* Resumed: prev is running again. */
#ifdef BINDRACE_ASAN
	__sanitizer_finish_switch_fiber(fake_stack, NULL, NULL);
#endif
	(void)exiting;
	current = prev == &main_task ? NULL : prev;
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

#ifdef BINDRACE_ASAN
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
	reap_zombie();
	/* Stack memory may have served an earlier task. */
	tsan_acquire(t->stack);
	sched_task_main(t);
	/* ilock "held"; the task is accounted as exited. */
	tsan_release(t->stack);
#ifdef BINDRACE_ASAN
	/* The final switch's frames lie below this one: leave a margin. */
	t->stack_low = (char *)__builtin_frame_address(0) - EXIT_FRAMES_MARGIN;
	if (t->stack_low < (char *)t->stack + GUARD_SIZE)
		t->stack_low = (char *)t->stack + GUARD_SIZE;
#endif
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
	t->stack = stack_get();
	t->stack_size = FIBER_STACK_SIZE;
	br_ctx_init(&t->ctx, (char *)t->stack + GUARD_SIZE, FIBER_STACK_SIZE,
		    fiber_trampoline);
#ifdef BINDRACE_TSAN
	t->tsan_fiber = task_fiber_get();
	__tsan_set_fiber_name(t->tsan_fiber, t->name);
#endif
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
#ifdef BINDRACE_ASAN
	/* For the main thread glibc parses /proc/self/maps: once is enough. */
	static __thread bool have_stack;

	if (!have_stack) {
		pthread_attr_t attr;

		pthread_getattr_np(pthread_self(), &attr);
		pthread_attr_getstack(&attr, &main_stack_bottom, &main_stack_size);
		pthread_attr_destroy(&attr);
		have_stack = true;
	}
#endif
#ifdef BINDRACE_TSAN
	main_task.tsan_fiber = __tsan_get_current_fiber();
#endif
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
