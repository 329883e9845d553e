// SPDX-License-Identifier: MIT
/*
 * Structure-aware mutator tests (ctest label unit): outputs are canonical
 * programs that fit, one seed gives one output, op mutations leave the
 * schedule alone, arguments prefer slots the program creates, fitting cuts
 * the schedule's tail first, cross-over splices ops, the byte mutator gets
 * its share (the schedule alone, or the whole input) and all of it with
 * BINDRACE_MUTATOR=0, the AFL++ library gives canonical programs and
 * splices its second input, and the libFuzzer hooks cross over rarely.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutator/mutate.h"

#include "tests/check.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint8_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)rng;
}

static uint8_t buf[PROG_MAX_BYTES], again[PROG_MAX_BYTES], canon[PROG_MAX_BYTES];
static struct prog a, b;

static size_t random_input(uint8_t *in, size_t cap)
{
	size_t n = rnd() % 2 ? rnd() % 64 : (rnd() << 4 | rnd() % 16) % cap;

	for (size_t i = 0; i < n; i++)
		in[i] = rnd();
	return n;
}

static void test_outputs_are_canonical_and_fit(void)
{
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = random_input(buf, 900), max = PROG_HDR_SIZE + rnd() * 4, m, m2, c;
		unsigned int seed = rnd() << 8 | rnd();

		if (max < n)
			max = n;
		memcpy(again, buf, n);
		m = prog_mutate(buf, n, max, seed, NULL);
		m2 = prog_mutate(again, n, max, seed, NULL);
		CHECK(m <= max, "input %d: %zu bytes out, max %zu", iter, m, max);
		CHECK(m == m2 && !memcmp(buf, again, m), "input %d: one seed, two outputs", iter);
		prog_decode(&a, buf, m);
		c = prog_encode(&a, canon, sizeof(canon));
		CHECK(c == m && !memcmp(canon, buf, m), "input %d: output not canonical", iter);
		if (failures)
			return;
	}
}

/* A program with every kind of thing to mutate: ops on several tasks, a schedule. */
static void sample_prog(struct prog *p)
{
	uint8_t in[400];

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = rnd();
	in[0] = 3;			/* four tasks */
	in[5] = 20;			/* ops */
	prog_decode(p, in, sizeof(in));
}

static void test_op_mutations_keep_the_schedule(void)
{
	static const enum prog_mutation op_kinds[] = {
		MUT_INSERT_OP, MUT_DELETE_OP, MUT_COPY_OP, MUT_MOVE_OP, MUT_OP_TASK,
		MUT_OP_ARG, MUT_OP_KIND, MUT_BEHAVIOUR,
	};
	struct prog_rng r;

	prog_rng_init(&r, 7);
	for (size_t k = 0; k < sizeof(op_kinds) / sizeof(op_kinds[0]); k++) {
		enum prog_mutation kind = op_kinds[k];
		int changed = 0;

		for (int iter = 0; iter < 200; iter++) {
			int want;

			sample_prog(&a);
			b = a;
			CHECK(prog_mutate_prog(&b, kind, &r), "%s refused a 20-op program",
			      prog_mutation_names[kind]);
			CHECK(b.nr_sched == a.nr_sched && !memcmp(b.sched, a.sched, a.nr_sched),
			      "%s changed the schedule", prog_mutation_names[kind]);
			want = a.nr_ops + (kind == MUT_INSERT_OP || kind == MUT_COPY_OP) -
			       (kind == MUT_DELETE_OP);
			CHECK(b.nr_ops == want, "%s: %d ops, want %d", prog_mutation_names[kind],
			      b.nr_ops, want);
			changed += !!memcmp(&a, &b, sizeof(a));
		}
		/* Some draws give the value a field had (or move an op in place). */
		CHECK(changed >= 100, "%s changed the program %d times in 200",
		      prog_mutation_names[kind], changed);
	}
}

