/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_SCHED_SAN_H
#define _BINDRACE_SCHED_SAN_H

/*
 * Sanitizer hooks.  The runtime files (sched/, kernel/ primitives) are built
 * without TSan instrumentation, so __has_feature cannot tell us; the build
 * passes BINDRACE_TSAN / BINDRACE_ASAN for the whole program.
 */

#ifdef BINDRACE_TSAN
#include <sanitizer/tsan_interface.h>
#define tsan_acquire(addr)	__tsan_acquire((void *)(addr))
#define tsan_release(addr)	__tsan_release((void *)(addr))
/*
 * libc calls (snprintf, memcpy, realloc) are intercepted even from
 * uninstrumented files; bookkeeping regions hide them from TSan too.
 */
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
void AnnotateIgnoreWritesBegin(const char *file, int line);
void AnnotateIgnoreWritesEnd(const char *file, int line);
#define tsan_ignore_begin() do {					\
	AnnotateIgnoreReadsBegin(__FILE__, __LINE__);			\
	AnnotateIgnoreWritesBegin(__FILE__, __LINE__);			\
} while (0)
#define tsan_ignore_end() do {						\
	AnnotateIgnoreWritesEnd(__FILE__, __LINE__);			\
	AnnotateIgnoreReadsEnd(__FILE__, __LINE__);			\
} while (0)
#else
#define tsan_ignore_begin()	do { } while (0)
#define tsan_ignore_end()	do { } while (0)
#define tsan_acquire(addr)	do { (void)(addr); } while (0)
#define tsan_release(addr)	do { (void)(addr); } while (0)
#endif

#ifdef BINDRACE_ASAN
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/asan_interface.h>
#endif

#endif
