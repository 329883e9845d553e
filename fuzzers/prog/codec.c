// SPDX-License-Identifier: MIT
/* The op and behaviour tables, and the byte codec of programs. */

#include <string.h>

#include "prog.h"

#define __OP_DESC(id, nm, own, a0, a1, a2) [id] = { .name = nm, .owner = own, .args = { a0, a1, a2 } },
const struct prog_op_desc prog_op_table[PROG_NR_OPS] = { PROG_OPS(__OP_DESC) };
#undef __OP_DESC

#define __ARG_DESC(id, nm, r) [id] = { .name = nm, .range = r },
const struct prog_arg_desc prog_arg_table[PROG_NR_ARG_KINDS] = { PROG_ARG_KINDS(__ARG_DESC) };
#undef __ARG_DESC

#define __N1(id, name) [id] = name,
#define __N2(id, name, v) [id] = name,
#define __V2(id, name, v) [id] = v,
const char *const prog_probe_type_names[PROG_NR_PROBE_TYPES] = { PROBE_TYPES(__N1) };
const char *const prog_match_names[PROG_NR_MATCH] = { MATCH_KINDS(__N1) };
const char *const prog_result_names[PROG_NR_RESULTS] = { PROBE_RESULTS(__N2) };
const int prog_result_values[PROG_NR_RESULTS] = { PROBE_RESULTS(__V2) };
const char *const prog_action_names[PROG_NR_ACTIONS] = { ACTIONS(__N1) };
#define __LF_NAME(name, flags) name,
const char *const prog_link_flag_names[] = { LINK_FLAG_SETS(__LF_NAME) };
#undef __LF_NAME
#undef __N1
#undef __N2
#undef __V2

unsigned int prog_op_owner_task(const struct prog *p, const struct prog_op *op)
{
	switch (prog_op_table[op->op].owner) {
	case OWN_DEV:
	case OWN_DRV:
		return op->args[0] % p->nr_tasks;
	default:
		return op->task % p->nr_tasks;
	}
}

void prog_normalize(struct prog *p)
{
	if (p->nr_tasks < 1 || p->nr_tasks > PROG_MAX_TASKS)
		p->nr_tasks = 1 + p->nr_tasks % PROG_MAX_TASKS;
	if (p->max_workers < 1 || p->max_workers > 16)
		p->max_workers = 1 + p->max_workers % 16;
	if (p->max_run < 1 || p->max_run > 32)
		p->max_run = 1 + p->max_run % 32;
	p->flags &= PROG_F_MASK;
	if (p->nr_ops > PROG_MAX_OPS)
		p->nr_ops = PROG_MAX_OPS;
	if (p->nr_sched > PROG_MAX_SCHED)
		p->nr_sched = PROG_MAX_SCHED;
	for (int d = 0; d < PROG_NR_DRVS; d++) {
		struct prog_behaviour *b = &p->beh[d];

		b->probe_type %= PROG_NR_PROBE_TYPES;
		b->match %= PROG_NR_MATCH;
		for (int i = 0; i < PROG_NR_RESULT_SEQ; i++)
			b->results[i] %= PROG_NR_RESULTS;
		b->probe_action %= PROG_NR_ACTIONS;
		b->remove_action %= PROG_NR_ACTIONS;
	}
	for (int i = 0; i < p->nr_ops; i++) {
		struct prog_op *op = &p->ops[i];
		const struct prog_op_desc *d;

		op->op %= PROG_NR_OPS;
		d = &prog_op_table[op->op];
		for (int a = 0; a < 3; a++)
			op->args[a] %= prog_arg_table[d->args[a]].range;
		op->task = prog_op_owner_task(p, op);
	}
}

/* Byte @i of the input, or 0 past its end. */
static uint8_t byte_at(const uint8_t *data, size_t size, size_t i)
{
	return i < size ? data[i] : 0;
}