static void test_nothing_to_change_is_refused(void)
{
	struct prog_rng r;

	prog_rng_init(&r, 1);
	prog_decode(&a, NULL, 0);
	b = a;
	CHECK(!prog_mutate_prog(&b, MUT_DELETE_OP, &r), "deleted an op from an empty program");
	CHECK(!prog_mutate_prog(&b, MUT_MOVE_OP, &r), "moved an op of an empty program");
	CHECK(!prog_mutate_prog(&b, MUT_OP_ARG, &r), "changed an argument of no op");
	CHECK(!memcmp(&a, &b, sizeof(a)), "a refused mutation changed the program");
	/* The engine's part is bytes: the program-level entry has nothing for it. */
	CHECK(!prog_mutate_prog(&b, MUT_BYTES, &r), "MUT_BYTES applied to a program");
	CHECK(!prog_mutate_prog(&b, MUT_SCHED_BYTES, &r), "MUT_SCHED_BYTES applied to a program");
}

/* Inserted ops name devices and drivers the program creates, mostly. */
static void test_arguments_prefer_live_slots(void)
{
	int dev_live = 0, dev_all = 0, drv_live = 0, drv_all = 0;
	struct prog_rng r;

	prog_rng_init(&r, 99);
	for (int iter = 0; iter < 3000; iter++) {
		prog_decode(&a, NULL, 0);
		a.nr_tasks = 2;
		a.nr_ops = 3;
		a.ops[0] = (struct prog_op){ .op = OP_DEVICE_ADD, .args = { 2, PROG_NR_DEVS, 0 } };
		a.ops[1] = (struct prog_op){ .op = OP_DEVICE_ADD, .args = { 4, PROG_NR_DEVS, 0 } };
		a.ops[2] = (struct prog_op){ .op = OP_DRIVER_REGISTER, .args = { 1, 0, 0 } };
		prog_normalize(&a);
		b = a;
		prog_mutate_prog(&a, MUT_INSERT_OP, &r);
		/* The inserted op is where the old sequence first differs. */
		int at = 0;

		while (at < b.nr_ops && !memcmp(&a.ops[at], &b.ops[at], sizeof(a.ops[0])))
			at++;
		for (int k = 0; k < 3; k++) {
			const struct prog_op *op = &a.ops[at];
			enum prog_arg_kind kind = prog_op_table[op->op].args[k];

			if (kind == A_DEV) {
				dev_all++;
				dev_live += op->args[k] == 2 || op->args[k] == 4;
			} else if (kind == A_DRV) {
				drv_all++;
				drv_live += op->args[k] == 1;
			}
		}
	}
	/* Uniform picks would give 2/6 and 1/4; the mutator aims at 3/4 and more. */
	CHECK(dev_all > 500 && dev_live * 100 > dev_all * 65,
	      "%d of %d device arguments name added devices", dev_live, dev_all);
	CHECK(drv_all > 200 && drv_live * 100 > drv_all * 65,
	      "%d of %d driver arguments name registered drivers", drv_live, drv_all);
}

/* A generated program is whole: ops in order, later ones on earlier ones' slots. */
static void test_generate_builds_in_order(void)
{
	int live = 0, named = 0, ops = 0;
	struct prog_rng r;

	prog_rng_init(&r, 7);
	for (int iter = 0; iter < 2000; iter++) {
		sample_prog(&a);
		CHECK(prog_mutate_prog(&a, MUT_GENERATE, &r), "generate refused");
		CHECK(a.nr_ops >= 1 && a.nr_ops <= PROG_MAX_OPS && !a.nr_sched,
		      "generated %d ops, %zu schedule bytes", a.nr_ops, a.nr_sched);
		ops += a.nr_ops;
		for (int i = 0; i < a.nr_ops; i++) {
			unsigned int added = 0;

			for (int j = 0; j < i; j++)
				if (a.ops[j].op == OP_DEVICE_ADD)
					added |= 1u << a.ops[j].args[0];
			if (!added || prog_op_table[a.ops[i].op].args[0] != A_DEV)
				continue;
			named++;
			live += !!(added & 1u << a.ops[i].args[0]);
		}
		if (failures)
			return;
	}
	/* One to PROG_MAX_OPS ops, short ones more often: about 13 on average. */
	CHECK(ops > 2000 * 10 && ops < 2000 * 16, "%d ops in 2000 programs", ops);
	/* Slots drawn blind would name an added device far less often. */
	CHECK(named > 2000 && live * 100 > named * 65,
	      "%d of %d device arguments name a device added before", live, named);
}

