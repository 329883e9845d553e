/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_ASYNC_H
#define _BINDRACE_LINUX_ASYNC_H

#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/types.h>
#include <limits.h>

struct device;

/*
 * kernel/async.c semantics: cookies in scheduling order; an entry leaves
 * the pending lists only after its function returned; when the entry
 * cannot be allocated or too many are pending (async_max_work), the
 * function runs synchronously in the caller (the B6/B7 trap).
 */
typedef u64 async_cookie_t;
typedef void (*async_func_t)(void *data, async_cookie_t cookie);

struct async_domain {
	struct list_head pending;
	unsigned registered:1;
	struct lockdep_map map;
};

#define ASYNC_DOMAIN(_name) \
	struct async_domain _name = { .pending = LIST_HEAD_INIT(_name.pending), \
		.registered = 1, .map = STATIC_LOCKDEP_MAP_INIT("(async)" #_name, NULL) }
#define ASYNC_DOMAIN_EXCLUSIVE(_name) \
	struct async_domain _name = { .pending = LIST_HEAD_INIT(_name.pending), \
		.registered = 0, .map = STATIC_LOCKDEP_MAP_INIT("(async)" #_name, NULL) }

#define ASYNC_COOKIE_MAX	ULLONG_MAX
#define ASYNC_MAX_WORK		32768

/* Pending-entry limit before the synchronous fallback (MAX_WORK). */
extern int async_max_work;

async_cookie_t async_schedule_node_domain(async_func_t func, void *data, int node,
					  struct async_domain *domain);
async_cookie_t async_schedule_node(async_func_t func, void *data, int node);
bool async_schedule_dev_nocall(async_func_t func, struct device *dev);

static inline async_cookie_t async_schedule_domain(async_func_t func, void *data,
						   struct async_domain *domain)
{
	return async_schedule_node_domain(func, data, -1, domain);
}

static inline async_cookie_t async_schedule(async_func_t func, void *data)
{
	return async_schedule_node(func, data, -1);
}

#define async_schedule_dev(func, dev) \
	async_schedule_node((func), (dev), dev_to_node(dev))
#define async_schedule_dev_domain(func, dev, domain) \
	async_schedule_node_domain((func), (dev), dev_to_node(dev), (domain))

void async_unregister_domain(struct async_domain *domain);
void async_synchronize_full(void);
void async_synchronize_full_domain(struct async_domain *domain);
void async_synchronize_cookie(async_cookie_t cookie);
void async_synchronize_cookie_domain(async_cookie_t cookie, struct async_domain *domain);
bool current_is_async(void);

void async_init(void);
void async_reset(void);
unsigned int async_pending_count(void);

#endif
