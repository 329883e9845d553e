/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_SIGNATURE_H
#define _BINDRACE_SIGNATURE_H

#include <stdbool.h>
#include <stdio.h>

#define SIGNATURE_MAX	512

/*
 * The signature of the first finding in a run's output: bindrace's own
 * report line ("KIND: what at f1 < f2 < f3"), else "ASAN: kind ACCESS in
 * f1 < f2 < f3", "TSAN: data race at f1 < f2 vs g1 < g2" (the pair in a
 * fixed order), "UBSAN: ...", "LIBFUZZER: ..."; numbers masked (N, ADDR),
 * slot numbers too ("devN", "drvN": lock classes carry device names).
 * An ASan stack overflow through recursion is "ASAN: stack-overflow in F",
 * F the function that recurs.
 * Returns 0, or 1 with "UNREPRODUCED" if the output shows no finding.
 */
int signature_of_stream(FILE *f, char *out, size_t len);
/* As above for a file; -1 if it cannot be read. */
int signature_of_file(const char *path, char *out, size_t len);
/* @expect is the signature itself or a glob (fnmatch) over it. */
bool signature_matches(const char *expect, const char *sig);

#endif