/* Of 2,000 mutations of a one-byte input (an empty corpus's first), those with more than one op. */
static int whole_programs_from_nothing(void)
{
	int whole = 0;

	for (unsigned int seed = 0; seed < 2000; seed++) {
		buf[0] = '\n';
		prog_decode(&a, buf, prog_mutate(buf, 1, PROG_MAX_BYTES, seed, NULL));
		whole += a.nr_ops > 1;
	}
	return whole;
}

/* An empty corpus's first input gets whole programs, unless BINDRACE_GENERATE=0. */
static void test_small_inputs_get_whole_programs(void)
{
	int whole = whole_programs_from_nothing();

	/* Half by the small-program rule, and MUT_GENERATE's own share. */
	CHECK(whole > 800 && whole < 1250, "%d of 2000 mutations of an empty program made "
	      "more than one op", whole);

	setenv("BINDRACE_GENERATE", "0", 1);
	whole = whole_programs_from_nothing();
	CHECK(!whole, "BINDRACE_GENERATE=0: %d mutations made more than one op", whole);
	CHECK(!prog_generate_enabled(), "BINDRACE_GENERATE=0 leaves it on");
	unsetenv("BINDRACE_GENERATE");
}

static void test_fit_cuts_the_schedule_tail_first(void)
{
	sample_prog(&a);
	a.nr_ops = PROG_MAX_OPS;
	a.nr_sched = 1000;
	for (size_t i = 0; i < a.nr_sched; i++)
		a.sched[i] = (uint8_t)(i * 7);
	b = a;
	prog_fit(&b, PROG_HDR_SIZE + PROG_MAX_OPS * PROG_OP_SIZE + 20);
	CHECK(b.nr_ops == PROG_MAX_OPS && b.nr_sched == 20, "fit kept %d ops, %zu choices",
	      b.nr_ops, b.nr_sched);
	CHECK(!memcmp(a.sched, b.sched, 20), "fit changed the first choices");
	b = a;
	prog_fit(&b, PROG_HDR_SIZE + 10 * PROG_OP_SIZE + 3);
	CHECK(b.nr_ops == 10 && b.nr_sched == 0, "fit kept %d ops, %zu choices", b.nr_ops,
	      b.nr_sched);
	CHECK(prog_encoded_size(&b) <= PROG_HDR_SIZE + 10 * PROG_OP_SIZE + 3, "still too long");
}

static size_t encode_ops(uint8_t *out, enum prog_op_id op, int nr_ops, uint8_t sched)
{
	prog_decode(&a, NULL, 0);
	a.nr_ops = nr_ops;
	for (int i = 0; i < nr_ops; i++)
		a.ops[i] = (struct prog_op){ .op = op, .args = { i % PROG_NR_DEVS } };
	a.nr_sched = 5;
	memset(a.sched, sched, 5);
	prog_normalize(&a);
	return prog_encode(&a, out, PROG_MAX_BYTES);
}

static void test_cross_over_splices_ops(void)
{
	static uint8_t x[PROG_MAX_BYTES], y[PROG_MAX_BYTES], out[PROG_MAX_BYTES];
	size_t nx = encode_ops(x, OP_DEVICE_ADD, 10, 0x11);
	size_t ny = encode_ops(y, OP_READ_UEVENT, 10, 0x22);
	int mixed = 0;

	for (unsigned int seed = 0; seed < 200; seed++) {
		size_t n = prog_cross_over(x, nx, y, ny, out, sizeof(out), seed);
		int i = 0;

		prog_decode(&b, out, n);
		while (i < b.nr_ops && b.ops[i].op == OP_DEVICE_ADD)
			i++;
		CHECK(i <= 10, "seed %u: more of the first parent's ops than it has", seed);
		for (int j = i; j < b.nr_ops; j++)
			CHECK(b.ops[j].op == OP_READ_UEVENT, "seed %u: op %d is from neither tail",
			      seed, j);
		CHECK(b.nr_sched == 5 && b.sched[0] == 0x11, "seed %u: not the first's schedule",
		      seed);
		mixed += i > 0 && i < b.nr_ops;
	}
	CHECK(mixed > 50, "only %d of 200 cross-overs mixed both parents", mixed);
}

