// SPDX-License-Identifier: MIT
/* The slow paths of raw_mutex (rawlock.h): contention only. */

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rawlock.h"

/* Critical sections are short: a holder that is running ends soon. */
#define RAW_MUTEX_SPINS	100

void raw_mutex_lock_slow(uint32_t *word, uint32_t c)
{
	for (int i = 0; i < RAW_MUTEX_SPINS && c != 2; i++) {
		cpu_relax();
		c = __atomic_load_n(word, __ATOMIC_RELAXED);
		if (c == 0 && __atomic_compare_exchange_n(word, &c, 1, false,
							  __ATOMIC_ACQUIRE,
							  __ATOMIC_RELAXED))
			return;
	}
	if (c != 2)
		c = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
		c = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
	}
}

void raw_mutex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
