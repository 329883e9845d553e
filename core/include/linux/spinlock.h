/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_SPINLOCK_H
#define _BINDRACE_LINUX_SPINLOCK_H

#include <linux/list.h>
#include <linux/lockdep.h>

struct task;

/*
 * A spinlock: mutual exclusion plus atomic context, so that sleeping
 * under it is reported (might_sleep).  Another task may still be
 * scheduled while it is held, as another CPU would run.
 */
typedef struct spinlock {
	struct task *owner;
	struct list_head wait_list;
	struct lockdep_map dep_map;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname, key) {				\
	.owner = NULL,							\
	.wait_list = LIST_HEAD_INIT((lockname).wait_list),		\
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#lockname, key),		\
}

#define DEFINE_SPINLOCK(x) \
	spinlock_t x = __SPIN_LOCK_UNLOCKED(x, NULL)

void __spin_lock_init(spinlock_t *lock, const char *name, struct lock_class_key *key);

#define spin_lock_init(lock) do {					\
	static struct lock_class_key __key;				\
	__spin_lock_init((lock), #lock, &__key);			\
} while (0)

void __spin_lock(spinlock_t *lock, const char *site);
#define spin_lock(lock)	__spin_lock((lock), __func__)
void spin_unlock(spinlock_t *lock);
#define spin_lock_irqsave(lock, flags)	do { (void)(flags); spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags) do { (void)(flags); spin_unlock(lock); } while (0)
#define spin_lock_irq(lock)	spin_lock(lock)
#define spin_unlock_irq(lock)	spin_unlock(lock)

#endif
