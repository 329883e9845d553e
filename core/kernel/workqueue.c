// SPDX-License-Identifier: MIT
/*
 * Workqueues.  One FIFO of pending items serves every queue; workers are
 * daemon tasks spawned on demand, so a queue_work() always finds either an
 * idle worker it can hand the item to or a fresh one (up to the cap).
 * As in the kernel, bound and WQ_UNBOUND queues have separate worker
 * pools: with one shared pool, items blocked waiting for async entries
 * could hold every worker while the entries (unbound) never ran.  The
 * kernel creates workers without a cap; a deadlock with a pool at the
 * model's cap is named as such (workqueue_deadlock_cause()).
 * Lockdep sees "wq" and "work" pseudo-locks around each work function,
 * and flush_work()/flush_workqueue() acquire them, so "holding L while
 * flushing work that takes L" is reported as an inversion.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bindrace/report.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include "../sched/san.h"
#include "../sched/task.h"

struct worker_pool {
	int nr_workers, nr_idle;
	struct list_head idle_wait;
};

struct workqueue_struct {
	char name[32];
	unsigned int flags;
	struct worker_pool *pool;
	int max_active;
	int nr_active;
	int nr_pending;
	struct lockdep_map lockdep_map;
	struct list_head list;		/* all_wqs */
};

struct worker {
	struct task *task;
	struct worker_pool *pool;
	struct work_struct *current_work;
	work_func_t current_func;
	unsigned long long current_seq;
	struct workqueue_struct *current_wq;
	struct list_head node;		/* busy_workers */
	struct list_head all_node;	/* all_workers, until it exits */
};

static LIST_HEAD(worklist);
static LIST_HEAD(flush_wait);
static LIST_HEAD(busy_workers);
static LIST_HEAD(all_wqs);
/* Workers of a cancelled run never exit: their records are freed later. */
static LIST_HEAD(all_workers);
static unsigned long long work_seq;
static struct worker_pool bound_pool, unbound_pool;
static uint64_t pool_run;

struct workqueue_struct *system_wq;
struct workqueue_struct *system_unbound_wq;
struct workqueue_struct *system_long_wq;

static void flush_describe(const void *obj, char *buf, size_t len)
{
	snprintf(buf, len, "work/workqueue %p (%d+%d workers, %d+%d idle)", obj,
		 bound_pool.nr_workers, unbound_pool.nr_workers,
		 bound_pool.nr_idle, unbound_pool.nr_idle);
}

/* ilock held: may @pool spawn another worker? */
static bool pool_below_cap(const struct worker_pool *pool)
{
	return pool->nr_workers < (int)sched_options()->max_workers;
}

static void pool_init(struct worker_pool *pool)
{
	pool->nr_workers = 0;
	pool->nr_idle = 0;
	INIT_LIST_HEAD(&pool->idle_wait);
}

/*
 * Worker records are kept for later spawns: every run starts the
 * header's workers afresh, and under ASan each malloc() is filled,
 * unwound and quarantined (scripts/bench-mallocs).  ilock held.
 */
#define WORKER_CACHE_MAX	64
static struct worker *worker_cache[WORKER_CACHE_MAX];
static int nr_worker_cache;

static void worker_free(struct worker *w)
{
	if (nr_worker_cache < WORKER_CACHE_MAX)
		worker_cache[nr_worker_cache++] = w;
	else
		free(w);
}

static void free_stale_workers(void)
{
	struct worker *w, *n;

	list_for_each_entry_safe(w, n, &all_workers, all_node) {
		list_del(&w->all_node);
		worker_free(w);
	}
}

/* ilock held: forget the previous run's pool. */
static void pool_check_run(void)
{
	if (pool_run == sched_run_id())
		return;
	free_stale_workers();
	pool_run = sched_run_id();
	pool_init(&bound_pool);
	pool_init(&unbound_pool);
	INIT_LIST_HEAD(&flush_wait);
	INIT_LIST_HEAD(&busy_workers);
}

/* ilock held: is a worker running this very item (same function)? */
static bool work_running(struct work_struct *work)
{
	struct worker *w;

	list_for_each_entry(w, &busy_workers, node)
		if (w->current_work == work && w->current_func == work->func)
			return true;
	return false;
}

/*
 * Work items are non-reentrant (kernel/workqueue.c since v3.7): one
 * queued while it runs waits for that run to end, and the worker running
 * it takes it next.  Running both at once let deferred_probe_work_func
 * race itself into a livelock that the kernel cannot have.
 */
