/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_STRESS_H
#define _BINDRACE_STRESS_H

#include "../prog/exec.h"

struct stress_opts {
	struct exec_opts exec;	/* backend; observers unused */
	uint64_t seed;		/* 0: from the clock */
	unsigned int seconds;
	bool stop_on_finding;	/* with a non-aborting report hook */
	bool quiet;
};

/* Random programs until the time is up; 1 if any run had a finding. */
int stress_run(const struct stress_opts *so);

#endif
