// SPDX-License-Identifier: MIT
/*
 * Thread backend: real parallelism on a pool of OS threads, one per core
 * (at least two), created lazily on the first run (so an AFL++ fork
 * server never forks with threads alive) and kept across runs.
 *
 * Tasks live on stacks of their own and the pool threads take them from
 * one run queue.  A task that blocks switches in user space to the next
 * runnable task on the same OS thread; a pool thread sleeps on a raw
 * futex only when nothing is runnable.  A task may so resume on another
 * OS thread than the one it blocked on.  The first version gave every
 * task an OS thread of its own, and every block and wake-up was a kernel
 * hand-off: over half of fuzz_bind_threads' time was the kernel's
 * (README, design decisions).
 *
 * TSan sees neither the futex nor the switches (the internal lock is a
 * futex mutex of uninstrumented atomics).  Each task has a TSan fiber of
 * its own, so tasks are threads to TSan whichever OS thread runs them, and
 * only the model's own synchronization orders their accesses.
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

#define POOL_MIN	2
#define POOL_MAX	SCHED_MAX_THREADS

/*
 * A running task gives way to a runnable one every this many of its
 * schedule points, as a time slice ends: a task spinning until another
 * acts would otherwise keep its OS thread while that one waits.
 */
#define SLICE_POINTS	16

/* task->park: where a blocked task stands (ilock held to change it). */
enum {
	PARK_NONE,	/* blocking, still on its OS thread */
	PARK_WOKEN,	/* woken before it switched away: stays */
	PARK_PARKED,	/* switched away; a wake-up queues it */
};

struct cpu {
	uint32_t go;		/* wait word: 1 once kicked */
	struct list_head idle_node;
	struct br_ctx ctx;	/* the thread's own loop */
	struct switch_target self;	/* its stack, to switch back to */
	struct task *zombie;	/* exited, its stack still in use */
};

static uint32_t ilock_word;
static LIST_HEAD(rq);
static int rq_len;
static LIST_HEAD(idle_cpus);
static struct cpu *cpus;
static int nr_cpus;
static __thread struct cpu *this_cpu_slot;

/* Read afresh after every switch, as current is (task.h). */
__attribute__((__noinline__)) static struct cpu *this_cpu(void)
{
	__asm__ volatile("");
	return this_cpu_slot;
}

static long futex(uint32_t *uaddr, int op, uint32_t val,
		  const struct timespec *timeout)
{
	return syscall(SYS_futex, uaddr, op, val, timeout, NULL, 0);
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
 * Spin first: a futex wake-up costs tens of us in a VM (an idle virtual
 * CPU halts, and waking it is slow), and the waker skips the syscall
 * while the waiter still spins.  Briefly on the CPU, then giving it up
 * with sched_yield(): threads outnumber the cores (sched_run()'s caller
 * waits here too), and the waker may be waiting for this core.  1,000
 * yields, not 100: only idle pool threads and the caller wait here now,
 * and waking them from the futex was most of the gap (README).
 */
#define SPIN_LOOPS	50
#define YIELD_LOOPS	1000

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

static void wake_word(uint32_t *word)
{
	if (__atomic_exchange_n(word, 1, __ATOMIC_RELEASE) == 2)
		futex(word, FUTEX_WAKE_PRIVATE, 1, NULL);
}

/* ilock held.  rq_len is also read unlocked, as a hint (thread_point). */
static void rq_queue(struct task *t)
{
	list_add_tail(&t->rq_node, &rq);
	__atomic_store_n(&rq_len, rq_len + 1, __ATOMIC_RELAXED);
}

/* ilock held.  Queue @t and wake an idle pool thread for it. */
static void rq_add(struct task *t)
{
	struct cpu *c;

	rq_queue(t);
	if (list_empty(&idle_cpus))
		return;
	c = list_first_entry(&idle_cpus, struct cpu, idle_node);
	list_del_init(&c->idle_node);
	wake_word(&c->go);
}

/* ilock held.  The next runnable task, or NULL. */
static struct task *rq_take(void)
{
	struct task *t;

	if (list_empty(&rq))
		return NULL;
	t = list_first_entry(&rq, struct task, rq_node);
	list_del_init(&t->rq_node);
	__atomic_store_n(&rq_len, rq_len - 1, __ATOMIC_RELAXED);
	return t;
}

/* ilock held.  Free the stack of the task that exited on this thread. */
static void reap_zombie(struct cpu *c)
{
	struct task *t = c->zombie;

	if (!t)
		return;
	c->zombie = NULL;
	task_stack_reap(t);
}

/*
 * ilock held, and held on return (whoever resumes the caller passes it
 * on).  Leave @from for @next, or for this thread's own loop if NULL.
 */
static void switch_from(struct br_ctx *from, struct task *next, bool exiting)
{
	struct cpu *c = this_cpu();
	struct switch_target to = c->self;

	sched_current_set(next);
	if (next)
		switch_target_task(&to, next);
	task_switch(from, &to, exiting);
	reap_zombie(this_cpu());
}

static void task_entry(void)
{
	struct task *t = current;

	task_entered(t);
	reap_zombie(this_cpu());
	thread_unlock();
	sched_task_main(t);
	/* ilock held; the task is accounted as exited. */
	task_stack_exit(t);
	this_cpu()->zombie = t;
	if (sched.nr_alive == 0)
		wake_word(&sched.run_done);
	switch_from(&t->ctx, rq_take(), true);
	bindrace_fatal("threads: exited task %s resumed", t->name);
}

static void *cpu_main(void *arg)
{
	struct cpu *c = arg;

	this_cpu_slot = c;
	switch_target_self(&c->self, &c->ctx);
	thread_lock();
	for (;;) {
		struct task *t = rq_take();

		if (t) {
			/* Back when a task here blocks or exits with nothing to run. */
			switch_from(&c->ctx, t, false);
			sched_current_set(NULL);
			continue;
		}
		list_add(&c->idle_node, &idle_cpus);
		c->go = 0;
		thread_unlock();
		wait_word_timed(&c->go, NULL);
		thread_lock();
	}
	return NULL;
}

static void pool_create(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	nr_cpus = n < POOL_MIN ? POOL_MIN : n > POOL_MAX ? POOL_MAX : (int)n;
	/* Fewer, for a machine shared with other work or to measure parallelism. */
	if (sched.opts.nr_threads)
		nr_cpus = sched.opts.nr_threads > POOL_MAX ? POOL_MAX : (int)sched.opts.nr_threads;
	cpus = calloc((size_t)nr_cpus, sizeof(*cpus));
	if (!cpus)
		bindrace_fatal("threads: out of memory");
	for (int i = 0; i < nr_cpus; i++) {
		pthread_t th;

		INIT_LIST_HEAD(&cpus[i].idle_node);
		if (pthread_create(&th, NULL, cpu_main, &cpus[i]))
			bindrace_fatal("threads: pthread_create failed (pool of %d)", nr_cpus);
		pthread_detach(th);
	}
}

static void thread_start(struct task *t)
{
	task_stack_init(t, task_entry);
	rq_add(t);
}

static void thread_wait(struct task *t)
{
	if (t->park == PARK_WOKEN)
		return;
	t->park = PARK_PARKED;
	switch_from(&t->ctx, rq_take(), false);
}

static void thread_wake(struct task *t)
{
	if (t->park == PARK_PARKED)
		rq_add(t);
	t->park = PARK_WOKEN;
}

/* Let the next runnable task have this OS thread; @t runs again later. */
static void thread_yield(struct task *t)
{
	struct task *next;

	thread_lock();
	next = rq_take();
	if (next) {
		rq_queue(t);
		switch_from(&t->ctx, next, false);
	}
	thread_unlock();
}

static void thread_point(struct task *t, enum sched_point_kind kind)
{
	bool yield;

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

	if (!__atomic_load_n(&rq_len, __ATOMIC_RELAXED))
		return;
	yield = !(t->nr_points % SLICE_POINTS);
	/* Stress mode: with a seed, give way at random points too. */
	if (sched.opts.seed) {
		uint32_t x = (uint32_t)t->choice_countdown * 1103515245u + 12345u;

		t->choice_countdown = (int)x;
		yield |= (x >> 16) % 8 == 0;
	}
	if (yield)
		thread_yield(t);
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

/* Every pool thread waiting for work, as between runs. */
static bool pool_all_idle(void)
{
	struct cpu *c;
	int n = 0;

	thread_lock();
	list_for_each_entry(c, &idle_cpus, idle_node)
		n++;
	thread_unlock();
	return n == nr_cpus;
}

static void thread_run(struct task *init)
{
	if (!cpus) {
		pool_create();
		/* So that the first run starts as every later one does. */
		while (!pool_all_idle())
			sched_yield();
	}
	thread_lock();
	thread_start(init);
	thread_unlock();
	if (sched.opts.wall_limit_ms)
		wait_run_limited(sched.opts.wall_limit_ms);
	else
		wait_word_timed(&sched.run_done, NULL);
	/* The last task's thread still holds ilock until it reaps the task. */
	thread_lock();
	thread_unlock();
}

int sched_thread_pool_size(void)
{
	return nr_cpus;
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
