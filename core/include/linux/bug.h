/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_BUG_H
#define _BINDRACE_LINUX_BUG_H

#include <linux/compiler.h>
#include <stdbool.h>

/*
 * WARN and BUG go through the one reporting hook (bindrace/report.h).
 * Titles name the function, not the line, so a signature survives patches.
 */
__printf(5, 6)
void __warn(const char *file, int line, const char *func, const char *cond,
	    const char *fmt, ...);
__printf(5, 6) __attribute__((noreturn))
void __bug(const char *file, int line, const char *func, const char *cond,
	   const char *fmt, ...);

#define WARN_ON(condition) ({						\
	bool __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__warn(__FILE__, __LINE__, __func__, #condition, NULL);	\
	unlikely(__ret_warn_on);					\
})

#define WARN(condition, fmt, ...) ({					\
	bool __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__warn(__FILE__, __LINE__, __func__, #condition,	\
		       fmt, ##__VA_ARGS__);				\
	unlikely(__ret_warn_on);					\
})

#define WARN_ON_ONCE(condition) ({					\
	static bool __warned;						\
	bool __ret_warn_once = !!(condition);				\
	if (unlikely(__ret_warn_once && !__warned)) {			\
		__warned = true;					\
		__warn(__FILE__, __LINE__, __func__, #condition, NULL);	\
	}								\
	unlikely(__ret_warn_once);					\
})

#define WARN_ONCE(condition, fmt, ...) ({				\
	static bool __warned;						\
	bool __ret_warn_once = !!(condition);				\
	if (unlikely(__ret_warn_once && !__warned)) {			\
		__warned = true;					\
		__warn(__FILE__, __LINE__, __func__, #condition,	\
		       fmt, ##__VA_ARGS__);				\
	}								\
	unlikely(__ret_warn_once);					\
})

#define BUG() __bug(__FILE__, __LINE__, __func__, "BUG()", NULL)
#define BUG_ON(condition) do {						\
	if (unlikely(condition))					\
		__bug(__FILE__, __LINE__, __func__, #condition, NULL);	\
} while (0)

#endif
