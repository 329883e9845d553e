/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_MINIMIZE_H
#define _BINDRACE_MINIMIZE_H

#include "../prog/exec.h"

struct minimize_opts {
	/* Signature (or glob) to keep; NULL: the input's own. */
	const char *expect;
	/* How each candidate runs; a candidate fires if any of @runs does. */
	struct exec_opts exec;
	unsigned int runs;
	unsigned int timeout;	/* seconds per run */
	unsigned int budget;	/* seconds for all candidates; 0: no limit */
	bool quiet;
};

/*
 * Shrink @p while its runs keep giving the expected signature: ops first,
 * then tasks, workers, schedule and header options, then behaviours and
 * arguments.  Once @budget is spent it tries no more candidates and keeps
 * the smallest program so far.  Returns 0 with the final signature in @sig,
 * 1 if the input does not give it (its signature in @sig), -1 on a system
 * error.
 */
int prog_minimize(struct prog *p, const struct minimize_opts *mo, char *sig, size_t siglen);

#endif
