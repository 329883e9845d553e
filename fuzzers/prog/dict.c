// SPDX-License-Identifier: MIT
/*
 * The fuzzers' dictionary (libFuzzer -dict, AFL++ -x), made from the
 * tables through the codec: whole op records and driver behaviour records,
 * so that an inserted or overwritten word is a well-formed op or behaviour.
 * `bindrace dict` prints it; the build writes it next to each fuzz target,
 * as OSS-Fuzz lays out $OUT.
 */

#include <stdio.h>
#include <string.h>

#include "prog.h"

static struct prog dp;
static uint8_t dbuf[PROG_MAX_BYTES];

static void dict_reset(void)
{
	memset(&dp, 0, sizeof(dp));
	dp.nr_tasks = 2;
	dp.max_workers = 1;
	dp.max_run = 1;
}

static size_t dict_add(struct prog_dict_word *w, size_t n, size_t cap, int kind, int id,
		       const char *name, size_t off, size_t len)
{
	if (n >= cap)
		return n;
	prog_encode(&dp, dbuf, sizeof(dbuf));
	w[n].kind = kind;
	w[n].id = id;
	snprintf(w[n].name, sizeof(w[n].name), "%s", name);
	memcpy(w[n].bytes, dbuf + off, len);
	w[n].len = len;
	return n + 1;
}

size_t prog_dict(struct prog_dict_word *w, size_t cap)
{
	char name[sizeof(w->name)];
	size_t n = 0;

	/* Each op on task 0 and 1 (lifecycle ops only on their owner). */
	for (int op = 0; op < PROG_NR_OPS; op++) {
		for (int t = 0; t < 2; t++) {
			dict_reset();
			dp.nr_ops = 1;
			dp.ops[0].op = op;
			dp.ops[0].task = t;
			dp.ops[0].args[1] = 1;
			prog_normalize(&dp);
			if (dp.ops[0].task != t)
				continue;
			snprintf(name, sizeof(name), "op_%s_t%d", prog_op_table[op].name, t);
			n = dict_add(w, n, cap, PROG_DICT_OP, op, name, PROG_HDR_SIZE, PROG_OP_SIZE);
		}
	}
	/* Driver behaviours: each action in probe and in remove ... */
	for (int a = 1; a < PROG_NR_ACTIONS; a++) {
		dict_reset();
		dp.beh[0].probe_action = a;
		dp.beh[0].action_arg = 1;
		snprintf(name, sizeof(name), "probe_%s", prog_action_names[a]);
		n = dict_add(w, n, cap, PROG_DICT_BEH, a, name, PROG_HDR_FIXED, PROG_BEH_SIZE);
		dict_reset();
		dp.beh[0].remove_action = a;
		dp.beh[0].action_arg = 1;
		snprintf(name, sizeof(name), "remove_%s", prog_action_names[a]);
		n = dict_add(w, n, cap, PROG_DICT_BEH, a, name, PROG_HDR_FIXED, PROG_BEH_SIZE);
	}
	/* ... and each probe type with each match kind. */
	for (int t = 0; t < PROG_NR_PROBE_TYPES; t++) {
		for (int m = 0; m < PROG_NR_MATCH; m++) {
			dict_reset();
			dp.beh[0].probe_type = t;
			dp.beh[0].match = m;
			snprintf(name, sizeof(name), "driver_%s_%s", prog_probe_type_names[t],
				 prog_match_names[m]);
			n = dict_add(w, n, cap, PROG_DICT_BEH, t * PROG_NR_MATCH + m, name,
				     PROG_HDR_FIXED, PROG_BEH_SIZE);
		}
	}
	return n;
}
