// SPDX-License-Identifier: MIT
/* kmalloc and friends: malloc plus accounting and fail-the-Nth injection. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slab.h>
#include "../sched/rawlock.h"

/*
 * Every object carries a header on a list of live objects, so that after
 * a cancelled run (a deadlock the caller chose to survive) everything the
 * run allocated can be reclaimed once global state is reset.
 */
struct slab_hdr {
	struct slab_hdr *prev, *next;
	unsigned long seq;
	unsigned long __pad;	/* keep the object 16-byte aligned */
};

static struct slab_hdr live_list = { &live_list, &live_list, 0, 0 };
/*
 * The list is the runtime's and uninstrumented: a raw_mutex, not hidden
 * from TSan (an ignore region costs a stack-depot insertion per kmalloc),
 * except where it calls free() (slab_reclaim_since).
 */
static uint32_t live_lock;
static unsigned long alloc_seq;

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
	long n;

	raw_mutex_lock(&live_lock);
	n = live;
	raw_mutex_unlock(&live_lock);
	return n;
}

void *kmalloc(size_t size, gfp_t flags)
{
	size_t total = sizeof(struct slab_hdr) + (size ? size : 1);
	struct slab_hdr *h;

	if (should_fail())
		return NULL;
	h = (flags & __GFP_ZERO) ? calloc(1, total) : malloc(total);
	if (!h)
		return NULL;
	raw_mutex_lock(&live_lock);
	h->seq = ++alloc_seq;
	h->next = live_list.next;
	h->prev = &live_list;
	live_list.next->prev = h;
	live_list.next = h;
	live++;
	raw_mutex_unlock(&live_lock);
	return h + 1;
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
	struct slab_hdr *h;

	if (!ptr)
		return;
	h = (struct slab_hdr *)ptr - 1;
	raw_mutex_lock(&live_lock);
	h->prev->next = h->next;
	h->next->prev = h->prev;
	live--;
	raw_mutex_unlock(&live_lock);
	free(h);
}

unsigned long slab_mark(void)
{
	unsigned long seq;

	raw_mutex_lock(&live_lock);
	seq = alloc_seq;
	raw_mutex_unlock(&live_lock);
	return seq;
}

void slab_reclaim_since(unsigned long mark)
{
	struct slab_hdr *h, *n;

	rawlock_lock(&live_lock);
	for (h = live_list.next; h != &live_list; h = n) {
		n = h->next;
		if (h->seq <= mark)
			continue;
		h->prev->next = h->next;
		h->next->prev = h->prev;
		live--;
		free(h);
	}
	rawlock_unlock(&live_lock);
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
