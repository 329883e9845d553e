/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_ATOMIC_H
#define _BINDRACE_LINUX_ATOMIC_H

#include <linux/types.h>
#include <bindrace/sched.h>

/*
 * Kernel memory-ordering rules: void RMW ops and plain read/set are
 * unordered; value-returning RMW ops are fully ordered.  Every RMW is a
 * schedule point, so a fiber run can interleave right before it.
 */
#define ATOMIC_INIT(i)	{ (i) }

static inline int atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline void atomic_add(int i, atomic_t *v)
{
	sched_point(SP_ATOMIC, v);
	__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);
}

static inline void atomic_sub(int i, atomic_t *v)
{
	sched_point(SP_ATOMIC, v);
	__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED);
}

#define atomic_inc(v)	atomic_add(1, (v))
#define atomic_dec(v)	atomic_sub(1, (v))

static inline int atomic_add_return(int i, atomic_t *v)
{
	sched_point(SP_ATOMIC, v);
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);
}

static inline int atomic_fetch_add(int i, atomic_t *v)
{
	sched_point(SP_ATOMIC, v);
	return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST);
}

static inline int atomic_fetch_sub(int i, atomic_t *v)
{
	sched_point(SP_ATOMIC, v);
	return __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST);
}

#define atomic_sub_return(i, v)	atomic_add_return(-(i), (v))
#define atomic_inc_return(v)	atomic_add_return(1, (v))
#define atomic_dec_return(v)	atomic_add_return(-1, (v))
#define atomic_dec_and_test(v)	(atomic_dec_return(v) == 0)

static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{
	sched_point(SP_ATOMIC, v);
	__atomic_compare_exchange_n(&v->counter, &old, new, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

static inline bool atomic_try_cmpxchg(atomic_t *v, int *old, int new)
{
	sched_point(SP_ATOMIC, v);
	return __atomic_compare_exchange_n(&v->counter, old, new, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

#endif
