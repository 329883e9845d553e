// SPDX-License-Identifier: MIT
/*
 * Program representation tests (ctest label unit): decode is total,
 * encode/decode and text print/parse round-trip, parse errors say where,
 * sched_seed picks the schedule once the schedule bytes run out, the
 * dictionary's words are well-formed records.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prog/exec.h"
#include "prog/prog.h"

#include "tests/check.h"

static uint64_t rng = 0x1234567;

static uint8_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)rng;
}

static uint8_t buf1[PROG_MAX_BYTES];
static uint8_t buf2[sizeof(buf1)];

static void test_bytes_round_trip(void)
{
	static struct prog a, b;

	for (int iter = 0; iter < 20000; iter++) {
		size_t n = rnd() % 2 ? rnd() % 64 : (rnd() << 4 | rnd() % 16) % 600;
		uint8_t in[600];
		size_t e1, e2;

		for (size_t i = 0; i < n; i++)
			in[i] = rnd();
		prog_decode(&a, in, n);
		e1 = prog_encode(&a, buf1, sizeof(buf1));
		prog_decode(&b, buf1, e1);
		CHECK(!memcmp(&a, &b, sizeof(a)), "decode(encode(decode(x))) differs, input %d", iter);
		e2 = prog_encode(&b, buf2, sizeof(buf2));
		CHECK(e1 == e2 && !memcmp(buf1, buf2, e1), "encoding not stable, input %d", iter);
		if (failures)
			return;
	}
}

static void test_text_round_trip(void)
{
	static struct prog a, b;
	char err[256];

	for (int iter = 0; iter < 5000; iter++) {
		size_t n = 40 + rnd() % 300;
		uint8_t in[400];
		char *text;

		for (size_t i = 0; i < n; i++)
			in[i] = rnd();
		prog_decode(&a, in, n);
		text = prog_to_text(&a);
		CHECK(prog_from_text(&b, text, err, sizeof(err)) == 0, "parse: %s\n%s", err, text);
		CHECK(!memcmp(&a, &b, sizeof(a)), "text round trip differs:\n%s", text);
		free(text);
		if (failures)
			return;
	}
}

static void test_every_op_prints(void)
{
	static struct prog p;
	char *text;

	memset(&p, 0, sizeof(p));
	p.nr_tasks = 1;
	p.max_workers = 1;
	p.max_run = 1;
	p.nr_ops = PROG_NR_OPS;
	for (int i = 0; i < PROG_NR_OPS; i++)
		p.ops[i].op = i;
	prog_normalize(&p);
	text = prog_to_text(&p);
	for (int i = 0; i < PROG_NR_OPS; i++) {
		char needle[64];

		snprintf(needle, sizeof(needle), "t0 %s(", prog_op_table[i].name);
		CHECK(strstr(text, needle), "op %s missing from the text", prog_op_table[i].name);
	}
	free(text);
}

static void expect_error(const char *text, const char *where)
{
	static struct prog p;
	char err[256] = "";

	CHECK(prog_from_text(&p, text, err, sizeof(err)) == -1, "accepted: %s", text);
	CHECK(strstr(err, where), "error '%s' does not say '%s'", err, where);
}

static void test_parse_errors(void)
{
	expect_error("tasks 9\n", "line 1 col 7: tasks 9 out of range 0..4");
	expect_error("tasks 2\nbogus 1\n", "line 2 col 1: unknown keyword 'bogus'");
	expect_error("t0 device_add(dev=9, parent=none, bus=0)\n",
		     "line 1 col 19: dev 9 out of range 0..5");
	expect_error("t0 device_add(dev=0, bus=0)\n", "line 1 col 22: expected 'parent='");
	expect_error("t0 frobnicate()\n", "line 1 col 4: unknown operation 'frobnicate'");
	expect_error("tasks 2\nt0 device_add(dev=1, parent=none, bus=0)\n",
		     "line 2 col 1: device_add on slot 1 runs on its owner task t1");
	expect_error("t3 deferred_trigger()\n", "line 1 col 1: task t3 but the program has 1 tasks");
	expect_error("t0 deferred_trigger()\ntasks 2\n", "line 2 col 1: 'tasks' must come before");
	expect_error("driver 0 probe_type=fast\n", "line 1 col 21: unknown probe type 'fast'");
	expect_error("schedule 0a zz\n", "line 1 col 13: schedule: expected hex bytes");
	expect_error("t0 wait_for_device_probe() trailing\n", "line 1 col 28: unexpected text");
	expect_error("sched_seed 65536\n", "line 1 col 12: sched_seed 65536 out of range 0..65535");
}

static uint64_t fiber_hash(const struct prog *p)
{
	struct exec_opts o = { .backend = SCHED_FIBERS };

	CHECK(prog_exec(p, &o) == 0, "the program reported a finding");
	return sched_trace_hash();
}

/*
 * Two tasks racing a bind against a delete, with no schedule bytes: seed 0
 * is the round-robin tail, each seed its own repeatable random tail.
 */
