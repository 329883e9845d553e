// SPDX-License-Identifier: MIT
/*
 * Sleeping and spinning locks, completions, wait queues and msleep on top
 * of the task layer.  Built without TSan instrumentation: the lock words
 * are bookkeeping; TSan learns exactly the acquire/release edges a kernel
 * primitive gives, through tsan_acquire/tsan_release.
 */

#include <stddef.h>
#include <stdio.h>

#include <bindrace/report.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include "../sched/san.h"
#include "../sched/task.h"


void __might_sleep(const char *file, int line, const char *func)
{
	struct task *t = current;

	if (t && t->atomic_depth > 0)
		bindrace_report(REPORT_SLEEP, func,
				"BUG: sleeping function called from invalid context at %s:%d\n"
				"  in %s, task %s, atomic depth %d\n",
				file, line, func, t->name, t->atomic_depth);
}

void preempt_disable(void)
{
	if (current)
		current->atomic_depth++;
}

void preempt_enable(void)
{
	if (current)
		current->atomic_depth--;
}

bool in_atomic(void)
{
	return current && current->atomic_depth > 0;
}

/*
 * ---- mutex and spinlock ----
 * Both are an owner, a wait list and a lockdep map; they differ in the
 * schedule-point kinds and in that a spinlock makes its holder atomic.
 */

struct lock_ops {
	enum sched_point_kind lock_point, unlock_point;
	enum wait_kind wait;
	const char *name;
	bool atomic;
};

static const struct lock_ops mutex_ops = {
	SP_MUTEX_LOCK, SP_MUTEX_UNLOCK, WAIT_MUTEX, "mutex_unlock", false,
};

static const struct lock_ops spin_ops = {
	SP_SPIN_LOCK, SP_SPIN_UNLOCK, WAIT_SPIN, "spin_unlock", true,
};

/* struct mutex and spinlock_t share this layout (checked below). */
struct lock_core {
	struct task *owner;
	struct list_head wait_list;
	struct lockdep_map dep_map;
};

_Static_assert(offsetof(struct mutex, wait_list) == offsetof(struct lock_core, wait_list) &&
	       offsetof(struct mutex, dep_map) == offsetof(struct lock_core, dep_map) &&
	       offsetof(spinlock_t, wait_list) == offsetof(struct lock_core, wait_list) &&
	       offsetof(spinlock_t, dep_map) == offsetof(struct lock_core, dep_map),
	       "mutex and spinlock_t must share struct lock_core's layout");

static void lock_describe(const void *obj, char *buf, size_t len)
{
	struct lock_core *l = (struct lock_core *)obj;

	snprintf(buf, len, "%s held by %s", lockdep_map_name(&l->dep_map),
		 l->owner ? task_name(l->owner) : "nobody");
}

static void lock_core_init(struct lock_core *l, const char *name,
			   struct lock_class_key *key)
{
	l->owner = NULL;
	INIT_LIST_HEAD(&l->wait_list);
	lockdep_init_map(&l->dep_map, name, key);
}

static void lock_core_lock(struct lock_core *l, const struct lock_ops *ops,
			   const char *site)
{
	sched_point(ops->lock_point, l);
	lock_acquire(&l->dep_map, site);
	sched_ilock();
	while (l->owner)
		sched_block(&l->wait_list, ops->wait, l, lock_describe, WAIT_FOREVER);
	l->owner = current;
	if (ops->atomic && current)
		current->atomic_depth++;
	sched_iunlock();
	tsan_acquire(l);
}

static void lock_core_unlock(struct lock_core *l, const struct lock_ops *ops)
{
	if (l->owner != current) {
		bindrace_report(REPORT_WARN, ops->name, "task %s unlocks %s owned by %s\n",
				task_name(current), lockdep_map_name(&l->dep_map),
				task_name(l->owner));
		return;
	}
	lock_release(&l->dep_map);
	tsan_release(l);
	sched_ilock();
	l->owner = NULL;
	if (ops->atomic && current)
		current->atomic_depth--;
	sched_wake_one(&l->wait_list);
	sched_iunlock();
	sched_point(ops->unlock_point, l);
}

void __mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key)
{
	lock_core_init((struct lock_core *)lock, name, key);
}

void __mutex_lock(struct mutex *lock, const char *site)
{
	might_sleep();
	lock_core_lock((struct lock_core *)lock, &mutex_ops, site);
}

int mutex_trylock(struct mutex *lock)
{
	bool ok;

	sched_point(SP_MUTEX_LOCK, lock);
	sched_ilock();
	ok = !lock->owner;
	if (ok)
		lock->owner = current;
	sched_iunlock();
	if (!ok)
		return 0;
	tsan_acquire(lock);
	lock_acquire(&lock->dep_map, "mutex_trylock");
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	lock_core_unlock((struct lock_core *)lock, &mutex_ops);
}

bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != NULL;
}

bool mutex_owned_by_current(struct mutex *lock)
{
	return current && lock->owner == current;
}

