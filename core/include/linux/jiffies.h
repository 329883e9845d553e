/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_JIFFIES_H
#define _BINDRACE_LINUX_JIFFIES_H

#include <bindrace/sched.h>

/* HZ=1000: a jiffy is a millisecond of virtual time. */
#define HZ			1000
#define NSEC_PER_JIFFY		1000000ULL
#define MAX_JIFFY_OFFSET	((unsigned long)(~0UL >> 1))
#define jiffies			((unsigned long)(sched_clock_ns() / NSEC_PER_JIFFY))

static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	return m;
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)j;
}

#endif