static struct work_struct *first_runnable(struct worker_pool *pool)
{
	struct work_struct *w;

	list_for_each_entry(w, &worklist, entry)
		if (w->wq->pool == pool && w->wq->nr_active < w->wq->max_active &&
		    !work_running(w))
			return w;
	return NULL;
}

static void worker_thread(void *arg)
{
	struct worker *self = arg;

	self->task = current;
	current->worker = self;
	sched_ilock();
	for (;;) {
		struct work_struct *w = first_runnable(self->pool);
		struct workqueue_struct *wq;
		struct lockdep_map map;
		work_func_t fn;

		if (!w) {
			if (sched_stopping())
				break;
			self->pool->nr_idle++;
			sched_block(&self->pool->idle_wait, WAIT_IDLE, NULL, NULL,
				    WAIT_FOREVER);
			continue;
		}
		list_del_init(&w->entry);
		w->pending = 0;
		wq = w->wq;
		wq->nr_active++;
		wq->nr_pending--;
		fn = w->func;
		self->current_work = w;
		self->current_func = fn;
		self->current_seq = w->seq;
		self->current_wq = wq;
		list_add_tail(&self->node, &busy_workers);
		/* The work may free itself: lockdep keeps a copy, as the kernel does. */
		map = w->lockdep_map;
		sched_iunlock();

		tsan_acquire(w);
		lock_map_acquire(&wq->lockdep_map);
		lock_map_acquire(&map);
		fn(w);
		lock_map_release(&map);
		lock_map_release(&wq->lockdep_map);
		tsan_release(wq);

		sched_ilock();
		list_del_init(&self->node);
		self->current_work = NULL;
		self->current_func = NULL;
		self->current_wq = NULL;
		wq->nr_active--;
		sched_wake_all(&flush_wait);
	}
	self->pool->nr_workers--;
	current->worker = NULL;
	list_del(&self->all_node);
	/* Not touched after this: a later spawn may take it at once. */
	worker_free(self);
	sched_iunlock();
}

/* ilock held.  Returns true if a new worker must be spawned. */
static bool __queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	struct worker_pool *pool = wq->pool;

	pool_check_run();
	work->wq = wq;
	work->seq = ++work_seq;
	list_add_tail(&work->entry, &worklist);
	wq->nr_pending++;
	if (pool->nr_idle > 0) {
		pool->nr_idle--;
		sched_wake_one(&pool->idle_wait);
		return false;
	}
	if (pool_below_cap(pool)) {
		pool->nr_workers++;
		return true;
	}
	return false;
}

static void spawn_worker(struct worker_pool *pool)
{
	struct worker *w = NULL;

	sched_ilock();
	if (nr_worker_cache)
		w = worker_cache[--nr_worker_cache];
	sched_iunlock();
	if (w)
		memset(w, 0, sizeof(*w));
	else
		w = calloc(1, sizeof(*w));
	if (!w)
		bindrace_fatal("workqueue: out of memory");
	w->pool = pool;
	INIT_LIST_HEAD(&w->node);
	sched_ilock();
	list_add_tail(&w->all_node, &all_workers);
	sched_iunlock();
	sched_spawn_daemon("kworker", worker_thread, w);
}

/*
 * Start @n idle workers in @wq's pool now (inside a run), so that a
 * schedule has them from the beginning; more are still spawned on demand.
 */
void workqueue_start_workers(struct workqueue_struct *wq, unsigned int n)
{
	struct worker_pool *pool = wq->pool;
	unsigned int spawn = 0;

	sched_ilock();
	pool_check_run();
	while (spawn < n && pool_below_cap(pool)) {
		pool->nr_workers++;
		spawn++;
	}
	sched_iunlock();
	while (spawn--)
		spawn_worker(pool);
}

void __init_work(struct work_struct *work, work_func_t func, const char *name,
		 struct lock_class_key *key)
{
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
	work->pending = 0;
	work->seq = 0;
	work->wq = NULL;
	lockdep_init_map(&work->lockdep_map, name, key);
}

void __init_delayed_work(struct delayed_work *dwork, work_func_t func,
			 const char *name, struct lock_class_key *key)
{
	__init_work(&dwork->work, func, name, key);
	timer_setup(&dwork->timer, NULL, 0);
	dwork->wq = NULL;
}

