// SPDX-License-Identifier: MIT
/*
 * The structure-aware mutator as an AFL++ custom mutator library
 * (AFL_CUSTOM_MUTATOR_LIBRARY=libbindrace_afl_mutator.so; scripts/fuzz.sh
 * --engine afl and bench-bugs mode c load it).  AFL++ runs it before its
 * own havoc stage, which does the byte mutations, so none are done here.
 * Built without sanitizers or coverage: afl-fuzz loads it, not the target.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"

/* Out of five, how often a second input is there and gets spliced in. */
#define CROSS_OVER_ODDS	1

struct afl_mutator {
	struct prog_rng rng;
	uint8_t out[PROG_MAX_BYTES];
};

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *data);

void *afl_custom_init(void *afl, unsigned int seed)
{
	struct afl_mutator *m = calloc(1, sizeof(*m));

	(void)afl;
	if (m)
		prog_rng_init(&m->rng, seed);
	return m;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct afl_mutator *m = data;
	size_t cap = max_size < sizeof(m->out) ? max_size : sizeof(m->out);
	unsigned int seed = prog_rng_below(&m->rng, UINT32_MAX);

	if (!prog_mutator_enabled()) {
		*out_buf = buf;
		return buf_size;
	}
	if (add_buf && add_buf_size && prog_rng_below(&m->rng, 5) < CROSS_OVER_ODDS) {
		*out_buf = m->out;
		return prog_cross_over(buf, buf_size, add_buf, add_buf_size, m->out, cap, seed);
	}
	if (buf_size > cap)
		buf_size = cap;
	memcpy(m->out, buf, buf_size);
	*out_buf = m->out;
	return prog_mutate(m->out, buf_size, cap, seed, NULL);
}

void afl_custom_deinit(void *data)
{
	free(data);
}
