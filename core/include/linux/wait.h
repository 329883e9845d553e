/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_WAIT_H
#define _BINDRACE_LINUX_WAIT_H

#include <linux/list.h>
#include <linux/sched.h>

/*
 * Wait queues.  wait_event() re-checks its condition around a sequence
 * number so that a wake-up between the check and the sleep is not lost.
 */
struct wait_queue_head {
	unsigned long seq;
	struct list_head head;
	const char *name;
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ 0, LIST_HEAD_INIT((name).head), #name }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void __init_waitqueue_head(struct wait_queue_head *wq, const char *name);
#define init_waitqueue_head(wq)	__init_waitqueue_head((wq), #wq)

unsigned long __wait_prepare(struct wait_queue_head *wq);
/* Sleep unless woken since @seq; returns false if the deadline passed. */
bool __wait_sleep(struct wait_queue_head *wq, unsigned long seq, uint64_t deadline);
void __wait_finish(struct wait_queue_head *wq);
uint64_t __wait_deadline(unsigned long timeout_jiffies);

#define wait_event(wq_head, condition) do {				\
	might_sleep();							\
	for (;;) {							\
		unsigned long __seq = __wait_prepare(&(wq_head));	\
		if (condition)						\
			break;						\
		__wait_sleep(&(wq_head), __seq, UINT64_MAX);		\
	}								\
	__wait_finish(&(wq_head));					\
} while (0)

/* Returns 0 if the condition was still false at the timeout, else >= 1. */
#define wait_event_timeout(wq_head, condition, timeout) ({		\
	uint64_t __dl = __wait_deadline(timeout);			\
	long __ret = 1;							\
	might_sleep();							\
	for (;;) {							\
		unsigned long __seq = __wait_prepare(&(wq_head));	\
		if (condition)						\
			break;						\
		if (!__wait_sleep(&(wq_head), __seq, __dl)) {		\
			__ret = (condition) ? 1 : 0;			\
			break;						\
		}							\
	}								\
	__wait_finish(&(wq_head));					\
	__ret;								\
})

void wake_up_all(struct wait_queue_head *wq);
#define wake_up(wq)	wake_up_all(wq)

#endif
