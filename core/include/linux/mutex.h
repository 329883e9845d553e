/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_MUTEX_H
#define _BINDRACE_LINUX_MUTEX_H

#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/bug.h>

struct task;

/* A sleeping lock with an owner; blocking goes through the task layer. */
struct mutex {
	struct task *owner;
	struct list_head wait_list;
	struct lockdep_map dep_map;
};

#define __MUTEX_INITIALIZER(lockname, key) {				\
	.owner = NULL,							\
	.wait_list = LIST_HEAD_INIT((lockname).wait_list),		\
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#lockname, key),		\
}

/* A static lock without a key is its own lockdep class. */
#define DEFINE_MUTEX(mutexname) \
	struct mutex mutexname = __MUTEX_INITIALIZER(mutexname, NULL)

void __mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key);

#define mutex_init(mutex) do {						\
	static struct lock_class_key __key;				\
	__mutex_init((mutex), #mutex, &__key);				\
} while (0)

/* The site (caller's function) goes into lockdep reports. */
void __mutex_lock(struct mutex *lock, const char *site);
#define mutex_lock(lock)	__mutex_lock((lock), __func__)
void mutex_unlock(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);
/* Owner tracking: does the current task hold @lock? */
bool mutex_owned_by_current(struct mutex *lock);

#define lockdep_assert_held_mutex(m)	WARN_ON(!mutex_owned_by_current(m))

#endif