static int bytes_calls;
static size_t bytes_size;	/* what the byte mutator was last given */

static size_t count_bytes(uint8_t *data, size_t size, size_t max_size)
{
	(void)max_size;
	bytes_calls++;
	bytes_size = size;
	if (size)
		data[0] ^= 1;
	return size;
}

static void test_byte_mutations_get_their_share(void)
{
	size_t n;

	bytes_calls = 0;
	for (unsigned int seed = 0; seed < 10000; seed++) {
		n = random_input(buf, 600);
		prog_mutate(buf, n, PROG_MAX_BYTES, seed, count_bytes);
	}
	/* MUT_BYTES and MUT_SCHED_BYTES weigh 32 of 117. */
	CHECK(bytes_calls > 2300 && bytes_calls < 3400, "%d byte mutations in 10000",
	      bytes_calls);

	setenv("BINDRACE_MUTATOR", "0", 1);
	bytes_calls = 0;
	for (unsigned int seed = 0; seed < 1000; seed++) {
		n = random_input(buf, 600);
		prog_mutate(buf, n, PROG_MAX_BYTES, seed, count_bytes);
	}
	CHECK(bytes_calls == 1000, "BINDRACE_MUTATOR=0: %d of 1000 went to the engine",
	      bytes_calls);
	CHECK(!prog_mutator_enabled(), "BINDRACE_MUTATOR=0 leaves it on");
	unsetenv("BINDRACE_MUTATOR");
	CHECK(prog_mutator_enabled(), "off without BINDRACE_MUTATOR");
}

/* Byte mutations of the schedule alone leave ops, behaviours and header as they were. */
static void test_schedule_bytes_keep_the_ops(void)
{
	static uint8_t in[PROG_MAX_BYTES];
	size_t n, m;
	int sched_calls = 0;

	sample_prog(&a);
	n = prog_encode(&a, in, sizeof(in));
	for (unsigned int seed = 0; seed < 2000; seed++) {
		memcpy(buf, in, n);
		bytes_size = 0;
		m = prog_mutate(buf, n, PROG_MAX_BYTES, seed, count_bytes);
		if (bytes_size != a.nr_sched)
			continue;	/* not the schedule's byte mutation */
		sched_calls++;
		prog_decode(&b, buf, m);
		CHECK(b.nr_ops == a.nr_ops && !memcmp(b.ops, a.ops, sizeof(a.ops[0]) * a.nr_ops) &&
		      !memcmp(b.beh, a.beh, sizeof(a.beh)) && b.nr_tasks == a.nr_tasks &&
		      b.sched_seed == a.sched_seed, "seed %u: the schedule's bytes changed more", seed);
		CHECK(b.nr_sched == a.nr_sched && b.sched[0] == (a.sched[0] ^ 1) &&
		      !memcmp(b.sched + 1, a.sched + 1, a.nr_sched - 1),
		      "seed %u: the schedule is not the byte mutator's", seed);
	}
	/* 20 of 117, minus the rare whole-input call of the same size. */
	CHECK(sched_calls > 250 && sched_calls < 500, "%d schedule byte mutations in 2000",
	      sched_calls);
}

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *data);

