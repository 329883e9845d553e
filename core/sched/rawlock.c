// SPDX-License-Identifier: MIT
/* The slow paths of raw_mutex (rawlock.h): contention only. */

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rawlock.h"

/*
 * Critical sections are short: a holder that is running ends soon.  Spin
 * again after every wake-up, not only the first time: a woken waiter
 * that went straight back to sleep lost the lock, for good, to a thread
 * that takes it again within a microsecond (a pool thread of the threads
 * backend sat out whole runs that way).
 */
#define RAW_MUTEX_SPINS	100

void raw_mutex_lock_slow(uint32_t *word, uint32_t c)
{
	/* Once it has slept, others may sleep too: take it as contended. */
	uint32_t want = 1;

	for (;;) {
		for (int i = 0; i < RAW_MUTEX_SPINS; i++) {
			cpu_relax();
			c = __atomic_load_n(word, __ATOMIC_RELAXED);
			if (c == 0 && __atomic_compare_exchange_n(word, &c, want, false,
								  __ATOMIC_ACQUIRE,
								  __ATOMIC_RELAXED))
				return;
		}
		if (__atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE) == 0)
			return;
		syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
		want = 2;
	}
}

void raw_mutex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
