/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_SCHED_RAWLOCK_H
#define _BINDRACE_SCHED_RAWLOCK_H

/*
 * A spinlock for the runtime's own bookkeeping (lock graph, reports).
 * Built from uninstrumented atomics and hiding what it guards from TSan,
 * so it never orders two tasks the kernel would not order.  Never held
 * across a schedule point.
 */

#include <stdint.h>

#include "san.h"

static inline void rawlock_lock(uint32_t *word)
{
	while (__atomic_exchange_n(word, 1, __ATOMIC_ACQUIRE))
		;
	tsan_ignore_begin();
}

static inline void rawlock_unlock(uint32_t *word)
{
	tsan_ignore_end();
	__atomic_store_n(word, 0, __ATOMIC_RELEASE);
}

#endif
