/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_COMPLETION_H
#define _BINDRACE_LINUX_COMPLETION_H

#include <linux/list.h>

struct completion {
	unsigned int done;
	struct list_head wait_list;
};

#define COMPLETION_INITIALIZER(work) \
	{ 0, LIST_HEAD_INIT((work).wait_list) }
#define DECLARE_COMPLETION(work) \
	struct completion work = COMPLETION_INITIALIZER(work)

void init_completion(struct completion *x);
void reinit_completion(struct completion *x);
void wait_for_completion(struct completion *x);
/* Returns 0 on timeout, else the remaining jiffies (at least 1). */
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);
void complete(struct completion *x);
void complete_all(struct completion *x);

#endif