struct workqueue_struct *__alloc_workqueue(const char *name, unsigned int flags,
					   int max_active, struct lock_class_key *key)
{
	struct workqueue_struct *wq = calloc(1, sizeof(*wq));

	if (!wq)
		return NULL;
	snprintf(wq->name, sizeof(wq->name), "%s", name);
	wq->flags = flags;
	wq->pool = flags & WQ_UNBOUND ? &unbound_pool : &bound_pool;
	wq->max_active = max_active > 0 ? max_active : WQ_DFL_ACTIVE;
	lockdep_init_map(&wq->lockdep_map, wq->name, key);
	sched_ilock();
	list_add_tail(&wq->list, &all_wqs);
	sched_iunlock();
	return wq;
}

/*
 * Mark @work pending; false if it already was.  Returns with ilock held
 * on success.  As pool->lock does in the kernel, queueing sees the
 * completion of earlier items (executions of one item are ordered) and
 * the worker will see everything before the queueing.
 */
static bool claim_pending(struct workqueue_struct *wq, struct work_struct *work)
{
	sched_point(SP_WORK, work);
	tsan_acquire(wq);
	tsan_release(work);
	sched_ilock();
	if (work->pending) {
		sched_iunlock();
		return false;
	}
	work->pending = 1;
	return true;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	bool spawn;

	if (!claim_pending(wq, work))
		return false;
	spawn = __queue_work(wq, work);
	sched_iunlock();
	if (spawn)
		spawn_worker(wq->pool);
	return true;
}

static void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dwork = from_timer(dwork, t, timer);
	bool spawn;

	sched_ilock();
	spawn = __queue_work(dwork->wq, &dwork->work);
	sched_iunlock();
	if (spawn)
		spawn_worker(dwork->wq->pool);
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			unsigned long delay)
{
	struct work_struct *work = &dwork->work;

	if (!delay)
		return queue_work(wq, work);
	if (!claim_pending(wq, work))
		return false;
	dwork->wq = wq;
	sched_iunlock();
	dwork->timer.function = delayed_work_timer_fn;
	mod_timer(&dwork->timer, jiffies + delay);
	return true;
}

/* ilock held: take a pending item off the queue or its timer. */
static bool __cancel(struct delayed_work *dwork, struct work_struct *work)
{
	if (!work->pending)
		return false;
	if (dwork && dwork->timer.pending) {
		list_del_init(&dwork->timer.entry);
		dwork->timer.pending = false;
	} else {
		list_del_init(&work->entry);
		work->wq->nr_pending--;
	}
	work->pending = 0;
	return true;
}

bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
		      unsigned long delay)
{
	bool was;

	sched_ilock();
	was = __cancel(dwork, &dwork->work);
	sched_iunlock();
	queue_delayed_work(wq, dwork, delay);
	return was;
}

bool cancel_delayed_work(struct delayed_work *dwork)
{
	bool was;

	sched_ilock();
	was = __cancel(dwork, &dwork->work);
	sched_iunlock();
	return was;
}

static bool work_busy_upto(struct work_struct *work, unsigned long long target)
{
	struct worker *w;

	if (work->pending && work->seq && work->seq <= target &&
	    !list_empty(&work->entry))
		return true;
	list_for_each_entry(w, &busy_workers, node)
		if (w->current_work == work && w->current_seq <= target)
			return true;
	return false;
}

bool flush_work(struct work_struct *work)
{
	unsigned long long target = 0;
	struct worker *w;

	might_sleep();
	sched_point(SP_FLUSH, work);
	lock_map_wait(&work->lockdep_map, "flush_work");
	sched_ilock();
	pool_check_run();
	if (work->pending && !list_empty(&work->entry))
		target = work->seq;
	list_for_each_entry(w, &busy_workers, node)
		if (w->current_work == work && w->current_seq > target && !work->pending)
			target = w->current_seq;
	if (!target) {
		sched_iunlock();
		return false;
	}
	if (current && current->worker &&
	    ((struct worker *)current->worker)->current_work == work)
		bindrace_report(REPORT_WARN, "WARN in flush_work",
				"task %s flushes the work item it is running\n",
				task_name(current));
	while (work_busy_upto(work, target))
		sched_block(&flush_wait, WAIT_FLUSH, work, flush_describe, WAIT_FOREVER);
	sched_iunlock();
	if (work->wq)
		tsan_acquire(work->wq);
	return true;
}

