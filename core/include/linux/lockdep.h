/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_LOCKDEP_H
#define _BINDRACE_LINUX_LOCKDEP_H

/*
 * A lock-order checker in the spirit of lockdep.  Locks belong to classes
 * (a static key per init site, or a dynamic key such as one per device);
 * each acquisition under a held lock records an order edge; an edge that
 * closes a cycle is reported with both chains, before any deadlock.
 *
 * Beyond the kernel: device_lock gets a class per device with its parent's
 * class as ancestor, so parent-then-child passes and child-then-parent is
 * reported at once (the kernel marks device_lock novalidate).  Waits are
 * pseudo-locks (async_synchronize_full, flush_work, flush_workqueue), so
 * "holds L while waiting for work that takes L" is an inversion too.
 */

#include <linux/types.h>

#define MAX_LOCK_DEPTH	48

struct lock_class_key {
	char __one_byte;	/* the address is the identity */
};

struct lockdep_map {
	struct lock_class_key *key;
	const char *name;
	int class_idx;
	unsigned int gen;
};

struct held_lock {
	struct lockdep_map *map;
	const char *site;
};

struct task;

void lockdep_init_map(struct lockdep_map *map, const char *name,
		      struct lock_class_key *key);
void lock_acquire(struct lockdep_map *map, const char *site);
void lock_release(struct lockdep_map *map);
bool lock_is_held(const struct lockdep_map *map);
const char *lockdep_map_name(struct lockdep_map *map);

/* Pseudo-lock for waiting: "acquire and release at once". */
void lock_map_wait(struct lockdep_map *map, const char *site);
#define lock_map_acquire(map)	lock_acquire(map, __func__)
#define lock_map_release(map)	lock_release(map)

#define STATIC_LOCKDEP_MAP_INIT(_name, _key) \
	{ .key = (_key), .name = (_name), .class_idx = -1 }

/* Dynamic classes (one per device). */
void lockdep_register_key(struct lock_class_key *key, const char *name);
void lockdep_unregister_key(struct lock_class_key *key);
/* Order of device locks: @parent's class is an ancestor of @key's. */
void lockdep_set_parent_key(struct lock_class_key *key, struct lock_class_key *parent);
void lockdep_set_key_name(struct lock_class_key *key, const char *name);

/* Checked at task exit: a task must not return with locks held. */
void lockdep_task_exit_check(struct task *t);
/* Held locks of @t, one per line, for reports. */
void lockdep_print_held_locks(struct task *t, char *buf, size_t len);

/* Forget every class and edge (between fuzz runs). */
void lockdep_reset(void);
unsigned int lockdep_nr_classes(void);
unsigned int lockdep_nr_edges(void);

#define lockdep_assert_held(l)	WARN_ON(!lock_is_held(&(l)->dep_map))

#endif
