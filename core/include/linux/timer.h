/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_TIMER_H
#define _BINDRACE_LINUX_TIMER_H

#include <linux/list.h>

/*
 * Timers in virtual time.  Callbacks run on a timer daemon task in atomic
 * context (as softirqs do): sleeping in one is reported by might_sleep.
 */
struct timer_list {
	struct list_head entry;
	unsigned long expires;		/* jiffies */
	void (*function)(struct timer_list *);
	unsigned long long seq;
	bool pending;
};

#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, __typeof__(*var), timer_fieldname)

void timer_setup(struct timer_list *timer, void (*func)(struct timer_list *),
		 unsigned int flags);
void add_timer(struct timer_list *timer);
int mod_timer(struct timer_list *timer, unsigned long expires);
int del_timer(struct timer_list *timer);
int del_timer_sync(struct timer_list *timer);
bool timer_pending(const struct timer_list *timer);

/* Drop every pending timer (between fuzz runs). */
void timers_reset(void);

#endif
