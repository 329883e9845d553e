/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_PRINTK_H
#define _BINDRACE_LINUX_PRINTK_H

#include <linux/compiler.h>

/* Goes to stderr only when the log level allows it (bindrace_loglevel). */
__printf(2, 3) void _printk(int level, const char *fmt, ...);

#define LOGLEVEL_ERR	3
#define LOGLEVEL_WARNING 4
#define LOGLEVEL_INFO	6
#define LOGLEVEL_DEBUG	7

#define pr_err(fmt, ...)	_printk(LOGLEVEL_ERR, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	_printk(LOGLEVEL_WARNING, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	_printk(LOGLEVEL_INFO, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	_printk(LOGLEVEL_DEBUG, fmt, ##__VA_ARGS__)

#endif
