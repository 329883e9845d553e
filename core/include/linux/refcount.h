/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_REFCOUNT_H
#define _BINDRACE_LINUX_REFCOUNT_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <limits.h>

/*
 * refcount_t: an increment from zero (use after release) and a decrement
 * below zero (underflow) are reported and the counter saturates, as in
 * lib/refcount.c.
 */
typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n) }
#define REFCOUNT_SATURATED	(INT_MIN / 2)

enum refcount_saturation_type {
	REFCOUNT_ADD_NOT_ZERO_OVF,
	REFCOUNT_ADD_OVF,
	REFCOUNT_ADD_UAF,
	REFCOUNT_SUB_UAF,
	REFCOUNT_DEC_LEAK,
};

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t);

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return (unsigned int)atomic_read(&r->refs);
}

static inline void refcount_inc(refcount_t *r)
{
	int old = atomic_fetch_add(1, &r->refs);

	if (unlikely(!old))
		refcount_warn_saturate(r, REFCOUNT_ADD_UAF);
	else if (unlikely(old < 0 || old + 1 < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_OVF);
}

static inline bool refcount_inc_not_zero(refcount_t *r)
{
	int old = atomic_read(&r->refs);

	do {
		if (!old)
			return false;
	} while (!atomic_try_cmpxchg(&r->refs, &old, old + 1));
	return true;
}

static inline __must_check bool refcount_dec_and_test(refcount_t *r)
{
	int old = atomic_fetch_sub(1, &r->refs);

	if (old == 1)
		return true;
	if (unlikely(old <= 0))
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

static inline void refcount_dec(refcount_t *r)
{
	if (unlikely(atomic_fetch_sub(1, &r->refs) <= 1))
		refcount_warn_saturate(r, REFCOUNT_DEC_LEAK);
}

#endif
