/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_MUTATE_H
#define _BINDRACE_MUTATE_H

/*
 * The structure-aware mutator: decodes an input into its program, changes
 * one thing a program has (an op, an argument, a driver behaviour, a
 * header field, the schedule) and encodes it again.  Byte mutations of the
 * raw input mostly land on op fields that decode into an unrelated op or
 * on slots nothing created; these mutations keep the program's shape and
 * pick slots that the program's own ops create.  Races hang on the
 * schedule, so a third of the mutations change only the schedule bytes,
 * half of those with the engine's byte mutator on them alone; a share of
 * calls still gives the whole input to the byte mutator (dictionary).
 * A few mutations, and half of those of a program under four ops (an empty
 * corpus's first inputs), generate a whole program instead, as syzkaller
 * does.
 *
 * The fuzz targets wire this to LLVMFuzzerCustomMutator and
 * LLVMFuzzerCustomCrossOver (hooks.c); BINDRACE_MUTATOR=0 turns it off for
 * ablation (scripts/bench-bugs mode g).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prog/prog.h"

/* The engine's byte mutator, as LLVMFuzzerMutate. */
typedef size_t (*prog_bytes_fn)(uint8_t *data, size_t size, size_t max_size);

/* The mutation kinds, in the order their weights are listed (mutate.c). */
#define MUTATIONS(X)					\
	X(MUT_INSERT_OP, "insert_op", 16)		\
	X(MUT_DELETE_OP, "delete_op", 8)		\
	X(MUT_COPY_OP, "copy_op", 6)			\
	X(MUT_MOVE_OP, "move_op", 5)			\
	X(MUT_OP_TASK, "op_task", 5)			\
	X(MUT_OP_ARG, "op_arg", 12)			\
	X(MUT_OP_KIND, "op_kind", 3)			\
	X(MUT_BEHAVIOUR, "behaviour", 8)		\
	X(MUT_HEADER, "header", 4)			\
	X(MUT_SCHEDULE, "schedule", 14)			\
	X(MUT_GENERATE, "generate", 4)			\
	X(MUT_SCHED_BYTES, "schedule_bytes", 20)	\
	X(MUT_BYTES, "bytes", 12)

#define __MUT_ENUM(id, name, weight) id,
enum prog_mutation { MUTATIONS(__MUT_ENUM) PROG_NR_MUTATIONS };
#undef __MUT_ENUM

extern const char *const prog_mutation_names[PROG_NR_MUTATIONS];

/* A small PRNG, so that one seed gives one mutation on every platform. */
struct prog_rng {
	uint64_t s;
};

void prog_rng_init(struct prog_rng *r, uint64_t seed);
uint32_t prog_rng_below(struct prog_rng *r, uint32_t n);

/*
 * Apply mutation @kind to @p in place (MUT_BYTES and MUT_SCHED_BYTES
 * excepted: the engine's byte mutator does those).  Returns false when the program has nothing that kind could
 * change (no op to delete, ...), leaving @p as it was.  Op and behaviour
 * mutations leave the schedule bytes as they were.
 */
bool prog_mutate_prog(struct prog *p, enum prog_mutation kind, struct prog_rng *r);

/* Drop schedule bytes, then ops, until the encoding fits @max_size. */
void prog_fit(struct prog *p, size_t max_size);

/*
 * LLVMFuzzerCustomMutator's contract: mutate @data (@size bytes, room for
 * @max_size) and return the new size.  @bytes may be NULL (no byte
 * mutations).
 */
size_t prog_mutate(uint8_t *data, size_t size, size_t max_size, unsigned int seed,
		   prog_bytes_fn bytes);

/*
 * LLVMFuzzerCustomCrossOver's: the header, behaviours and schedule of one
 * parent, its ops up to a cut, then the other's ops from a cut.
 */
size_t prog_cross_over(const uint8_t *data1, size_t size1, const uint8_t *data2,
		       size_t size2, uint8_t *out, size_t max_out, unsigned int seed);

/* False when BINDRACE_MUTATOR=0 is set. */
bool prog_mutator_enabled(void);

/* False when BINDRACE_GENERATE=0 is set: no MUT_GENERATE (bench-bugs mode i). */
bool prog_generate_enabled(void);

#endif
