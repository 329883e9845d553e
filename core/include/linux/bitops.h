/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_BITOPS_H
#define _BINDRACE_LINUX_BITOPS_H

#include <linux/types.h>
#include <bindrace/sched.h>

/* Atomic bit operations on an unsigned long word (include/linux/bitops.h). */
#define BIT(nr)	(1UL << (nr))

static inline void set_bit(unsigned int nr, unsigned long *addr)
{
	sched_point(SP_FLAGS, addr);
	__atomic_fetch_or(addr, BIT(nr), __ATOMIC_RELAXED);
}

static inline void clear_bit(unsigned int nr, unsigned long *addr)
{
	sched_point(SP_FLAGS, addr);
	__atomic_fetch_and(addr, ~BIT(nr), __ATOMIC_RELAXED);
}

static inline void assign_bit(unsigned int nr, unsigned long *addr, bool value)
{
	if (value)
		set_bit(nr, addr);
	else
		clear_bit(nr, addr);
}

static inline bool test_bit(unsigned int nr, const unsigned long *addr)
{
	return __atomic_load_n(addr, __ATOMIC_RELAXED) & BIT(nr);
}

static inline bool test_and_set_bit(unsigned int nr, unsigned long *addr)
{
	sched_point(SP_FLAGS, addr);
	return __atomic_fetch_or(addr, BIT(nr), __ATOMIC_SEQ_CST) & BIT(nr);
}

static inline bool test_and_clear_bit(unsigned int nr, unsigned long *addr)
{
	sched_point(SP_FLAGS, addr);
	return __atomic_fetch_and(addr, ~BIT(nr), __ATOMIC_SEQ_CST) & BIT(nr);
}

#endif
