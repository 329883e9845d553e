/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_SCHED_RAWLOCK_H
#define _BINDRACE_SCHED_RAWLOCK_H

/*
 * Locks for the runtime's own bookkeeping, built from uninstrumented
 * atomics so that TSan never sees them order two tasks the kernel would
 * not order.  Never held across a schedule point.
 *
 * raw_mutex: Drepper's three-state futex mutex (0 free, 1 locked, 2
 * contended).  Waiters sleep in the kernel: on the thread backend more
 * tasks than cores are runnable, and a waiter spinning on a preempted
 * holder burnt its whole time slice (a quarter of fuzz_bind_threads'
 * profile was lock_acquire() spinning on the lock graph).
 *
 * rawlock: a raw_mutex that also hides its section from TSan, for
 * sections that call libc (which TSan intercepts from any caller) or
 * compiler-made memcpy().  Under TSan an ignore region costs a
 * stack-depot insertion, so hot sections without such calls take the
 * raw_mutex alone (kmalloc, lock_acquire's fast path).
 */

#include <stdbool.h>
#include <stdint.h>

#include "san.h"

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

void raw_mutex_lock_slow(uint32_t *word, uint32_t seen);
void raw_mutex_wake(uint32_t *word);

static inline void raw_mutex_lock(uint32_t *word)
{
	uint32_t c = 0;

	if (!__atomic_compare_exchange_n(word, &c, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		raw_mutex_lock_slow(word, c);
}

static inline void raw_mutex_unlock(uint32_t *word)
{
	if (__atomic_fetch_sub(word, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(word, 0, __ATOMIC_RELEASE);
		raw_mutex_wake(word);
	}
}

static inline void rawlock_lock(uint32_t *word)
{
	raw_mutex_lock(word);
	tsan_ignore_begin();
}

static inline void rawlock_unlock(uint32_t *word)
{
	tsan_ignore_end();
	raw_mutex_unlock(word);
}

#endif
