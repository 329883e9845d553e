/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_COMPILER_H
#define _BINDRACE_LINUX_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define __must_check	__attribute__((warn_unused_result))
#define __maybe_unused	__attribute__((unused))
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define noinline	__attribute__((noinline))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define barrier()	__asm__ __volatile__("" ::: "memory")

/*
 * Marked accesses.  The kernel uses volatile; KCSAN treats marked accesses
 * as intentional.  TSan would flag a volatile pair, so use relaxed atomics:
 * same code generation on x86, and TSan agrees with KCSAN about them.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif
