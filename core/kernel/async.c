// SPDX-License-Identifier: MIT
/*
 * kernel/async.c: asynchronous function calls with ordered cookies.
 * Entries are queued on async_wq; each runs under the "(async)" lockdep
 * pseudo-locks of the global list and of its domain, and the synchronize
 * calls acquire them, so waiting while holding a lock the job takes is an
 * inversion even when the job happens to be done already.
 */

#include <bindrace/report.h>
#include <linux/bug.h>
#include <linux/async.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include "../sched/san.h"
#include "../sched/task.h"

struct async_entry {
	struct list_head domain_list;
	struct list_head global_list;
	struct work_struct work;
	async_cookie_t cookie;
	async_func_t func;
	void *data;
	struct async_domain *domain;
};

int async_max_work = ASYNC_MAX_WORK;

static async_cookie_t next_cookie = 1;
static LIST_HEAD(async_global_pending);
static ASYNC_DOMAIN(async_dfl_domain);
static DECLARE_WAIT_QUEUE_HEAD(async_done);
static int entry_count;
static struct workqueue_struct *async_wq;
static struct lockdep_map async_global_map =
	STATIC_LOCKDEP_MAP_INIT("(async_synchronize_full)", NULL);

/* ilock held. */
static async_cookie_t lowest_in_progress(struct async_domain *domain)
{
	struct list_head *pending = domain ? &domain->pending : &async_global_pending;
	struct async_entry *first;

	if (list_empty(pending))
		return ASYNC_COOKIE_MAX;
	if (domain)
		first = list_first_entry(pending, struct async_entry, domain_list);
	else
		first = list_first_entry(pending, struct async_entry, global_list);
	return first->cookie;
}

static void async_run_entry_fn(struct work_struct *work)
{
	struct async_entry *entry = container_of(work, struct async_entry, work);

	current->async_depth++;
	lock_map_acquire(&async_global_map);
	lock_map_acquire(&entry->domain->map);
	entry->func(entry->data, entry->cookie);
	lock_map_release(&entry->domain->map);
	lock_map_release(&async_global_map);
	current->async_depth--;

	/* Only now may waiters see the entry gone (kernel/async.c order). */
	sched_ilock();
	list_del_init(&entry->domain_list);
	list_del_init(&entry->global_list);
	entry_count--;
	sched_iunlock();
	kfree(entry);
	wake_up_all(&async_done);
}

/* ilock held on entry, dropped here: list the entry, then queue it. */
static async_cookie_t async_queue_entry(struct async_entry *entry, async_func_t func,
					void *data, struct async_domain *domain)
{
	async_cookie_t cookie;

	INIT_LIST_HEAD(&entry->domain_list);
	INIT_LIST_HEAD(&entry->global_list);
	entry->func = func;
	entry->data = data;
	entry->domain = domain;
	cookie = entry->cookie = next_cookie++;
	list_add_tail(&entry->domain_list, &domain->pending);
	if (domain->registered)
		list_add_tail(&entry->global_list, &async_global_pending);
	entry_count++;
	sched_iunlock();
	INIT_WORK(&entry->work, async_run_entry_fn);
	queue_work(async_wq, &entry->work);
	return cookie;
}

async_cookie_t async_schedule_node_domain(async_func_t func, void *data, int node,
					  struct async_domain *domain)
{
	struct async_entry *entry;
	async_cookie_t newcookie;
	bool sync;

	(void)node;
	sched_point(SP_ASYNC, data);
	entry = kzalloc(sizeof(*entry), GFP_ATOMIC);
	sched_ilock();
	sync = !entry || entry_count > async_max_work;
	if (sync) {
		newcookie = next_cookie++;
		sched_iunlock();
		kfree(entry);
		/* Low on memory or too much pending: run it here and now. */
		func(data, newcookie);
		return newcookie;
	}
	return async_queue_entry(entry, func, data, domain);
}

async_cookie_t async_schedule_node(async_func_t func, void *data, int node)
{
	return async_schedule_node_domain(func, data, node, &async_dfl_domain);
}

bool async_schedule_dev_nocall(async_func_t func, struct device *dev)
{
	struct async_entry *entry = kzalloc(sizeof(*entry), GFP_KERNEL);

	if (!entry)
		return false;
	sched_ilock();
	if (entry_count > async_max_work) {
		sched_iunlock();
		kfree(entry);
		return false;
	}
	async_queue_entry(entry, func, dev, &async_dfl_domain);
	return true;
}

void async_synchronize_cookie_domain(async_cookie_t cookie, struct async_domain *domain)
{
	might_sleep();
	lock_map_wait(domain ? &domain->map : &async_global_map,
		      "async_synchronize_cookie_domain");
	for (;;) {
		unsigned long seq = __wait_prepare(&async_done);
		async_cookie_t low;

		sched_ilock();
		low = lowest_in_progress(domain);
		sched_iunlock();
		if (low >= cookie)
			break;
		__wait_sleep(&async_done, seq, UINT64_MAX);
	}
	__wait_finish(&async_done);
}

void async_synchronize_full(void)
{
	async_synchronize_cookie_domain(ASYNC_COOKIE_MAX, NULL);
}

void async_synchronize_full_domain(struct async_domain *domain)
{
	async_synchronize_cookie_domain(ASYNC_COOKIE_MAX, domain);
}

void async_synchronize_cookie(async_cookie_t cookie)
{
	async_synchronize_cookie_domain(cookie, &async_dfl_domain);
}

void async_unregister_domain(struct async_domain *domain)
{
	sched_ilock();
	WARN_ON(!list_empty(&domain->pending));
	domain->registered = 0;
	sched_iunlock();
}

bool current_is_async(void)
{
	return current && current->async_depth > 0;
}

unsigned int async_pending_count(void)
{
	unsigned int n;

	sched_ilock();
	n = (unsigned int)entry_count;
	sched_iunlock();
	return n;
}

void async_init(void)
{
	if (!async_wq)
		async_wq = alloc_workqueue("async", WQ_UNBOUND, WQ_DFL_ACTIVE);
}

void async_reset(void)
{
	struct async_entry *e, *n;

	/* Entries of a cancelled run are abandoned with their workers. */
	list_for_each_entry_safe(e, n, &async_global_pending, global_list)
		list_del_init(&e->global_list);
	list_for_each_entry_safe(e, n, &async_dfl_domain.pending, domain_list)
		list_del_init(&e->domain_list);
	entry_count = 0;
	next_cookie = 1;
	async_max_work = ASYNC_MAX_WORK;
	__init_waitqueue_head(&async_done, "async_done");
}
