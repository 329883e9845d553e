// SPDX-License-Identifier: MIT
/*
 * fuzz_bind_threads: the same programs on real threads, from a pool that
 * is created lazily on the first input and kept (so AFL++'s fork server
 * never forks with threads alive).  Schedule bytes are ignored: the OS
 * interleaves, TSan watches.
 */

#include <stddef.h>
#include <stdint.h>

#include "artifact/artifact.h"
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
	struct exec_opts o = { .backend = SCHED_THREADS, .ignore_schedule = true };

	artifact_set_input(data, size);
	prog_decode(&p, data, size);
	prog_exec(&p, &o);
	return 0;
}