void prog_decode(struct prog *p, const uint8_t *data, size_t size)
{
	size_t pos = PROG_HDR_FIXED, ops_end;

	memset(p, 0, sizeof(*p));
	p->nr_tasks = 1 + byte_at(data, size, 0) % PROG_MAX_TASKS;
	p->max_workers = 1 + byte_at(data, size, 1) % 16;
	p->max_run = 1 + byte_at(data, size, 2) % 32;
	p->fail_nth = byte_at(data, size, 3);
	p->flags = byte_at(data, size, 4) & PROG_F_MASK;
	p->nr_ops = byte_at(data, size, 5) % (PROG_MAX_OPS + 1);
	p->sched_seed = byte_at(data, size, 6) | byte_at(data, size, 7) << 8;
	for (int d = 0; d < PROG_NR_DRVS; d++, pos += PROG_BEH_SIZE) {
		struct prog_behaviour *b = &p->beh[d];
		uint8_t b0 = byte_at(data, size, pos), b1 = byte_at(data, size, pos + 1);
		uint8_t b2 = byte_at(data, size, pos + 2);

		b->probe_type = (b0 & 3) % PROG_NR_PROBE_TYPES;
		b->match = (b0 >> 2) % PROG_NR_MATCH;
		for (int i = 0; i < PROG_NR_RESULT_SEQ; i++)
			b->results[i] = (b1 >> (2 * i)) & 3;
		b->probe_action = (b2 & 0xf) % PROG_NR_ACTIONS;
		b->remove_action = (b2 >> 4) % PROG_NR_ACTIONS;
		b->action_arg = byte_at(data, size, pos + 3);
	}
	for (int i = 0; i < p->nr_ops; i++, pos += PROG_OP_SIZE) {
		struct prog_op *op = &p->ops[i];

		op->op = byte_at(data, size, pos);
		op->task = byte_at(data, size, pos + 1);
		for (int a = 0; a < 3; a++)
			op->args[a] = byte_at(data, size, pos + 2 + a);
	}
	ops_end = pos;
	if (size > ops_end) {
		p->nr_sched = size - ops_end;
		if (p->nr_sched > PROG_MAX_SCHED)
			p->nr_sched = PROG_MAX_SCHED;
		for (size_t i = 0; i < p->nr_sched; i++)
			p->sched[i] = data[size - 1 - i];
	}
	prog_normalize(p);
}

size_t prog_encoded_size(const struct prog *p)
{
	return PROG_HDR_SIZE + (size_t)p->nr_ops * PROG_OP_SIZE + p->nr_sched;
}

size_t prog_encode(const struct prog *p, uint8_t *out, size_t cap)
{
	size_t need = prog_encoded_size(p), pos = PROG_HDR_FIXED;
	uint8_t buf[PROG_MAX_BYTES];

	memset(buf, 0, sizeof(buf));
	buf[0] = p->nr_tasks - 1;
	buf[1] = p->max_workers - 1;
	buf[2] = p->max_run - 1;
	buf[3] = p->fail_nth;
	buf[4] = p->flags;
	buf[5] = p->nr_ops;
	buf[6] = p->sched_seed & 0xff;
	buf[7] = p->sched_seed >> 8;
	for (int d = 0; d < PROG_NR_DRVS; d++, pos += PROG_BEH_SIZE) {
		const struct prog_behaviour *b = &p->beh[d];

		buf[pos] = b->probe_type | b->match << 2;
		for (int i = 0; i < PROG_NR_RESULT_SEQ; i++)
			buf[pos + 1] |= b->results[i] << (2 * i);
		buf[pos + 2] = b->probe_action | b->remove_action << 4;
		buf[pos + 3] = b->action_arg;
	}
	for (int i = 0; i < p->nr_ops; i++, pos += PROG_OP_SIZE) {
		buf[pos] = p->ops[i].op;
		buf[pos + 1] = p->ops[i].task;
		memcpy(&buf[pos + 2], p->ops[i].args, 3);
	}
	for (size_t i = 0; i < p->nr_sched; i++)
		buf[need - 1 - i] = p->sched[i];
	if (need > cap)
		need = cap;
	memcpy(out, buf, need);
	return need;
}
