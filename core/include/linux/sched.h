/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_SCHED_H
#define _BINDRACE_LINUX_SCHED_H

#include <bindrace/sched.h>
#include <linux/compiler.h>

/* current: the running task of the task layer (NULL outside a run). */
#define current_task_name()	task_name(sched_current())

/* Report a blocking call from atomic context (spinlock, timer callback). */
void __might_sleep(const char *file, int line, const char *func);
#define might_sleep()	__might_sleep(__FILE__, __LINE__, __func__)

/* Atomic context bookkeeping, as preempt_count does. */
void preempt_disable(void);
void preempt_enable(void);
bool in_atomic(void);

static inline void cond_resched(void)
{
	sched_point(SP_SLEEP, NULL);
}

#endif
