// SPDX-License-Identifier: MIT
/*
 * fuzz_bind: programs on the fiber backend; the input's schedule bytes pick
 * the interleaving, so every finding replays exactly.  Interleaving
 * feedback (reads-from and lock-order pairs, model-state samples) goes to
 * libFuzzer's extra counters; BINDRACE_FEEDBACK=0 turns it off (ablation,
 * feedback.c).
 */

#include <stddef.h>
#include <stdint.h>

#include "artifact/artifact.h"
#include "feedback.h"
#include "prog/exec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	artifact_init(*argc, *argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct prog p;
	struct exec_opts o = { .backend = SCHED_FIBERS };

	artifact_set_input(data, size);
	prog_decode(&p, data, size);
	if (feedback_enabled()) {
		feedback_reset();
		o.trace = feedback_point;
		o.event = feedback_event;
	}
	prog_exec(&p, &o);
	return 0;
}