void __spin_lock_init(spinlock_t *lock, const char *name, struct lock_class_key *key)
{
	lock_core_init((struct lock_core *)lock, name, key);
}

void __spin_lock(spinlock_t *lock, const char *site)
{
	lock_core_lock((struct lock_core *)lock, &spin_ops, site);
}

void spin_unlock(spinlock_t *lock)
{
	lock_core_unlock((struct lock_core *)lock, &spin_ops);
}

/* ---- completion ---- */

static void completion_describe(const void *obj, char *buf, size_t len)
{
	snprintf(buf, len, "completion %p", obj);
}

void init_completion(struct completion *x)
{
	x->done = 0;
	INIT_LIST_HEAD(&x->wait_list);
}

void reinit_completion(struct completion *x)
{
	x->done = 0;
}

/* ilock held, dropped here: take one completion if @ok (complete_all keeps all). */
static bool consume_done(struct completion *x, bool ok)
{
	if (ok && x->done != UINT_MAX)
		x->done--;
	sched_iunlock();
	if (ok)
		tsan_acquire(x);
	return ok;
}

static bool __wait_for_completion(struct completion *x, uint64_t deadline)
{
	bool ok = true;

	might_sleep();
	sched_point(SP_COMPLETION, x);
	sched_ilock();
	while (!x->done) {
		if (sched_block(&x->wait_list, WAIT_COMPLETION, x,
				completion_describe, deadline) && !x->done) {
			ok = false;
			break;
		}
	}
	return consume_done(x, ok);
}

void wait_for_completion(struct completion *x)
{
	__wait_for_completion(x, WAIT_FOREVER);
}

uint64_t __wait_deadline(unsigned long timeout)
{
	if (timeout >= MAX_JIFFY_OFFSET)
		return WAIT_FOREVER;
	return sched_clock_ns() + (uint64_t)timeout * NSEC_PER_JIFFY;
}

unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	uint64_t deadline = __wait_deadline(timeout);
	uint64_t now;

	if (!__wait_for_completion(x, deadline))
		return 0;
	now = sched_clock_ns();
	if (deadline == WAIT_FOREVER || deadline <= now)
		return 1;
	return (unsigned long)((deadline - now) / NSEC_PER_JIFFY) ?: 1;
}

bool try_wait_for_completion(struct completion *x)
{
	bool ok;

	sched_ilock();
	ok = x->done != 0;
	return consume_done(x, ok);
}

bool completion_done(struct completion *x)
{
	return __atomic_load_n(&x->done, __ATOMIC_RELAXED) != 0;
}

void complete(struct completion *x)
{
	tsan_release(x);
	sched_ilock();
	if (x->done != UINT_MAX)
		x->done++;
	sched_wake_one(&x->wait_list);
	sched_iunlock();
	sched_point(SP_COMPLETION, x);
}

void complete_all(struct completion *x)
{
	tsan_release(x);
	sched_ilock();
	x->done = UINT_MAX;
	sched_wake_all(&x->wait_list);
	sched_iunlock();
	sched_point(SP_COMPLETION, x);
}

/* ---- wait queues ---- */

static void waitq_describe(const void *obj, char *buf, size_t len)
{
	const struct wait_queue_head *wq = obj;

	snprintf(buf, len, "%s", wq->name ? wq->name : "?");
}

void __init_waitqueue_head(struct wait_queue_head *wq, const char *name)
{
	wq->seq = 0;
	INIT_LIST_HEAD(&wq->head);
	wq->name = name;
}

unsigned long __wait_prepare(struct wait_queue_head *wq)
{
	unsigned long seq;

	sched_point(SP_WAIT_EVENT, wq);
	sched_ilock();
	seq = wq->seq;
	sched_iunlock();
	return seq;
}

bool __wait_sleep(struct wait_queue_head *wq, unsigned long seq, uint64_t deadline)
{
	bool timed_out = false;

	sched_ilock();
	if (wq->seq == seq)
		timed_out = sched_block(&wq->head, WAIT_EVENT, wq, waitq_describe,
					deadline);
	sched_iunlock();
	return !timed_out;
}

void __wait_finish(struct wait_queue_head *wq)
{
	tsan_acquire(wq);
}

void wake_up_all(struct wait_queue_head *wq)
{
	tsan_release(wq);
	sched_ilock();
	wq->seq++;
	sched_wake_all(&wq->head);
	sched_iunlock();
	sched_point(SP_WAKE_UP, wq);
}

/* ---- sleeping ---- */

static void sleep_ns(uint64_t ns)
{
	uint64_t deadline;

	might_sleep();
	sched_point(SP_SLEEP, NULL);
	sched_ilock();
	deadline = sched_clock_ns() + ns;
	while (sched_clock_ns() < deadline)
		sched_block(NULL, WAIT_SLEEP, NULL, NULL, deadline);
	sched_iunlock();
}

void msleep(unsigned int msecs)
{
	sleep_ns((uint64_t)msecs * NSEC_PER_JIFFY);
}

void usleep_range(unsigned long min, unsigned long max)
{
	(void)max;
	sleep_ns((uint64_t)min * 1000);
}
