// SPDX-License-Identifier: MIT
/* Reads-from and lock-order pairs as libFuzzer extra counters (feedback.h). */

#include <stdlib.h>
#include <string.h>

#include "feedback.h"
#include "prog/prog.h"

#define NR_COUNTERS	8192
#define NR_OBJS		256	/* power of two */

/* libFuzzer picks these up as extra coverage (clang's -fsanitize=fuzzer). */
__attribute__((section("__libfuzzer_extra_counters"), used))
static unsigned char counters[NR_COUNTERS];

struct last_access {
	const void *obj;
	int task;
	int kind;
	int op;
};

static struct last_access last[NR_OBJS];
static int cur_op[PROG_MAX_TASKS + 64];

bool feedback_enabled(void)
{
	static int enabled = -1;

	if (enabled < 0) {
		const char *env = getenv("BINDRACE_FEEDBACK");

		/*
		 * Off unless asked for: scripts/bench-bugs (2026-11-21, 18
		 * entries, 3 trials) found bugs faster without it on 17 of
		 * 18, at twice the exec/s (README, "Figures").
		 */
		enabled = env && strcmp(env, "0");
	}
	return enabled;
}

void feedback_reset(void)
{
	memset(last, 0, sizeof(last));
	memset(cur_op, 0xff, sizeof(cur_op));
}

static unsigned int mix(unsigned int h, unsigned int v)
{
	h ^= v + 0x9e3779b9u + (h << 6) + (h >> 2);
	return h;
}

static bool interesting(enum sched_point_kind kind)
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

void feedback_point(const struct task *t, enum sched_point_kind kind, const void *obj)
{
	unsigned int slot = (unsigned int)(((uintptr_t)obj >> 4) ^ ((uintptr_t)obj >> 12)) & (NR_OBJS - 1);
	struct last_access *la = &last[slot];
	int id = task_id(t);
	int op = id >= 0 && id < (int)(sizeof(cur_op) / sizeof(cur_op[0])) ? cur_op[id] : -1;

	if (!interesting(kind))
		return;
	/* Another task touched this object last: a cross-task pair. */
	if (la->obj == obj && la->task != id) {
		unsigned int h = mix(mix(mix(la->kind, kind), la->op & 0xff), op & 0xff);

		if (counters[h % NR_COUNTERS] < 255)
			counters[h % NR_COUNTERS]++;
	}
	la->obj = obj;
	la->task = id;
	la->kind = kind;
	la->op = op;
}

void feedback_event(const char *what, const char *detail, bool begin)
{
	int id = task_id(sched_current());

	/* detail is "op N" for program ops (exec.c). */
	if (id >= 0 && id < (int)(sizeof(cur_op) / sizeof(cur_op[0])) &&
	    detail && !strncmp(detail, "op ", 3))
		cur_op[id] = begin ? atoi(detail + 3) : -1;
}
