// SPDX-License-Identifier: MIT
/*
 * Task stacks and the switch onto them, shared by both backends: every
 * task runs on a stack of its own, whether the fiber backend's one OS
 * thread or a thread backend's pool thread runs it, and ASan and TSan are
 * told about every switch.  The stack pool has no lock of its own: the
 * fiber backend is single-threaded, the thread backend calls in with its
 * internal lock held, and the two never run at once.
 */

#include <pthread.h>
#include <sys/mman.h>

#include <bindrace/report.h>
#include "internal.h"
#include "san.h"

#define GUARD_SIZE		4096
#define EXIT_FRAMES_MARGIN	(16 * 1024)
#define STACK_POOL_MAX		64

static void *stack_pool[STACK_POOL_MAX];
static int stack_pool_len;

static void *stack_get(void)
{
	void *base;

	if (stack_pool_len)
		return stack_pool[--stack_pool_len];
	base = mmap(NULL, TASK_STACK_SIZE + GUARD_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		bindrace_fatal("cannot map a task stack");
	mprotect(base, GUARD_SIZE, PROT_NONE);
	return base;
}

static void stack_put(void *base)
{
	if (stack_pool_len < STACK_POOL_MAX) {
		stack_pool[stack_pool_len++] = base;
		return;
	}
	munmap(base, TASK_STACK_SIZE + GUARD_SIZE);
}

static void *task_stack_bottom(const struct task *t)
{
	return (char *)t->stack + GUARD_SIZE;
}

void task_stack_init(struct task *t, void (*entry)(void))
{
	t->stack = stack_get();
	br_ctx_init(&t->ctx, task_stack_bottom(t), TASK_STACK_SIZE, entry);
#ifdef BINDRACE_TSAN
	t->tsan_fiber = task_fiber_get();
	__tsan_set_fiber_name(t->tsan_fiber, t->name);
#endif
}

void task_stack_exit(struct task *t)
{
	/* Stack memory serves a later task next. */
	tsan_release(t->stack);
#ifdef BINDRACE_ASAN
	/* The final switch's frames lie below this one: leave a margin. */
	t->stack_low = (char *)__builtin_frame_address(0) - EXIT_FRAMES_MARGIN;
	if (t->stack_low < (char *)task_stack_bottom(t))
		t->stack_low = task_stack_bottom(t);
#endif
}

void task_stack_reap(struct task *t)
{
#ifdef BINDRACE_ASAN
	/*
	 * Frames that returned cleared their redzones; only those still live
	 * when the task switched away for good (task_stack_exit) did not.
	 * Clearing just that part, not the whole stack's shadow, saves most of
	 * a task's cost under ASan.
	 */
	__asan_unpoison_memory_region(t->stack_low,
				      (char *)task_stack_bottom(t) + TASK_STACK_SIZE -
				      t->stack_low);
#endif
	stack_put(t->stack);
	t->stack = NULL;
#ifdef BINDRACE_TSAN
	task_fiber_put(t->tsan_fiber);
	t->tsan_fiber = NULL;
#endif
}

void task_entered(struct task *t)
{
#ifdef BINDRACE_ASAN
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
	/* Stack memory may have served an earlier task. */
	tsan_acquire(t->stack);
}

void task_switch(struct br_ctx *from, const struct switch_target *to, bool exiting)
{
#ifdef BINDRACE_ASAN
	void *fake_stack = NULL;

	__sanitizer_start_switch_fiber(exiting ? NULL : &fake_stack, to->bottom, to->size);
#endif
#ifdef BINDRACE_TSAN
	__tsan_switch_to_fiber(to->tsan_fiber, __tsan_switch_to_fiber_no_sync);
#endif
	br_ctx_switch(from, to->ctx);
	/* Resumed (on the thread backend, maybe on another OS thread). */
#ifdef BINDRACE_ASAN
	__sanitizer_finish_switch_fiber(fake_stack, NULL, NULL);
#endif
	(void)exiting;
}

void switch_target_self(struct switch_target *to, struct br_ctx *ctx)
{
	*to = (struct switch_target){ .ctx = ctx };
#ifdef BINDRACE_ASAN
	{
		/* For the main thread glibc parses /proc/self/maps: once is enough. */
		static __thread void *bottom;
		static __thread size_t size;

		if (!bottom) {
			pthread_attr_t attr;

			pthread_getattr_np(pthread_self(), &attr);
			pthread_attr_getstack(&attr, &bottom, &size);
			pthread_attr_destroy(&attr);
		}
		to->bottom = bottom;
		to->size = size;
	}
#endif
#ifdef BINDRACE_TSAN
	to->tsan_fiber = __tsan_get_current_fiber();
#endif
}

void switch_target_task(struct switch_target *to, struct task *t)
{
	to->ctx = &t->ctx;
	to->tsan_fiber = t->tsan_fiber;
	to->bottom = task_stack_bottom(t);
	to->size = TASK_STACK_SIZE;
}
