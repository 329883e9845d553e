/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_DELAY_H
#define _BINDRACE_LINUX_DELAY_H

/* Sleeps in virtual time: free, and the same in every run. */
void msleep(unsigned int msecs);
void usleep_range(unsigned long min, unsigned long max);

#endif
