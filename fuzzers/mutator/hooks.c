// SPDX-License-Identifier: MIT
/*
 * libFuzzer's custom mutator hooks, linked into the libFuzzer builds of both
 * targets (the AFL++ driver does not call them).  With a custom mutator
 * libFuzzer picks between it and the cross-over at random, and its own
 * byte mutations run only through LLVMFuzzerMutate (mutate.c's MUT_BYTES).
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

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out, unsigned int seed)
{
	/* Off for ablation: libFuzzer treats 0 as "no cross-over made". */
	if (!prog_mutator_enabled())
		return 0;
	return prog_cross_over(data1, size1, data2, size2, out, max_out, seed);
}
