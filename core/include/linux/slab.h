/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_SLAB_H
#define _BINDRACE_LINUX_SLAB_H

#include <linux/types.h>

#define GFP_KERNEL	0x1u
#define GFP_ATOMIC	0x2u
#define GFP_NOWAIT	0x4u
#define __GFP_ZERO	0x100u

/*
 * The heap of the model: libc malloc underneath (so ASan sees every use
 * after free), with live accounting and fault injection (fail the Nth).
 */
void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void kfree(const void *ptr);
char *kstrdup(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t max, gfp_t gfp);
const char *kstrdup_const(const char *s, gfp_t gfp);
void kfree_const(const void *ptr);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
__attribute__((format(printf, 2, 3)))
char *kasprintf(gfp_t gfp, const char *fmt, ...);

/* Fault injection: fail the @nth allocation from now on (1 = next); 0 = off. */
void fault_inject_set_nth(unsigned long nth);
unsigned long fault_inject_remaining(void);
/* How many allocations failed on purpose since the last reset. */
unsigned long fault_inject_hits(void);

/* Allocations made with kmalloc and not yet freed. */
long slab_live_objects(void);
/*
 * Clean-up of a run cancelled by a deadlock: slab_mark() before the run,
 * then, after driver_core_reset(), free every object allocated since the
 * mark and still live.  Only valid when nothing outside the run points
 * into them.
 */
unsigned long slab_mark(void);
void slab_reclaim_since(unsigned long mark);

#endif
