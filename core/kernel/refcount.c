// SPDX-License-Identifier: MIT
/* refcount_t misuse reports (lib/refcount.c). */

#include <bindrace/report.h>
#include <bindrace/sched.h>
#include <linux/refcount.h>

static const char *const what[] = {
	[REFCOUNT_ADD_NOT_ZERO_OVF] = "saturated; leaking memory",
	[REFCOUNT_ADD_OVF] = "saturated; leaking memory",
	[REFCOUNT_ADD_UAF] = "addition on 0; use-after-free",
	[REFCOUNT_SUB_UAF] = "underflow; use-after-free",
	[REFCOUNT_DEC_LEAK] = "decrement hit 0; leaking memory",
};

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	refcount_set(r, REFCOUNT_SATURATED);
	bindrace_report(REPORT_REFCOUNT, what[t],
			"refcount_t: %s (object %p, task %s)\n", what[t], (void *)r,
			task_name(sched_current()));
}