static void test_sched_seed_picks_the_tail(void)
{
	static const char text[] =
		"tasks 2\n"
		"driver 0 probe_type=async match=name results=0,0,0,0 probe=sleep remove=yield arg=1\n"
		"t0 driver_register(drv=0, bus=0)\n"
		"t1 device_add(dev=1, parent=none, bus=0)\n"
		"t0 unbind(drv=0, dev=1)\n"
		"t0 bind(drv=0, dev=1)\n"
		"t1 device_del(dev=1)\n"
		"t0 driver_unregister(drv=0)\n";
	static struct prog p;
	char err[256];
	uint64_t rr, h[8];
	int differ = 0;

	CHECK(prog_from_text(&p, text, err, sizeof(err)) == 0, "parse: %s", err);
	rr = fiber_hash(&p);
	CHECK(fiber_hash(&p) == rr, "seed 0 is not repeatable");
	for (int i = 0; i < 8; i++) {
		p.sched_seed = (uint16_t)(1 + i * 7919);
		h[i] = fiber_hash(&p);
		CHECK(fiber_hash(&p) == h[i], "seed %u is not repeatable", p.sched_seed);
		differ += h[i] != rr;
	}
	CHECK(differ >= 4, "only %d of 8 seeds changed the interleaving", differ);
}

/*
 * The dictionary's words are records the codec reads back: an op word at
 * an op's place decodes to that op, a behaviour word to that behaviour.
 */
static void test_dict_words_decode(void)
{
	static struct prog_dict_word w[256];
	static struct prog p;
	size_t n = prog_dict(w, 256);
	int ops = 0;

	CHECK(n > PROG_NR_OPS && n < 256, "%zu words", n);
	for (size_t i = 0; i < n; i++) {
		memset(buf1, 0, sizeof(buf1));
		buf1[0] = 1;			/* two tasks */
		buf1[5] = 1;			/* one op */
		if (w[i].kind == PROG_DICT_OP) {
			CHECK(w[i].len == PROG_OP_SIZE, "%s: %zu bytes", w[i].name, w[i].len);
			memcpy(buf1 + PROG_HDR_SIZE, w[i].bytes, w[i].len);
			prog_decode(&p, buf1, PROG_HDR_SIZE + PROG_OP_SIZE);
			CHECK(p.nr_ops == 1 && p.ops[0].op == w[i].id, "%s decodes to op %d",
			      w[i].name, p.ops[0].op);
			CHECK(strstr(w[i].name, prog_op_table[w[i].id].name), "%s", w[i].name);
			ops++;
		} else {
			CHECK(w[i].len == PROG_BEH_SIZE, "%s: %zu bytes", w[i].name, w[i].len);
			memcpy(buf1 + PROG_HDR_FIXED, w[i].bytes, w[i].len);
			prog_decode(&p, buf1, PROG_HDR_SIZE);
			prog_encode(&p, buf2, sizeof(buf2));
			CHECK(!memcmp(buf2 + PROG_HDR_FIXED, w[i].bytes, w[i].len),
			      "%s is not a canonical behaviour", w[i].name);
		}
	}
	CHECK(ops >= PROG_NR_OPS, "only %d op words for %d ops", ops, PROG_NR_OPS);
}

int main(void)
{
	test_bytes_round_trip();
	test_text_round_trip();
	test_every_op_prints();
	test_parse_errors();
	test_sched_seed_picks_the_tail();
	test_dict_words_decode();
	printf("%d checks: %d passed, %d failed\n", checks, checks - failures, failures);
	return failures ? 1 : 0;
}
