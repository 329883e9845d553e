// SPDX-License-Identifier: MIT
/*
 * Thread backend: every task runs on a real pthread taken from a pool that
 * lives across runs (created lazily, so an AFL++ fork server never forks
 * with threads alive).  Blocking parks the thread on a raw futex, which
 * TSan does not observe; the internal lock is a futex mutex built from
 * uninstrumented atomics for the same reason.  Each task gets its own TSan
 * fiber, so two tasks that happen to share a pool thread are still two
 * threads to TSan.
 */

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bindrace/report.h>
#include "internal.h"
#include "rawlock.h"
#include "san.h"

struct pool_thread {
	pthread_t th;
	uint32_t go;
	struct task *task;
	struct list_head node;
	void *own_fiber;
};

static uint32_t ilock_word;
static LIST_HEAD(idle_pool);
static int pool_size;

static long futex(uint32_t *uaddr, int op, uint32_t val,
		  const struct timespec *timeout)
{
	return syscall(SYS_futex, uaddr, op, val, timeout, NULL, 0);
}

static void futex_wake(uint32_t *uaddr)
{
	futex(uaddr, FUTEX_WAKE_PRIVATE, 1, NULL);
}

static void thread_lock(void)
{
	raw_mutex_lock(&ilock_word);
}

static void thread_unlock(void)
{
	raw_mutex_unlock(&ilock_word);
}

/*
 * The wait word: 0 waiting (spinning), 1 woken, 2 asleep in the kernel.
 * Spin first: a futex wake-up costs tens of us in a VM, and the waker
 * skips the syscall while the waiter still spins.  Briefly on the CPU,
 * then giving it up with sched_yield(): tasks outnumber the cores, and
 * the waker is often waiting for this core.  A long pause loop (400,
 * the first version) kept it from running (README, design decisions).
 */
#define SPIN_LOOPS	50
#define YIELD_LOOPS	100

/* Sleep on @word for at most @timeout (NULL: no limit); false if it ran out. */
static bool wait_word_timed(uint32_t *word, const struct timespec *timeout)
{
	uint32_t expect;

	for (int i = 0; i < SPIN_LOOPS + YIELD_LOOPS; i++) {
		if (__atomic_load_n(word, __ATOMIC_ACQUIRE) == 1)
			return true;
		if (i < SPIN_LOOPS)
			cpu_relax();
		else
			sched_yield();
	}
	for (;;) {
		expect = 0;
		if (!__atomic_compare_exchange_n(word, &expect, 2, false,
						 __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE) &&
		    expect == 1)
			return true;
		if (futex(word, FUTEX_WAIT_PRIVATE, 2, timeout) < 0 && errno == ETIMEDOUT)
			return __atomic_load_n(word, __ATOMIC_ACQUIRE) == 1;
		if (__atomic_load_n(word, __ATOMIC_ACQUIRE) == 1)
			return true;
	}
}

static void wait_word(uint32_t *word)
{
	wait_word_timed(word, NULL);
}

static void wake_word(uint32_t *word)
{
	if (__atomic_exchange_n(word, 1, __ATOMIC_RELEASE) == 2)
		futex_wake(word);
}

static void run_task_on(struct pool_thread *p, struct task *t)
{
	void *fiber __attribute__((unused)) = t->tsan_fiber;

	current = t;
	/*
	 * The task's TSan fiber runs on this thread's stack, which the
	 * thread and earlier tasks used: order those uses before this one.
	 */
	tsan_release(p);
#ifdef BINDRACE_TSAN
	__tsan_switch_to_fiber(fiber, __tsan_switch_to_fiber_no_sync);
#endif
	tsan_acquire(p);
	sched_task_main(t);
	/* ilock held; the task is accounted as exited. */
	tsan_release(p);
	p->task = NULL;
	list_add(&p->node, &idle_pool);
	if (sched.nr_alive == 0)
		wake_word(&sched.run_done);
	/* After this unlock the run may end and free t. */
	thread_unlock();
#ifdef BINDRACE_TSAN
	__tsan_switch_to_fiber(p->own_fiber, __tsan_switch_to_fiber_no_sync);
	task_fiber_put(fiber);
#endif
	tsan_acquire(p);
	current = NULL;
}

