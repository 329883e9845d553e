// SPDX-License-Identifier: MIT
/*
 * Reads-from and lock-order pairs as libFuzzer extra counters (feedback.h).
 *
 * A pair is keyed by what each task was doing (the op's name, or "probe" /
 * "remove" inside one) and the kind of access, never by the op's position
 * in the program: keyed by position (the first version), every shuffle of
 * the same ops looked new, and the corpus filled with schedule-only
 * variants of one race (README, "Time to bug").  A pair counts once per
 * run: how often it happened says nothing about the interleaving.
 */

#include <stdlib.h>
#include <string.h>

#include <bindrace/oracle.h>

#include "feedback.h"
#include "prog/prog.h"
#include "prog/world.h"

/*
 * The per-point path touches only this file's tables: no model object
 * for ASan to watch there, and it runs at every schedule point.
 */
#define harness_only	__attribute__((no_sanitize("address")))

#define NR_COUNTERS	8192
#define NR_OBJS		1024	/* power of two; a run touches a few hundred */
#define NR_PROBES	32
#define NR_TASK_IDS	(PROG_MAX_TASKS + 64)
#define CTX_DEPTH	4	/* op, probe inside it, remove inside that... */

/* libFuzzer picks these up as extra coverage (clang's -fsanitize=fuzzer). */
__attribute__((section("__libfuzzer_extra_counters"), used))
static unsigned char counters[NR_COUNTERS];

struct last_access {
	const void *obj;
	int task;
	unsigned int kind;
	unsigned int ctx;
};

struct task_ctx {
	int depth;
	unsigned int stack[CTX_DEPTH];
};

static struct last_access last[NR_OBJS];
/*
 * The records a run filled, so the reset clears those alone: a memset of
 * the whole table ran through TSan's interceptor on every input.
 */
static unsigned short used[NR_OBJS];
static int nr_used;
static struct task_ctx ctx_of[NR_TASK_IDS];
static int max_depth;		/* of the model-state samples since the reset */
static int nr_windows;		/* samples with a link on a device being added */
static int nr_dead_links;	/* link samples with a killed end */

/* BINDRACE_FEEDBACK_STATE=0: the model-state features off (ablation). */
static bool state_enabled(void)
{
	static int enabled = -1;

	if (enabled < 0) {
		const char *env = getenv("BINDRACE_FEEDBACK_STATE");

		enabled = !env || strcmp(env, "0");
	}
	return enabled;
}

bool feedback_enabled(void)
{
	static int enabled = -1;

	if (enabled < 0) {
		const char *env = getenv("BINDRACE_FEEDBACK");

		/*
		 * On by default where an engine reads the counters (libFuzzer):
		 * over three full scripts/bench-bugs runs of 27 entries it found
		 * 237 of 243 against 226 without, though its medians were not
		 * better (README, design decisions).  In the AFL++ and
		 * standalone builds it would be cost only.
		 */
#ifdef BINDRACE_LIBFUZZER
		enabled = !env || strcmp(env, "0");
#else
		enabled = env && strcmp(env, "0");
#endif
	}
	return enabled;
}

void feedback_reset(void)
{
	while (nr_used)
		last[used[--nr_used]].obj = NULL;
	memset(ctx_of, 0, sizeof(ctx_of));
	max_depth = 0;
	nr_windows = 0;
	nr_dead_links = 0;
}

const unsigned char *feedback_counters(size_t *nr)
{
	*nr = NR_COUNTERS;
	return counters;
}

static harness_only unsigned int mix(unsigned int h, unsigned int v)
{
	h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
	return h;
}

/* The same name gives the same context in every process (FNV-1a). */
static unsigned int name_hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static harness_only bool interesting(enum sched_point_kind kind)
{
	switch (kind) {
	case SP_MUTEX_LOCK:
	case SP_SPIN_LOCK:
	case SP_DEV_DRIVER:
	case SP_ASYNC_DRIVER:
	case SP_DEAD:
	case SP_FLAGS:
	case SP_DEFERRED:
	case SP_OVERRIDE:
	case SP_KREF:
		return true;
	default:
		return false;
	}
}

static harness_only struct task_ctx *task_ctx(int id)
{
	return id >= 0 && id < NR_TASK_IDS ? &ctx_of[id] : NULL;
}

/* A task outside any op (a worker between items) has context 0. */
static harness_only unsigned int current_ctx(int id)
{
	struct task_ctx *c = task_ctx(id);

	if (!c || !c->depth)
		return 0;
	return c->stack[(c->depth > CTX_DEPTH ? CTX_DEPTH : c->depth) - 1];
}

/*
 * The object's record, by open addressing: no object evicts another, so
 * the pairs do not depend on where malloc put things (same program, same
 * schedule, same counters).
 */
static harness_only struct last_access *lookup(const void *obj)
{
	unsigned int slot = (unsigned int)(((uintptr_t)obj >> 4) ^ ((uintptr_t)obj >> 14));

	for (int i = 0; i < NR_PROBES; i++) {
		unsigned int idx = (slot + i) & (NR_OBJS - 1);
		struct last_access *la = &last[idx];

		if (la->obj == obj)
			return la;
		if (!la->obj) {
			used[nr_used++] = idx;
			return la;
		}
	}
	return NULL;
}

