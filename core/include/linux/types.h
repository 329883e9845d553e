/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_TYPES_H
#define _BINDRACE_LINUX_TYPES_H

/* glibc pulls in the uapi header of the same name; keep it visible. */
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef unsigned int gfp_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#endif