bool flush_delayed_work(struct delayed_work *dwork)
{
	bool spawn = false;

	sched_ilock();
	if (dwork->timer.pending) {
		list_del_init(&dwork->timer.entry);
		dwork->timer.pending = false;
		spawn = __queue_work(dwork->wq, &dwork->work);
	}
	sched_iunlock();
	if (spawn)
		spawn_worker(dwork->wq->pool);
	return flush_work(&dwork->work);
}

bool cancel_work_sync(struct work_struct *work)
{
	bool was;

	sched_ilock();
	was = __cancel(NULL, work);
	sched_iunlock();
	flush_work(work);
	return was;
}

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	bool was = cancel_delayed_work(dwork);

	flush_work(&dwork->work);
	return was;
}

static bool wq_busy_upto(struct workqueue_struct *wq, unsigned long long target)
{
	struct work_struct *work;
	struct worker *w;

	list_for_each_entry(work, &worklist, entry)
		if (work->wq == wq && work->seq <= target)
			return true;
	list_for_each_entry(w, &busy_workers, node)
		if (w->current_wq == wq && w->current_seq <= target)
			return true;
	return false;
}

void flush_workqueue(struct workqueue_struct *wq)
{
	unsigned long long target;

	might_sleep();
	sched_point(SP_FLUSH, wq);
	lock_map_wait(&wq->lockdep_map, "flush_workqueue");
	sched_ilock();
	pool_check_run();
	target = work_seq;
	while (wq_busy_upto(wq, target))
		sched_block(&flush_wait, WAIT_FLUSH, wq, flush_describe, WAIT_FOREVER);
	sched_iunlock();
	tsan_acquire(wq);
}

void drain_workqueue(struct workqueue_struct *wq)
{
	for (;;) {
		bool busy;

		flush_workqueue(wq);
		sched_ilock();
		busy = wq->nr_pending || wq->nr_active;
		sched_iunlock();
		if (!busy)
			return;
	}
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	drain_workqueue(wq);
	sched_ilock();
	list_del(&wq->list);
	sched_iunlock();
	free(wq);
}

bool work_pending(const struct work_struct *work)
{
	return __atomic_load_n(&work->pending, __ATOMIC_RELAXED);
}

bool delayed_work_pending(const struct delayed_work *dwork)
{
	return work_pending(&dwork->work);
}

work_func_t current_work_func(void)
{
	struct worker *w = current ? current->worker : NULL;

	return w ? w->current_func : NULL;
}

unsigned int workqueue_busy_count(void)
{
	unsigned int n;

	sched_ilock();
	n = list_count_nodes(&worklist) + list_count_nodes(&busy_workers);
	sched_iunlock();
	return n;
}

/*
 * A deadlock while a pool has runnable items but all its workers, as many
 * as the model allows, are blocked: the kernel would have created another
 * worker, so this is the model's limit, not the driver core's bug.
 */
static const char *workqueue_deadlock_cause(void)
{
	struct worker_pool *pools[] = { &bound_pool, &unbound_pool };

	if (pool_run != sched_run_id())
		return NULL;
	for (size_t i = 0; i < sizeof(pools) / sizeof(pools[0]); i++)
		if (pools[i]->nr_idle == 0 && !pool_below_cap(pools[i]) &&
		    first_runnable(pools[i]))
			return "worker pool at the model's cap";
	return NULL;
}

void workqueue_init_early(void)
{
	sched_set_deadlock_cause(workqueue_deadlock_cause);
	if (system_wq)
		return;
	system_wq = alloc_workqueue("events", 0, 0);
	system_unbound_wq = alloc_workqueue("events_unbound", WQ_UNBOUND, 0);
	system_long_wq = alloc_workqueue("events_long", 0, 0);
}

void workqueue_reset(void)
{
	struct work_struct *w, *n;
	struct workqueue_struct *wq;

	list_for_each_entry_safe(w, n, &worklist, entry) {
		list_del_init(&w->entry);
		w->pending = 0;
	}
	list_for_each_entry(wq, &all_wqs, list) {
		wq->nr_active = 0;
		wq->nr_pending = 0;
	}
	work_seq = 0;
	pool_run = 0;
	free_stale_workers();
	pool_init(&bound_pool);
	pool_init(&unbound_pool);
	INIT_LIST_HEAD(&flush_wait);
	INIT_LIST_HEAD(&busy_workers);
}
