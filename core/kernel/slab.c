// SPDX-License-Identifier: MIT
/* kmalloc and friends: malloc plus accounting and fail-the-Nth injection. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slab.h>

/* Uninstrumented counters: they must not order the tasks for TSan. */
static long live;
static unsigned long fail_nth;		/* 0 = off */
static unsigned long fail_hits;

void fault_inject_set_nth(unsigned long nth)
{
	__atomic_store_n(&fail_nth, nth, __ATOMIC_RELAXED);
	__atomic_store_n(&fail_hits, 0, __ATOMIC_RELAXED);
}

unsigned long fault_inject_remaining(void)
{
	return __atomic_load_n(&fail_nth, __ATOMIC_RELAXED);
}

unsigned long fault_inject_hits(void)
{
	return __atomic_load_n(&fail_hits, __ATOMIC_RELAXED);
}

static bool should_fail(void)
{
	unsigned long n = __atomic_load_n(&fail_nth, __ATOMIC_RELAXED);

	while (n) {
		if (__atomic_compare_exchange_n(&fail_nth, &n, n - 1, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			if (n == 1) {
				__atomic_fetch_add(&fail_hits, 1, __ATOMIC_RELAXED);
				return true;
			}
			return false;
		}
	}
	return false;
}

long slab_live_objects(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}

void *kmalloc(size_t size, gfp_t flags)
{
	void *p;

	if (should_fail())
		return NULL;
	p = (flags & __GFP_ZERO) ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
	if (p)
		__atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
	return p;
}

void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size, flags);
}

void kfree(const void *ptr)
{
	if (!ptr)
		return;
	__atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
	free((void *)ptr);
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	return s ? kmemdup(s, strlen(s) + 1, gfp) : NULL;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	p = kmalloc(len + 1, gfp);
	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

/* No .rodata in userspace to tell apart: always copy, always free. */
const char *kstrdup_const(const char *s, gfp_t gfp)
{
	return kstrdup(s, gfp);
}

void kfree_const(const void *ptr)
{
	kfree(ptr);
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *tmp = NULL, *p;

	va_start(ap, fmt);
	if (vasprintf(&tmp, fmt, ap) < 0)
		tmp = NULL;
	va_end(ap);
	if (!tmp)
		return NULL;
	p = kstrdup(tmp, gfp);
	free(tmp);
	return p;
}
