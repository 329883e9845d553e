// SPDX-License-Identifier: MIT
/*
 * The text form of programs, syzkaller-like: one op per line, its task
 * first, arguments named.  prog_to_text() and prog_from_text() are exact
 * inverses on normalized programs.
 */

#include <ctype.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prog.h"

#define NR_LINK_FLAG_SETS	6

static const char *const flag_names[] = { "sync_fallback", "test_remove" };

static void print_arg(FILE *f, enum prog_arg_kind kind, unsigned int v)
{
	const char *name = prog_arg_table[kind].name;

	switch (kind) {
	case A_PARENT:
		if (v == PROG_NR_DEVS)
			fprintf(f, "%s=none", name);
		else
			fprintf(f, "%s=%u", name, v);
		break;
	case A_DRV_OR_NONE:
		if (v == PROG_NR_DRVS)
			fprintf(f, "%s=none", name);
		else
			fprintf(f, "%s=%u", name, v);
		break;
	case A_LINKFLAGS:
		fprintf(f, "%s=%s", name, prog_link_flag_names[v]);
		break;
	default:
		fprintf(f, "%s=%u", name, v);
		break;
	}
}

char *prog_to_text(const struct prog *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bool any = false;

	if (!f)
		return NULL;
	fprintf(f, "# bindrace program\n");
	fprintf(f, "tasks %u\nworkers %u\nmax_run %u\nfail_nth %u\nflags ",
		p->nr_tasks, p->max_workers, p->max_run, p->fail_nth);
	for (unsigned int i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (p->flags & (1u << i)) {
			fprintf(f, "%s%s", any ? "," : "", flag_names[i]);
			any = true;
		}
	}
	fprintf(f, "%s\n", any ? "" : "none");
	if (p->sched_seed)
		fprintf(f, "sched_seed %u\n", p->sched_seed);
	for (int d = 0; d < PROG_NR_DRVS; d++) {
		const struct prog_behaviour *b = &p->beh[d];

		fprintf(f, "driver %d probe_type=%s match=%s results=", d,
			prog_probe_type_names[b->probe_type], prog_match_names[b->match]);
		for (int i = 0; i < PROG_NR_RESULT_SEQ; i++)
			fprintf(f, "%s%s", i ? "," : "", prog_result_names[b->results[i]]);
		fprintf(f, " probe=%s remove=%s arg=%u\n", prog_action_names[b->probe_action],
			prog_action_names[b->remove_action], b->action_arg);
	}
	for (int i = 0; i < p->nr_ops; i++) {
		const struct prog_op *op = &p->ops[i];
		const struct prog_op_desc *d = &prog_op_table[op->op];
		bool first = true;

		fprintf(f, "t%u %s(", op->task, d->name);
		for (int a = 0; a < 3; a++) {
			if (d->args[a] == A_NONE)
				continue;
			if (!first)
				fprintf(f, ", ");
			print_arg(f, d->args[a], op->args[a]);
			first = false;
		}
		fprintf(f, ")\n");
	}
	for (size_t i = 0; i < p->nr_sched; i++)
		fprintf(f, "%s%02x%s", i % 32 ? "" : "schedule ", p->sched[i],
			i % 32 == 31 || i + 1 == p->nr_sched ? "\n" : " ");
	fclose(f);
	return buf;
}

/* ---- parser ---- */

struct parser {
	const char *line_start;
	const char *pos;
	int line;
	char *err;
	size_t errlen;
	bool failed;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *ps, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (ps->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "line %d col %d: %s", ps->line,
		 (int)(ps->pos - ps->line_start) + 1, msg);
	ps->failed = true;
	return -1;
}

static void skip_spaces(struct parser *ps)
{
	while (*ps->pos == ' ' || *ps->pos == '\t')
		ps->pos++;
}

static bool at_end(struct parser *ps)
{
	skip_spaces(ps);
	return !*ps->pos || *ps->pos == '\n' || *ps->pos == '#';
}

/* A word of [A-Za-z0-9_-]; returns its length (0 if none). */
static size_t word(struct parser *ps, char *out, size_t cap)
{
	size_t n = 0;

	skip_spaces(ps);
	while (isalnum((unsigned char)ps->pos[n]) || ps->pos[n] == '_' || ps->pos[n] == '-') {
		if (n + 1 < cap)
			out[n] = ps->pos[n];
		n++;
	}
	out[n < cap ? n : cap - 1] = 0;
	return n;
}

static int expect_word(struct parser *ps, char *out, size_t cap, const char *what)
{
	size_t n = word(ps, out, cap);

	if (!n)
		return fail(ps, "expected %s", what);
	ps->pos += n;
	return 0;
}

static int expect_char(struct parser *ps, char c)
{
	skip_spaces(ps);
	if (*ps->pos != c)
		return fail(ps, "expected '%c'", c);
	ps->pos++;
	return 0;
}

static int number(struct parser *ps, unsigned int max, unsigned int *out, const char *what)
{
	char w[32], *end;
	unsigned long v;
	const char *start;

	skip_spaces(ps);
	start = ps->pos;
	if (expect_word(ps, w, sizeof(w), what))
		return -1;
	v = strtoul(w, &end, 0);
	if (*end || !isdigit((unsigned char)w[0])) {
		ps->pos = start;
		return fail(ps, "%s: '%s' is not a number", what, w);
	}
	if (v > max) {
		ps->pos = start;
		return fail(ps, "%s %lu out of range 0..%u", what, v, max);
	}
	*out = (unsigned int)v;
	return 0;
}

/* Look @w up in @names; -1 if absent. */
static int lookup(const char *const *names, int n, const char *w)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], w))
			return i;
	return -1;
}

static int name_value(struct parser *ps, const char *const *names, int n,
		      const char *what, unsigned int *out)
{
	const char *start;
	char w[64];
	int v;

	skip_spaces(ps);
	start = ps->pos;
	if (expect_word(ps, w, sizeof(w), what))
		return -1;
	v = lookup(names, n, w);
	if (v < 0) {
		ps->pos = start;
		return fail(ps, "unknown %s '%s'", what, w);
	}
	*out = (unsigned int)v;
	return 0;
}

static int expect_key(struct parser *ps, const char *key)
{
	const char *start;
	char w[32];

	skip_spaces(ps);
	start = ps->pos;
	if (expect_word(ps, w, sizeof(w), key))
		return -1;
	if (strcmp(w, key)) {
		ps->pos = start;
		return fail(ps, "expected '%s=', found '%s'", key, w);
	}
	return expect_char(ps, '=');
}

static int parse_driver(struct parser *ps, struct prog *p)
{
	struct prog_behaviour *b;
	unsigned int d, v;

	if (number(ps, PROG_NR_DRVS - 1, &d, "driver slot"))
		return -1;
	b = &p->beh[d];
	if (expect_key(ps, "probe_type") ||
	    name_value(ps, prog_probe_type_names, PROG_NR_PROBE_TYPES, "probe type", &v))
		return -1;
	b->probe_type = v;
	if (expect_key(ps, "match") ||
	    name_value(ps, prog_match_names, PROG_NR_MATCH, "match kind", &v))
		return -1;
	b->match = v;
	if (expect_key(ps, "results"))
		return -1;
	for (int i = 0; i < PROG_NR_RESULT_SEQ; i++) {
		if (i && expect_char(ps, ','))
			return -1;
		if (name_value(ps, prog_result_names, PROG_NR_RESULTS, "probe result", &v))
			return -1;
		b->results[i] = v;
	}
	if (expect_key(ps, "probe") ||
	    name_value(ps, prog_action_names, PROG_NR_ACTIONS, "action", &v))
		return -1;
	b->probe_action = v;
	if (expect_key(ps, "remove") ||
	    name_value(ps, prog_action_names, PROG_NR_ACTIONS, "action", &v))
		return -1;
	b->remove_action = v;
	if (expect_key(ps, "arg") || number(ps, 255, &v, "arg"))
		return -1;
	b->action_arg = v;
	return 0;
}

static int parse_arg(struct parser *ps, enum prog_arg_kind kind, uint8_t *out)
{
	unsigned int v;
	char w[32];
	const char *start;

	if (expect_key(ps, prog_arg_table[kind].name))
		return -1;
	skip_spaces(ps);
	start = ps->pos;
	if (kind == A_LINKFLAGS) {
		if (name_value(ps, prog_link_flag_names, NR_LINK_FLAG_SETS, "link flags", &v))
			return -1;
	} else if ((kind == A_PARENT || kind == A_DRV_OR_NONE) &&
		   word(ps, w, sizeof(w)) && !strcmp(w, "none")) {
		ps->pos += 4;
		v = prog_arg_table[kind].range - 1;
	} else {
		ps->pos = start;
		/* "none" is the top value; numbers go one below it. */
		unsigned int top = prog_arg_table[kind].range - 1;

		if (kind == A_PARENT || kind == A_DRV_OR_NONE)
			top--;
		if (number(ps, top, &v, prog_arg_table[kind].name))
			return -1;
	}
	*out = (uint8_t)v;
	return 0;
}

static int parse_op(struct parser *ps, struct prog *p, unsigned int task)
{
	const struct prog_op_desc *d;
	struct prog_op *op;
	const char *start, *op_start = ps->line_start;
	char w[64];
	int id;
	bool first = true;

	skip_spaces(ps);
	start = ps->pos;
	if (expect_word(ps, w, sizeof(w), "an operation"))
		return -1;
	for (id = 0; id < PROG_NR_OPS; id++)
		if (!strcmp(prog_op_table[id].name, w))
			break;
	if (id == PROG_NR_OPS) {
		ps->pos = start;
		return fail(ps, "unknown operation '%s'", w);
	}
	if (p->nr_ops == PROG_MAX_OPS) {
		ps->pos = start;
		return fail(ps, "more than %d operations", PROG_MAX_OPS);
	}
	d = &prog_op_table[id];
	op = &p->ops[p->nr_ops];
	memset(op, 0, sizeof(*op));
	op->op = id;
	op->task = task;
	if (expect_char(ps, '('))
		return -1;
	for (int a = 0; a < 3; a++) {
		if (d->args[a] == A_NONE)
			continue;
		if (!first && expect_char(ps, ','))
			return -1;
		if (parse_arg(ps, d->args[a], &op->args[a]))
			return -1;
		first = false;
	}
	if (expect_char(ps, ')'))
		return -1;
	if (task >= p->nr_tasks) {
		ps->pos = op_start;
		return fail(ps, "task t%u but the program has %u tasks", task, p->nr_tasks);
	}
	if (prog_op_owner_task(p, op) != task) {
		ps->pos = op_start;
		return fail(ps, "%s on slot %u runs on its owner task t%u (slot %% tasks)",
			    d->name, op->args[0], prog_op_owner_task(p, op));
	}
	p->nr_ops++;
	return 0;
}

