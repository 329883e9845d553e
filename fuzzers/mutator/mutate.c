// SPDX-License-Identifier: MIT
/*
 * The structure-aware mutator (mutate.h).  Every mutation goes through the
 * codec: decode, change the struct prog, normalize, encode.  The output is
 * therefore canonical, and the schedule bytes (read from the input's end)
 * survive op mutations unchanged.
 */

#include <stdlib.h>
#include <string.h>

#include "mutate.h"

#define __MUT_NAME(id, name, weight) [id] = name,
const char *const prog_mutation_names[PROG_NR_MUTATIONS] = { MUTATIONS(__MUT_NAME) };
#undef __MUT_NAME

#define __MUT_WEIGHT(id, name, weight) [id] = weight,
static const unsigned int mutation_weight[PROG_NR_MUTATIONS] = { MUTATIONS(__MUT_WEIGHT) };
#undef __MUT_WEIGHT

/* Out of four, how often an argument names a slot the program creates. */
#define LIVE_SLOT_ODDS	3

/* Below this many ops, half the mutations generate a whole program instead. */
#define SMALL_PROG_OPS	4

void prog_rng_init(struct prog_rng *r, uint64_t seed)
{
	r->s = seed ^ 0x9e3779b97f4a7c15ull;
}

/* splitmix64: good enough spread for picking fields. */
static uint64_t rng_next(struct prog_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t prog_rng_below(struct prog_rng *r, uint32_t n)
{
	return n ? (uint32_t)(rng_next(r) % n) : 0;
}

/* Read on every call (a few hundred ns against a run's ~100 us), so tests can flip them. */
static bool env_enabled(const char *name)
{
	const char *env = getenv(name);

	return !env || strcmp(env, "0");
}

bool prog_mutator_enabled(void)
{
	return env_enabled("BINDRACE_MUTATOR");
}

bool prog_generate_enabled(void)
{
	return env_enabled("BINDRACE_GENERATE");
}

/* Slots the program's own ops create: devices added, drivers registered. */
static unsigned int live_slots(const struct prog *p, enum prog_op_id creator)
{
	unsigned int mask = 0;

	for (int i = 0; i < p->nr_ops; i++)
		if (p->ops[i].op == creator)
			mask |= 1u << p->ops[i].args[0];
	return mask;
}

static unsigned int pick_from_mask(unsigned int mask, struct prog_rng *r)
{
	unsigned int n = __builtin_popcount(mask), k = prog_rng_below(r, n);

	for (unsigned int bit = 0;; bit++)
		if (mask & (1u << bit) && !k--)
			return bit;
}

static unsigned int pick_slot(const struct prog *p, enum prog_op_id creator,
			      unsigned int range, struct prog_rng *r)
{
	unsigned int mask = live_slots(p, creator);

	if (mask && prog_rng_below(r, 4) < LIVE_SLOT_ODDS)
		return pick_from_mask(mask, r);
	return prog_rng_below(r, range);
}

/* A value for argument @a of @op, preferring slots that exist. */
static uint8_t pick_arg(const struct prog *p, const struct prog_op *op, int a,
			struct prog_rng *r)
{
	enum prog_arg_kind kind = prog_op_table[op->op].args[a];
	unsigned int v;

	switch (kind) {
	case A_DEV:
		v = pick_slot(p, OP_DEVICE_ADD, PROG_NR_DEVS, r);
		/* A link between a device and itself is refused: try once more. */
		if (a == 1 && prog_op_table[op->op].args[0] == A_DEV && v == op->args[0])
			v = pick_slot(p, OP_DEVICE_ADD, PROG_NR_DEVS, r);
		return v;
	case A_PARENT:
		if (!prog_rng_below(r, 3))
			return PROG_NR_DEVS;	/* none */
		return pick_slot(p, OP_DEVICE_ADD, PROG_NR_DEVS, r);
	case A_DRV:
		return pick_slot(p, OP_DRIVER_REGISTER, PROG_NR_DRVS, r);
	case A_DRV_OR_NONE:
		if (!prog_rng_below(r, 4))
			return PROG_NR_DRVS;	/* none */
		return pick_slot(p, OP_DRIVER_REGISTER, PROG_NR_DRVS, r);
	case A_NTH:
		/* Early allocations are where the error paths are. */
		return prog_rng_below(r, 2) ? prog_rng_below(r, 8) :
					      prog_rng_below(r, prog_arg_table[kind].range);
	default:
		return prog_rng_below(r, prog_arg_table[kind].range);
	}
}

static void random_op(const struct prog *p, struct prog_op *op, struct prog_rng *r)
{
	op->op = prog_rng_below(r, PROG_NR_OPS);
	op->task = prog_rng_below(r, p->nr_tasks);
	memset(op->args, 0, sizeof(op->args));
	for (int a = 0; a < 3; a++)
		op->args[a] = pick_arg(p, op, a, r);
}

static void insert_op_at(struct prog *p, int at, const struct prog_op *op)
{
	memmove(&p->ops[at + 1], &p->ops[at], (p->nr_ops - at) * sizeof(*op));
	p->ops[at] = *op;
	p->nr_ops++;
}

static void delete_op_at(struct prog *p, int at)
{
	memmove(&p->ops[at], &p->ops[at + 1], (p->nr_ops - at - 1) * sizeof(p->ops[0]));
	p->nr_ops--;
}

static bool mutate_insert(struct prog *p, struct prog_rng *r)
{
	struct prog_op op;
	int at = prog_rng_below(r, p->nr_ops + 1);

	random_op(p, &op, r);
	if (p->nr_ops == PROG_MAX_OPS) {
		/* Full: the new op takes an old one's place. */
		p->ops[at % PROG_MAX_OPS] = op;
		return true;
	}
	insert_op_at(p, at, &op);
	return true;
}

static bool mutate_copy(struct prog *p, struct prog_rng *r)
{
	struct prog_op op;

	if (!p->nr_ops || p->nr_ops == PROG_MAX_OPS)
		return false;
	/* The same op again, maybe from another task: the usual race shape. */
	op = p->ops[prog_rng_below(r, p->nr_ops)];
	op.task = prog_rng_below(r, p->nr_tasks);
	insert_op_at(p, prog_rng_below(r, p->nr_ops + 1), &op);
	return true;
}

static bool mutate_move(struct prog *p, struct prog_rng *r)
{
	struct prog_op op;
	int from, to;

	if (p->nr_ops < 2)
		return false;
	from = prog_rng_below(r, p->nr_ops);
	op = p->ops[from];
	delete_op_at(p, from);
	to = prog_rng_below(r, p->nr_ops + 1);
	insert_op_at(p, to, &op);
	return true;
}

static bool mutate_task(struct prog *p, struct prog_rng *r)
{
	int any[PROG_MAX_OPS], n = 0;
	struct prog_op *op;

	/* Only ops without an owner run on the task they are tagged with. */
	for (int i = 0; i < p->nr_ops; i++)
		if (prog_op_table[p->ops[i].op].owner == OWN_ANY)
			any[n++] = i;
	if (!n || p->nr_tasks < 2)
		return false;
	op = &p->ops[any[prog_rng_below(r, n)]];
	op->task = (op->task + 1 + prog_rng_below(r, p->nr_tasks - 1)) % p->nr_tasks;
	return true;
}

static bool mutate_arg(struct prog *p, struct prog_rng *r)
{
	int slots[PROG_MAX_OPS * 3], n = 0, s;
	struct prog_op *op;

	for (int i = 0; i < p->nr_ops; i++)
		for (int a = 0; a < 3; a++)
			if (prog_arg_table[prog_op_table[p->ops[i].op].args[a]].range > 1)
				slots[n++] = i * 3 + a;
	if (!n)
		return false;
	s = slots[prog_rng_below(r, n)];
	op = &p->ops[s / 3];
	op->args[s % 3] = pick_arg(p, op, s % 3, r);
	return true;
}

static bool mutate_kind(struct prog *p, struct prog_rng *r)
{
	struct prog_op *op;
	const enum prog_arg_kind *old;

	if (!p->nr_ops)
		return false;
	op = &p->ops[prog_rng_below(r, p->nr_ops)];
	old = prog_op_table[op->op].args;
	op->op = prog_rng_below(r, PROG_NR_OPS);
	/* Arguments of a kind the new op does not share are picked afresh. */
	for (int a = 0; a < 3; a++)
		if (prog_op_table[op->op].args[a] != old[a])
			op->args[a] = pick_arg(p, op, a, r);
	return true;
}

/* A behaviour's fields, drawn one at a time. */
#define NR_BEH_FIELDS	6

static void random_behaviour_field(struct prog_behaviour *b, unsigned int field,
				   struct prog_rng *r)
{
	switch (field) {
	case 0:
		b->probe_type = prog_rng_below(r, PROG_NR_PROBE_TYPES);
		break;
	case 1:
		b->match = prog_rng_below(r, PROG_NR_MATCH);
		break;
	case 2:
		b->results[prog_rng_below(r, PROG_NR_RESULT_SEQ)] = prog_rng_below(r, PROG_NR_RESULTS);
		break;
	case 3:
		b->probe_action = prog_rng_below(r, PROG_NR_ACTIONS);
		break;
	case 4:
		b->remove_action = prog_rng_below(r, PROG_NR_ACTIONS);
		break;
	default:
		/* A slot number, or a few milliseconds. */
		b->action_arg = prog_rng_below(r, 4) ? prog_rng_below(r, 8) : prog_rng_below(r, 256);
		break;
	}
}

static bool mutate_behaviour(struct prog *p, struct prog_rng *r)
{
	struct prog_behaviour *b = &p->beh[prog_rng_below(r, PROG_NR_DRVS)];

	random_behaviour_field(b, prog_rng_below(r, NR_BEH_FIELDS), r);
	return true;
}

/* The header's fields, also drawn one at a time. */
#define NR_HEADER_FIELDS	6

static void random_header_field(struct prog *p, unsigned int field, struct prog_rng *r)
{
	switch (field) {
	case 0:
		p->nr_tasks = 1 + prog_rng_below(r, PROG_MAX_TASKS);
		break;
	case 1:
		p->max_workers = 1 + prog_rng_below(r, 16);
		break;
	case 2:
		p->max_run = 1 + prog_rng_below(r, 32);
		break;
	case 3:
		p->fail_nth = prog_rng_below(r, 2) ? 0 : 1 + prog_rng_below(r, 64);
		break;
	case 4:
		p->flags = prog_rng_below(r, PROG_F_MASK + 1);
		break;
	default:
		p->sched_seed = prog_rng_below(r, 1 << 16);
		break;
	}
}

static bool mutate_header(struct prog *p, struct prog_rng *r)
{
	random_header_field(p, prog_rng_below(r, NR_HEADER_FIELDS), r);
	return true;
}

/*
 * A whole new program, as syzkaller generates besides mutating: every
 * header and behaviour field drawn, then the ops in order, so that each
 * op's slots prefer those the ops before it created.  No schedule bytes:
 * sched_seed draws the interleaving.  From an empty corpus libFuzzer grows
 * programs a few ops at a time, and on the shallow bench-bugs entries mode
 * (a) ran thousands of executions where `bindrace stress`'s whole random
 * programs needed tens to hundreds (README, session 16).
 */
static bool mutate_generate(struct prog *p, struct prog_rng *r)
{
	/*
	 * Short programs more often (about 13 ops on average): the bugs
	 * need a few, and uniform lengths up to 48 slowed the executions
	 * by a third, as the corpus filled with long programs.
	 */
	int nr_ops = 1 + prog_rng_below(r, 1 + prog_rng_below(r, PROG_MAX_OPS));
	struct prog_op op;

	for (unsigned int f = 0; f < NR_HEADER_FIELDS; f++)
		random_header_field(p, f, r);
	for (int d = 0; d < PROG_NR_DRVS; d++) {
		for (unsigned int f = 0; f < NR_BEH_FIELDS; f++)
			random_behaviour_field(&p->beh[d], f, r);
		/* The field draw sets one probe result; a new driver gets all. */
		for (int i = 0; i < PROG_NR_RESULT_SEQ; i++)
			p->beh[d].results[i] = prog_rng_below(r, PROG_NR_RESULTS);
	}
	p->nr_ops = 0;
	p->nr_sched = 0;
	while (p->nr_ops < nr_ops) {
		random_op(p, &op, r);
		p->ops[p->nr_ops++] = op;
	}
	return true;
}

static bool mutate_schedule(struct prog *p, struct prog_rng *r)
{
	size_t at = prog_rng_below(r, p->nr_sched + 1);

	switch (prog_rng_below(r, 5)) {
	case 0:		/* another choice at one point */
		if (!p->nr_sched)
			return false;
		p->sched[at % p->nr_sched] = prog_rng_below(r, 256);
		break;
	case 1:		/* a choice more: later points shift by one */
		if (p->nr_sched == PROG_MAX_SCHED)
			return false;
		memmove(&p->sched[at + 1], &p->sched[at], p->nr_sched - at);
		p->sched[at] = prog_rng_below(r, 256);
		p->nr_sched++;
		break;
	case 2:		/* a choice less */
		if (!p->nr_sched)
			return false;
		at %= p->nr_sched;
		memmove(&p->sched[at], &p->sched[at + 1], p->nr_sched - at - 1);
		p->nr_sched--;
		break;
	case 3:		/* the rest to sched_seed */
		if (at == p->nr_sched)
			return false;
		p->nr_sched = at;
		break;
	default:	/* another PRNG after the bytes */
		p->sched_seed = prog_rng_below(r, 1 << 16);
		break;
	}
	return true;
}

bool prog_mutate_prog(struct prog *p, enum prog_mutation kind, struct prog_rng *r)
{
	bool done;

	switch (kind) {
	case MUT_INSERT_OP:
		done = mutate_insert(p, r);
		break;
	case MUT_DELETE_OP:
		done = p->nr_ops > 0;
		if (done)
			delete_op_at(p, prog_rng_below(r, p->nr_ops));
		break;
	case MUT_COPY_OP:
		done = mutate_copy(p, r);
		break;
	case MUT_MOVE_OP:
		done = mutate_move(p, r);
		break;
	case MUT_OP_TASK:
		done = mutate_task(p, r);
		break;
	case MUT_OP_ARG:
		done = mutate_arg(p, r);
		break;
	case MUT_OP_KIND:
		done = mutate_kind(p, r);
		break;
	case MUT_BEHAVIOUR:
		done = mutate_behaviour(p, r);
		break;
	case MUT_HEADER:
		done = mutate_header(p, r);
		break;
	case MUT_SCHEDULE:
		done = mutate_schedule(p, r);
		break;
	case MUT_GENERATE:
		done = mutate_generate(p, r);
		break;
	default:
		done = false;
		break;
	}
	if (done)
		prog_normalize(p);
	return done;
}

void prog_fit(struct prog *p, size_t max_size)
{
	size_t size = prog_encoded_size(p), excess;

	if (size <= max_size)
		return;
	/* The schedule's last choices go first: the early ones set up the race. */
	excess = size - max_size;
	if (p->nr_sched >= excess) {
		p->nr_sched -= excess;
		return;
	}
	excess -= p->nr_sched;
	p->nr_sched = 0;
	excess = (excess + PROG_OP_SIZE - 1) / PROG_OP_SIZE;
	p->nr_ops = excess >= p->nr_ops ? 0 : p->nr_ops - excess;
}

static bool needs_bytes(int kind)
{
	return kind == MUT_BYTES || kind == MUT_SCHED_BYTES;
}

/* Kinds the caller can do: byte mutations need the engine's mutator. */
static bool allowed(int kind, bool bytes, bool generate)
{
	return (bytes || !needs_bytes(kind)) && (generate || kind != MUT_GENERATE);
}

static enum prog_mutation pick_mutation(struct prog_rng *r, bool bytes, bool generate)
{
	unsigned int total = 0, x;
	int k;

	for (k = 0; k < PROG_NR_MUTATIONS; k++)
		if (allowed(k, bytes, generate))
			total += mutation_weight[k];
	x = prog_rng_below(r, total);
	for (k = 0; k < PROG_NR_MUTATIONS; k++) {
		if (!allowed(k, bytes, generate))
			continue;
		if (x < mutation_weight[k])
			break;
		x -= mutation_weight[k];
	}
	return k;
}

/* The engine's byte mutator on the schedule alone: the ops keep their shape. */
static bool mutate_sched_bytes(struct prog *p, size_t max_size, prog_bytes_fn bytes)
{
	size_t fixed = prog_encoded_size(p) - p->nr_sched, room;

	if (max_size <= fixed)
		return false;
	room = max_size - fixed;
	if (room > PROG_MAX_SCHED)
		room = PROG_MAX_SCHED;
	if (p->nr_sched > room)
		p->nr_sched = room;
	p->nr_sched = bytes(p->sched, p->nr_sched, room);
	return true;
}

/* One decoded program per engine process: the engines mutate on one thread. */
static struct prog mut_prog, mut_other;

size_t prog_mutate(uint8_t *data, size_t size, size_t max_size, unsigned int seed,
		   prog_bytes_fn bytes)
{
	bool generate = prog_generate_enabled();
	enum prog_mutation kind;
	struct prog_rng r;

	prog_rng_init(&r, seed);
	if (bytes && !prog_mutator_enabled())
		return bytes(data, size, max_size);
	kind = pick_mutation(&r, bytes, generate);
	if (kind == MUT_BYTES)
		return bytes(data, size, max_size);
	prog_decode(&mut_prog, data, size);
	/* An empty corpus's first inputs: whole programs, not one op more. */
	if (generate && mut_prog.nr_ops < SMALL_PROG_OPS && prog_rng_below(&r, 2))
		kind = MUT_GENERATE;
	if (kind != MUT_SCHED_BYTES || !mutate_sched_bytes(&mut_prog, max_size, bytes)) {
		/* A kind with nothing to change (no op to delete, ...): pick again. */
		for (int tries = 0; tries < 8; tries++, kind = pick_mutation(&r, false, generate))
			if (prog_mutate_prog(&mut_prog, kind, &r))
				break;
	}
	prog_fit(&mut_prog, max_size);
	return prog_encode(&mut_prog, data, max_size);
}

size_t prog_cross_over(const uint8_t *data1, size_t size1, const uint8_t *data2,
		       size_t size2, uint8_t *out, size_t max_out, unsigned int seed)
{
	struct prog *p = &mut_prog, *q = &mut_other;
	struct prog_rng r;
	int cut, from, n;

	prog_rng_init(&r, seed);
	prog_decode(p, data1, size1);
	prog_decode(q, data2, size2);
	cut = prog_rng_below(&r, p->nr_ops + 1);
	from = prog_rng_below(&r, q->nr_ops + 1);
	n = q->nr_ops - from;
	if (cut + n > PROG_MAX_OPS)
		n = PROG_MAX_OPS - cut;
	memcpy(&p->ops[cut], &q->ops[from], n * sizeof(p->ops[0]));
	p->nr_ops = cut + n;
	/* The other parent's ops may need its driver's behaviour. */
	if (!prog_rng_below(&r, 4)) {
		int d = prog_rng_below(&r, PROG_NR_DRVS);

		p->beh[d] = q->beh[d];
	}
	prog_normalize(p);
	prog_fit(p, max_out);
	return prog_encode(p, out, max_out);
}