static void *pool_main(void *arg)
{
	struct pool_thread *p = arg;

#ifdef BINDRACE_TSAN
	p->own_fiber = __tsan_get_current_fiber();
#endif
	for (;;) {
		wait_word(&p->go);
		__atomic_store_n(&p->go, 0, __ATOMIC_RELAXED);
		run_task_on(p, p->task);
	}
	return NULL;
}

static void thread_start(struct task *t)
{
	struct pool_thread *p;

#ifdef BINDRACE_TSAN
	t->tsan_fiber = task_fiber_get();
	__tsan_set_fiber_name(t->tsan_fiber, t->name);
#endif
	if (!list_empty(&idle_pool)) {
		p = list_first_entry(&idle_pool, struct pool_thread, node);
		list_del_init(&p->node);
	} else {
		p = calloc(1, sizeof(*p));
		if (!p)
			bindrace_fatal("threads: out of memory");
		INIT_LIST_HEAD(&p->node);
		if (pthread_create(&p->th, NULL, pool_main, p))
			bindrace_fatal("threads: pthread_create failed (pool of %d)", pool_size);
		pthread_detach(p->th);
		pool_size++;
	}
	p->task = t;
	wake_word(&p->go);
}

static void thread_wait(struct task *t)
{
	if (__atomic_load_n(&t->futex, __ATOMIC_ACQUIRE) == 1)
		return;
	thread_unlock();
	wait_word(&t->futex);
	thread_lock();
}

static void thread_wake(struct task *t)
{
	wake_word(&t->futex);
}

static void thread_point(struct task *t, enum sched_point_kind kind)
{
	(void)kind;

	/* The run was cancelled (the wall-clock limit): leave at this point. */
	if (__atomic_load_n(&t->cancelled, __ATOMIC_RELAXED))
		longjmp(t->cancel_env, 1);

	/*
	 * Time passes while tasks run.  The clock otherwise jumps only when
	 * every task is blocked, and a task spinning until a sleeper wakes
	 * (device_links_unbind_consumers() on a consumer that probes through
	 * bind_store) spun forever: fuzz_bind_threads hung in a campaign.
	 */
	if (!(++t->nr_points % SCHED_TICK_POINTS)) {
		sched_ilock();
		sched_clock_tick(SCHED_TICK_NS);
		sched_iunlock();
	}

	/* Stress mode: with a seed, perturb timing now and then. */
	if (sched.opts.seed) {
		uint32_t x = (uint32_t)t->choice_countdown * 1103515245u + 12345u;

		t->choice_countdown = (int)x;
		if ((x >> 16) % 8 == 0)
			sched_yield();
	}
}

/*
 * Wait for the run to end, but not past @ms: threads have no point
 * budget, and a run that loops would otherwise hang the fuzzer with no
 * artifact (libFuzzer's -timeout did not fire under TSan).  Past the
 * limit the run is reported as a livelock and cancelled; tasks leave at
 * their next schedule point.  One that never reaches one is fatal.
 */
static void wait_run_limited(unsigned int ms)
{
	struct timespec limit = { ms / 1000, (long)(ms % 1000) * 1000000 };

	if (wait_word_timed(&sched.run_done, &limit))
		return;
	sched_livelock_wall(ms);
	if (!wait_word_timed(&sched.run_done, &limit))
		bindrace_fatal("threads: the run did not end %u ms after it was cancelled",
			       ms);
}

static void thread_run(struct task *init)
{
	thread_lock();
	thread_start(init);
	thread_unlock();
	if (sched.opts.wall_limit_ms)
		wait_run_limited(sched.opts.wall_limit_ms);
	else
		wait_word(&sched.run_done);
	/* The last task has released ilock; take and drop it to be sure. */
	thread_lock();
	thread_unlock();
}

int sched_thread_pool_size(void)
{
	return pool_size;
}

const struct sched_backend_ops sched_thread_ops = {
	.name = "threads",
	.lock = thread_lock,
	.unlock = thread_unlock,
	.start = thread_start,
	.wait = thread_wait,
	.wake = thread_wake,
	.point = thread_point,
	.run = thread_run,
};