harness_only void feedback_point(const struct task *t, enum sched_point_kind kind, const void *obj)
{
	struct last_access *la;
	int id = task_id(t);
	unsigned int ctx;

	if (!interesting(kind) || !obj)
		return;
	la = lookup(obj);
	if (!la)
		return;
	ctx = current_ctx(id);
	/* Another task touched this object last: a cross-task pair. */
	if (la->obj && la->task != id)
		counters[mix(mix(mix(la->kind, kind), la->ctx), ctx) % NR_COUNTERS] = 1;
	la->obj = obj;
	la->task = id;
	la->kind = kind;
	la->ctx = ctx;
}

/*
 * Model state, sampled whenever a task leaves its outermost op (or probe
 * or remove, for a worker).  Code coverage sees which branch ran, not the
 * combinations a program built: a link's flags and status with the
 * driver and life state of both ends and whether either is still inside
 * device_add() (linked in the window of repro/device-is-dependent-*), or
 * how long a chain of children and consumers the devices form (those
 * cycles grow such chains first).  Fibers only: one task runs at a time
 * and no list is half-changed between schedule points.  The reads are
 * plain loads, so they add no schedule point; this file is not built
 * with TSan.
 */
#define STATE_MAX_DEPTH	(PROG_NR_DEVS + 1)	/* and "a cycle" */

/* Slot @i's device, live or still inside device_add(); NULL otherwise. */
static struct device *slot_dev(int i, bool *adding)
{
	struct dev_slot *s = &world.devs[i];
	int state = __atomic_load_n(&s->state, __ATOMIC_RELAXED);

	*adding = state == SLOT_BUSY && s->adding;
	if (*adding)
		return s->adding;
	return state == SLOT_LIVE ? s->dev : NULL;
}

/* The slot devices at a sample, read once and then looked up. */
struct slots {
	struct device *dev[PROG_NR_DEVS];
	bool adding[PROG_NR_DEVS];
};

static int slot_of(const struct slots *sl, const struct device *dev)
{
	for (int i = 0; i < PROG_NR_DEVS; i++)
		if (dev && sl->dev[i] == dev)
			return i;
	return -1;
}

/* Longest path from @i along parent->child and supplier->consumer edges. */
static int chain_from(int i, unsigned int on_path, const unsigned int *edges)
{
	int best = 0, d;

	for (int j = 0; j < PROG_NR_DEVS; j++) {
		if (!(edges[i] & (1u << j)))
			continue;
		if (on_path & (1u << j))
			return STATE_MAX_DEPTH;
		d = 1 + chain_from(j, on_path | (1u << j), edges);
		if (d > best)
			best = d;
		if (best >= STATE_MAX_DEPTH)
			return STATE_MAX_DEPTH;
	}
	return best;
}

int feedback_state_depth(void)
{
	return max_depth;
}

int feedback_state_windows(void)
{
	return nr_windows;
}

int feedback_state_dead_links(void)
{
	return nr_dead_links;
}

static const unsigned int salt = 0x5eed57a7u;

/*
 * One feature per link: where each end is in its life makes a link to a
 * consumer that device_del() has killed but not yet purged
 * (repro/links-bound-requeues-deleted-consumer) a state of its own.
 */
static void sample_link(const struct device_link *link, bool c_adding, bool s_adding)
{
	unsigned int c = device_lifecycle_state(link->consumer);
	unsigned int s = device_lifecycle_state(link->supplier);
	unsigned int h;

	h = mix(mix(salt, link->flags), link->status);
	h = mix(mix(h, link->consumer->links.status), link->supplier->links.status);
	h = mix(mix(mix(h, c_adding | s_adding << 1), c), s);
	counters[h % NR_COUNTERS] = 1;
	nr_dead_links += !!((c | s) & DEV_STATE_DEAD);
}

static void sample_state(void)
{
	unsigned int edges[PROG_NR_DEVS] = { 0 };
	struct device_link *link;
	struct device *dev;
	struct slots sl;
	bool s_adding;
	int depth = 0, d, j;

	for (int i = 0; i < PROG_NR_DEVS; i++)
		sl.dev[i] = slot_dev(i, &sl.adding[i]);
	for (int i = 0; i < PROG_NR_DEVS; i++) {
		dev = sl.dev[i];
		if (!dev)
			continue;
		j = slot_of(&sl, dev->parent);
		if (j >= 0)
			edges[j] |= 1u << i;
		list_for_each_entry(link, &dev->links.suppliers, c_node) {
			j = slot_of(&sl, link->supplier);
			if (j >= 0)
				edges[j] |= 1u << i;
			s_adding = j >= 0 && sl.adding[j];
			sample_link(link, sl.adding[i], s_adding);
			nr_windows += sl.adding[i] || s_adding;
		}
		/*
		 * A consumer being deleted has left its slot: seen from its
		 * supplier (a live one is sampled above too, the same feature).
		 */
		list_for_each_entry(link, &dev->links.consumers, s_node) {
			if (slot_of(&sl, link->consumer) < 0)
				sample_link(link, false, sl.adding[i]);
		}
	}
	for (int i = 0; i < PROG_NR_DEVS; i++) {
		d = chain_from(i, 1u << i, edges);
		if (d > depth)
			depth = d;
	}
	counters[mix(salt, (unsigned int)depth) % NR_COUNTERS] = 1;
	if (depth > max_depth)
		max_depth = depth;
}

void feedback_event(const char *what, const char *detail, bool begin)
{
	struct task_ctx *c = task_ctx(task_id(sched_current()));

	(void)detail;
	if (!c)
		return;
	if (begin) {
		if (c->depth < CTX_DEPTH)
			c->stack[c->depth] = name_hash(what);
		c->depth++;
	} else if (c->depth > 0) {
		c->depth--;
		if (!c->depth && state_enabled())
			sample_state();
	}
}
