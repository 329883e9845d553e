/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_ERRNO_H
#define _BINDRACE_LINUX_ERRNO_H

/* glibc's <bits/errno.h> includes this name: chain to the uapi header. */
#include_next <linux/errno.h>

/* Kernel-internal codes, never seen by userspace (include/linux/errno.h). */
#define ERESTARTSYS	512
#define ENOTSUPP	524
#define EPROBE_DEFER	517

#endif
