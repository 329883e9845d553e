/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_WORKQUEUE_H
#define _BINDRACE_LINUX_WORKQUEUE_H

#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/timer.h>

/*
 * Workqueues on two pools of worker tasks (bound, WQ_UNBOUND), each growing
 * on demand up to a cap (sched_opts.max_workers), honouring each queue's
 * max_active.  Work functions and flushes carry lockdep pseudo-locks as in
 * the kernel.
 */
struct work_struct;
struct workqueue_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	struct list_head entry;
	work_func_t func;
	unsigned long pending;
	unsigned long long seq;
	struct workqueue_struct *wq;
	struct lockdep_map lockdep_map;
};

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;
};

void __init_work(struct work_struct *work, work_func_t func, const char *name,
		 struct lock_class_key *key);
#define INIT_WORK(_work, _func) do {					\
	static struct lock_class_key __key;				\
	__init_work((_work), (_func), "(work_completion)" #_func, &__key); \
} while (0)

void __init_delayed_work(struct delayed_work *dwork, work_func_t func,
			 const char *name, struct lock_class_key *key);
#define INIT_DELAYED_WORK(_work, _func) do {				\
	static struct lock_class_key __key;				\
	__init_delayed_work((_work), (_func), "(work_completion)" #_func, &__key); \
} while (0)

#define DECLARE_WORK(n, f) struct work_struct n = {			\
	.entry = LIST_HEAD_INIT((n).entry), .func = (f),		\
	.lockdep_map = STATIC_LOCKDEP_MAP_INIT("(work_completion)" #n, NULL) }

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

#define WQ_UNBOUND		(1 << 1)
#define WQ_FREEZABLE		(1 << 2)
#define WQ_MEM_RECLAIM		(1 << 3)
#define WQ_HIGHPRI		(1 << 4)
#define WQ_SYSFS		(1 << 6)
#define __WQ_ORDERED		(1 << 17)
#define WQ_DFL_ACTIVE		256

struct workqueue_struct *__alloc_workqueue(const char *name, unsigned int flags,
					   int max_active, struct lock_class_key *key);
#define alloc_workqueue(name, flags, max_active) ({			\
	static struct lock_class_key __key;				\
	__alloc_workqueue((name), (flags), (max_active), &__key);	\
})
#define alloc_ordered_workqueue(name, flags) \
	alloc_workqueue((name), WQ_UNBOUND | __WQ_ORDERED | (flags), 1)

void destroy_workqueue(struct workqueue_struct *wq);
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			unsigned long delay);
bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
		      unsigned long delay);
bool flush_work(struct work_struct *work);
bool flush_delayed_work(struct delayed_work *dwork);
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work(struct delayed_work *dwork);
bool cancel_delayed_work_sync(struct delayed_work *dwork);
void flush_workqueue(struct workqueue_struct *wq);
void drain_workqueue(struct workqueue_struct *wq);
bool work_pending(const struct work_struct *work);
bool delayed_work_pending(const struct delayed_work *dwork);
/* The work function the current task runs, NULL if not a worker. */
work_func_t current_work_func(void);

extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_unbound_wq;
extern struct workqueue_struct *system_long_wq;

static inline bool schedule_work(struct work_struct *work)
{
	return queue_work(system_wq, work);
}

static inline bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	return queue_delayed_work(system_wq, dwork, delay);
}

/* Inside a run: start @n idle workers now (the pool still grows on demand). */
void workqueue_start_workers(struct workqueue_struct *wq, unsigned int n);

/* Create the system workqueues once (idempotent). */
void workqueue_init_early(void);
/* Forget pending work and workers (between fuzz runs). */
void workqueue_reset(void);
/* Work items queued or running right now, all queues. */
unsigned int workqueue_busy_count(void);

#endif
