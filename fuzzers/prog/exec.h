/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_EXEC_H
#define _BINDRACE_EXEC_H

#include <bindrace/sched.h>
#include "prog.h"

struct exec_opts {
	enum sched_backend backend;
	/*
	 * Fibers: follow the program's schedule bytes, then this seed; 0
	 * leaves it to the program's sched_seed (0 there too: round-robin).
	 */
	uint64_t seed;
	/* Ignore the program's schedule bytes (random-schedule baselines). */
	bool ignore_schedule;
	/*
	 * The same ops one after another: one program task, no schedule
	 * bytes, the longest runs (the scheduler-overhead baseline).
	 */
	bool sequential;
	/* Observer of every schedule point (trace, interleaving feedback). */
	sched_trace_fn trace;
	/* Observer of ops and driver callbacks: begin (true) and end (false). */
	void (*event)(const char *what, const char *detail, bool begin);
};

/* Called by exec and the fuzz drivers; a no-op unless an observer is set. */
void exec_event(const char *what, const char *detail, bool begin);

/* One-time bring-up of the model and the fuzz buses (idempotent). */
void exec_init(void);

/*
 * Run @p, quiesce, tear everything down and check the model's invariants
 * and accounting.  Findings go through the report hook (by default: print
 * the signature line, the details, and abort).  Returns 0 if the run was
 * clean, non-zero if a finding was reported and the hook returned.
 */
int prog_exec(const struct prog *p, const struct exec_opts *o);

#endif