static int parse_schedule(struct parser *ps, struct prog *p)
{
	while (!at_end(ps)) {
		char *end;
		unsigned long v;
		const char *start = ps->pos;

		v = strtoul(ps->pos, &end, 16);
		if (end == ps->pos || end - ps->pos > 2 || v > 255 ||
		    (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '#'))
			return fail(ps, "schedule: expected hex bytes like '0a'");
		if (p->nr_sched == PROG_MAX_SCHED) {
			ps->pos = start;
			return fail(ps, "schedule longer than %d bytes", PROG_MAX_SCHED);
		}
		p->sched[p->nr_sched++] = (uint8_t)v;
		ps->pos = end;
	}
	return 0;
}

static int parse_flags(struct parser *ps, struct prog *p)
{
	char w[32];
	const char *start;
	int f;

	p->flags = 0;
	for (;;) {
		skip_spaces(ps);
		start = ps->pos;
		if (expect_word(ps, w, sizeof(w), "a flag"))
			return -1;
		if (!strcmp(w, "none"))
			return 0;
		f = lookup(flag_names, sizeof(flag_names) / sizeof(flag_names[0]), w);
		if (f < 0) {
			ps->pos = start;
			return fail(ps, "unknown flag '%s'", w);
		}
		p->flags |= 1u << f;
		skip_spaces(ps);
		if (*ps->pos != ',')
			return 0;
		ps->pos++;
	}
}

/* Numeric header lines: one table for name, range and field. */
struct header_field {
	const char *name;
	unsigned int min, max;
	size_t offset, size;
};

#define HF(nm, lo, hi, field) \
	{ nm, lo, hi, offsetof(struct prog, field), sizeof(((struct prog *)0)->field) }
static const struct header_field header_fields[] = {
	HF("tasks", 1, PROG_MAX_TASKS, nr_tasks),
	HF("workers", 1, 16, max_workers),
	HF("max_run", 1, 32, max_run),
	HF("fail_nth", 0, 255, fail_nth),
	HF("sched_seed", 0, 65535, sched_seed),
};
#undef HF

static int parse_line(struct parser *ps, struct prog *p, bool *header_done)
{
	char w[32];
	unsigned int v;
	const char *start;

	if (at_end(ps))
		return 0;
	start = ps->pos;
	if (expect_word(ps, w, sizeof(w), "a keyword"))
		return -1;
	if (w[0] == 't' && isdigit((unsigned char)w[1])) {
		*header_done = true;
		v = (unsigned int)strtoul(w + 1, NULL, 10);
		return parse_op(ps, p, v);
	}
	if (!strcmp(w, "schedule"))
		return parse_schedule(ps, p);
	if (*header_done) {
		ps->pos = start;
		return fail(ps, "'%s' must come before the operations", w);
	}
	for (size_t i = 0; i < sizeof(header_fields) / sizeof(header_fields[0]); i++) {
		const struct header_field *hf = &header_fields[i];

		if (strcmp(w, hf->name))
			continue;
		if (number(ps, hf->max, &v, hf->name))
			return -1;
		if (v < hf->min)
			return fail(ps, "%s must be %u..%u", hf->name, hf->min, hf->max);
		if (hf->size == sizeof(uint16_t))
			*(uint16_t *)((char *)p + hf->offset) = v;
		else
			*(uint8_t *)((char *)p + hf->offset) = v;
		return 0;
	}
	if (!strcmp(w, "flags"))
		return parse_flags(ps, p);
	if (!strcmp(w, "driver"))
		return parse_driver(ps, p);
	ps->pos = start;
	return fail(ps, "unknown keyword '%s'", w);
}

int prog_from_text(struct prog *p, const char *text, char *err, size_t errlen)
{
	struct parser ps = { .pos = text, .line = 1, .err = err, .errlen = errlen };
	bool header_done = false;

	memset(p, 0, sizeof(*p));
	p->nr_tasks = 1;
	p->max_workers = 4;
	p->max_run = 16;
	while (*ps.pos) {
		ps.line_start = ps.pos;
		if (parse_line(&ps, p, &header_done))
			return -1;
		if (!at_end(&ps))
			return fail(&ps, "unexpected text after the end of the statement");
		/* Comment or end of line. */
		while (*ps.pos && *ps.pos != '\n')
			ps.pos++;
		if (*ps.pos == '\n')
			ps.pos++;
		ps.line++;
	}
	return 0;
}
