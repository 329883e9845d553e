// SPDX-License-Identifier: MIT
/*
 * TSan fibers for tasks, kept for later runs (both backends give every
 * task a fiber of its own).
 *
 * Creating and destroying one per task mapped and unmapped TSan's thread
 * state each time: a sixth of fuzz_bind's time under fuzz-tsan.  And
 * clang 14's TSan keeps part of every fiber's state after
 * __tsan_destroy_fiber: a fresh fiber per task made fuzz_bind_threads
 * grow by ~6 KB a run until libFuzzer's RSS limit killed it (the
 * 2026-12-01 campaign).
 *
 * A fiber is reused only in a later run: within a run it would carry its
 * last task's history into the next task and order accesses that race.
 * The cache's raw_mutex is uninstrumented, so it orders nothing for TSan.
 */

#include "internal.h"
#include "rawlock.h"
#include "san.h"

#ifdef BINDRACE_TSAN
#define FIBER_CACHE_MAX	256

struct cached_fiber {
	void *fiber;
	uint64_t run;	/* the run that released it */
};

static struct cached_fiber fiber_cache[FIBER_CACHE_MAX];
static int nr_fiber_cache;
static uint32_t fiber_cache_lock;
static unsigned long nr_fibers_created;

void *task_fiber_get(void)
{
	uint64_t run = sched_run_id();
	void *fiber = NULL;

	raw_mutex_lock(&fiber_cache_lock);
	for (int i = 0; i < nr_fiber_cache; i++) {
		if (fiber_cache[i].run < run) {
			fiber = fiber_cache[i].fiber;
			fiber_cache[i] = fiber_cache[--nr_fiber_cache];
			break;
		}
	}
	if (!fiber) {
		fiber = __tsan_create_fiber(0);
		__atomic_add_fetch(&nr_fibers_created, 1, __ATOMIC_RELAXED);
	}
	raw_mutex_unlock(&fiber_cache_lock);
	return fiber;
}

/* Once nothing runs on @fiber any more. */
void task_fiber_put(void *fiber)
{
	bool kept = false;

	raw_mutex_lock(&fiber_cache_lock);
	if (nr_fiber_cache < FIBER_CACHE_MAX) {
		fiber_cache[nr_fiber_cache].fiber = fiber;
		fiber_cache[nr_fiber_cache].run = sched_run_id();
		nr_fiber_cache++;
		kept = true;
	}
	raw_mutex_unlock(&fiber_cache_lock);
	if (!kept)
		__tsan_destroy_fiber(fiber);
}

unsigned long sched_tsan_fibers_created(void)
{
	return __atomic_load_n(&nr_fibers_created, __ATOMIC_RELAXED);
}
#else
unsigned long sched_tsan_fibers_created(void)
{
	return 0;
}
#endif
