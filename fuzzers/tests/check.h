/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_FUZZER_TESTS_CHECK_H
#define _BINDRACE_FUZZER_TESTS_CHECK_H

/* The fuzzers' test programs: count checks, report failures, go on. */

#include <stdio.h>

static int failures, checks;

#define CHECK(cond, ...) do {						\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

#endif