/* The AFL++ library's entry points, as afl-fuzz calls them. */
static void test_afl_custom_mutator(void)
{
	static uint8_t x[PROG_MAX_BYTES], y[PROG_MAX_BYTES];
	size_t nx = encode_ops(x, OP_DEVICE_ADD, 10, 0x11);
	size_t ny = encode_ops(y, OP_READ_UEVENT, 10, 0x22);
	void *m = afl_custom_init(NULL, 5);
	int spliced = 0, changed = 0;

	CHECK(m, "afl_custom_init returned NULL");
	for (int iter = 0; iter < 500; iter++) {
		uint8_t *out = NULL;
		size_t max = 60 + iter, n, c;

		n = afl_custom_fuzz(m, x, nx, &out, y, ny, max);
		CHECK(out && n <= max, "iteration %d: %zu bytes, max %zu", iter, n, max);
		prog_decode(&b, out, n);
		c = prog_encode(&b, canon, sizeof(canon));
		CHECK(c == n && !memcmp(canon, out, n), "iteration %d: output not canonical", iter);
		for (int i = 0; i < b.nr_ops; i++)
			if (b.ops[i].op == OP_READ_UEVENT) {
				spliced++;
				break;
			}
		changed += n != nx || memcmp(out, x, n);
	}
	CHECK(spliced > 20 && spliced < 250, "%d of 500 outputs took ops from add_buf", spliced);
	CHECK(changed > 400, "%d of 500 outputs differ from the input", changed);

	setenv("BINDRACE_MUTATOR", "0", 1);
	{
		uint8_t *out = NULL;
		size_t n = afl_custom_fuzz(m, x, nx, &out, y, ny, PROG_MAX_BYTES);

		CHECK(out == x && n == nx, "BINDRACE_MUTATOR=0: the input changed");
	}
	unsetenv("BINDRACE_MUTATOR");
	afl_custom_deinit(m);
}

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out, unsigned int seed);

/* libFuzzer's, for hooks.c: here the counting stub. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size)
{
	return count_bytes(data, size, max_size);
}

/* The libFuzzer hooks: byte mutations go to LLVMFuzzerMutate, cross-over is rare. */
static void test_libfuzzer_hooks(void)
{
	static uint8_t x[PROG_MAX_BYTES], y[PROG_MAX_BYTES], out[PROG_MAX_BYTES];
	size_t nx = encode_ops(x, OP_DEVICE_ADD, 10, 0x11);
	size_t ny = encode_ops(y, OP_READ_UEVENT, 10, 0x22);
	int made = 0;

	for (unsigned int seed = 0; seed < 8000; seed++)
		made += !!LLVMFuzzerCustomCrossOver(x, nx, y, ny, out, sizeof(out), seed * 2654435761u);
	CHECK(made > 800 && made < 1200, "%d cross-overs made of 8000 asked", made);

	bytes_calls = 0;
	for (unsigned int seed = 0; seed < 2000; seed++) {
		memcpy(buf, x, nx);
		LLVMFuzzerCustomMutator(buf, nx, sizeof(buf), seed);
	}
	CHECK(bytes_calls > 400 && bytes_calls < 750, "%d of 2000 to LLVMFuzzerMutate",
	      bytes_calls);

	setenv("BINDRACE_MUTATOR", "0", 1);
	made = 0;
	for (unsigned int seed = 0; seed < 800; seed++)
		made += !!LLVMFuzzerCustomCrossOver(x, nx, y, ny, out, sizeof(out), seed);
	CHECK(!made, "BINDRACE_MUTATOR=0: %d cross-overs made", made);
	unsetenv("BINDRACE_MUTATOR");
}

int main(void)
{
	unsetenv("BINDRACE_MUTATOR");
	unsetenv("BINDRACE_GENERATE");
	test_outputs_are_canonical_and_fit();
	test_op_mutations_keep_the_schedule();
	test_nothing_to_change_is_refused();
	test_arguments_prefer_live_slots();
	test_generate_builds_in_order();
	test_small_inputs_get_whole_programs();
	test_fit_cuts_the_schedule_tail_first();
	test_cross_over_splices_ops();
	test_byte_mutations_get_their_share();
	test_schedule_bytes_keep_the_ops();
	test_afl_custom_mutator();
	test_libfuzzer_hooks();
	printf("%d checks: %d passed, %d failed\n", checks, checks - failures, failures);
	return failures ? 1 : 0;
}
