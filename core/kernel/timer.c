// SPDX-License-Identifier: MIT
/*
 * Virtual-time timers.  A daemon task ("ktimerd") sleeps until the earliest
 * expiry; the task layer advances the clock when everything else blocks.
 * Callbacks run with atomic_depth raised, like softirqs.
 */

#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/timer.h>
#include "../sched/task.h"

static LIST_HEAD(timer_list_head);	/* sorted by (expires, seq) */
static LIST_HEAD(timerd_wait);
static unsigned long long timer_seq;
static uint64_t timerd_run;		/* sched_run_id() the daemon belongs to */

static void timerd(void *arg)
{
	(void)arg;
	sched_ilock();
	for (;;) {
		struct timer_list *t;

		if (list_empty(&timer_list_head)) {
			if (sched_stopping())
				break;
			sched_block(&timerd_wait, WAIT_IDLE, NULL, NULL, WAIT_FOREVER);
			continue;
		}
		t = list_first_entry(&timer_list_head, struct timer_list, entry);
		if ((uint64_t)t->expires * NSEC_PER_JIFFY > sched_clock_ns()) {
			sched_block(&timerd_wait, WAIT_SLEEP, NULL, NULL,
				    (uint64_t)t->expires * NSEC_PER_JIFFY);
			continue;
		}
		list_del_init(&t->entry);
		t->pending = false;
		sched_iunlock();
		preempt_disable();
		t->function(t);
		preempt_enable();
		sched_ilock();
	}
	sched_iunlock();
}

void timer_setup(struct timer_list *timer, void (*func)(struct timer_list *),
		 unsigned int flags)
{
	(void)flags;
	INIT_LIST_HEAD(&timer->entry);
	timer->function = func;
	timer->pending = false;
	timer->expires = 0;
}

/* ilock held.  Returns true if the daemon must be started. */
static bool __add_timer(struct timer_list *timer)
{
	struct timer_list *pos;

	timer->seq = ++timer_seq;
	list_for_each_entry(pos, &timer_list_head, entry)
		if (pos->expires > timer->expires)
			break;
	list_add_tail(&timer->entry, &pos->entry);
	timer->pending = true;
	sched_wake_all(&timerd_wait);
	if (timerd_run != sched_run_id()) {
		timerd_run = sched_run_id();
		return true;
	}
	return false;
}

int mod_timer(struct timer_list *timer, unsigned long expires)
{
	bool was, start;

	sched_ilock();
	was = timer->pending;
	if (was)
		list_del_init(&timer->entry);
	timer->expires = expires;
	start = __add_timer(timer);
	sched_iunlock();
	if (start)
		sched_spawn_daemon("ktimerd", timerd, NULL);
	return was;
}

void add_timer(struct timer_list *timer)
{
	mod_timer(timer, timer->expires);
}

int del_timer(struct timer_list *timer)
{
	bool was;

	sched_ilock();
	was = timer->pending;
	if (was) {
		list_del_init(&timer->entry);
		timer->pending = false;
	}
	sched_iunlock();
	return was;
}

int del_timer_sync(struct timer_list *timer)
{
	/* Callbacks are short and atomic; a running one has no sleep to wait on. */
	return del_timer(timer);
}

bool timer_pending(const struct timer_list *timer)
{
	return __atomic_load_n(&timer->pending, __ATOMIC_RELAXED);
}

void timers_reset(void)
{
	struct timer_list *t, *n;

	list_for_each_entry_safe(t, n, &timer_list_head, entry) {
		list_del_init(&t->entry);
		t->pending = false;
	}
	INIT_LIST_HEAD(&timerd_wait);
	timer_seq = 0;
	timerd_run = 0;
}
