// SPDX-License-Identifier: MIT
/*
 * libFuzzer's custom mutator hooks, linked into the libFuzzer builds of both
 * targets (the AFL++ driver does not call them).  With a custom mutator
 * libFuzzer picks between it and the cross-over at random, and its own
 * byte mutations run only through LLVMFuzzerMutate (mutate.c's MUT_BYTES
 * and MUT_SCHED_BYTES).
 */

#include <stddef.h>
#include <stdint.h>

#include "mutate.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out, unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	return prog_mutate(data, size, max_size, seed, LLVMFuzzerMutate);
}

/*
 * libFuzzer picks the cross-over as often as the mutator, and on 0 ("none
 * made") picks again: declining 7 times in 8 leaves it about one
 * mutation in nine.  At one in two, the schedule races of bench-bugs came
 * slower than with libFuzzer's byte mutations alone.
 */
#define CROSS_OVER_ONE_IN	8

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out, unsigned int seed)
{
	/* Off for ablation, too: libFuzzer's own cross-over is in LLVMFuzzerMutate. */
	if (!prog_mutator_enabled() || seed % CROSS_OVER_ONE_IN)
		return 0;
	return prog_cross_over(data1, size1, data2, size2, out, max_out, seed / CROSS_OVER_ONE_IN);
}
