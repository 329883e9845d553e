// SPDX-License-Identifier: MIT
/* Text and Chrome-JSON timelines of a run (see trace.h). */

#include <stdio.h>
#include <string.h>

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include "trace.h"

static FILE *json;
static bool text;
static bool json_first;
static unsigned long long ts;
static int last_task = -1;

int trace_begin(const char *json_path, bool want_text)
{
	text = want_text;
	ts = 0;
	last_task = -1;
	json = NULL;
	if (json_path) {
		json = fopen(json_path, "w");
		if (!json)
			return -1;
		fprintf(json, "{\"displayTimeUnit\": \"ns\", \"traceEvents\": [\n");
		json_first = true;
	}
	return 0;
}

static void json_event(const char *name, const char *cat, char ph, int tid, const char *arg)
{
	if (!json)
		return;
	fprintf(json, "%s{\"name\": \"%s\", \"cat\": \"%s\", \"ph\": \"%c\", "
		"\"ts\": %llu, \"pid\": 1, \"tid\": %d",
		json_first ? "" : ",\n", name, cat, ph, ts, tid);
	if (ph == 'i')
		fprintf(json, ", \"s\": \"t\"");
	if (arg)
		fprintf(json, ", \"args\": {\"detail\": \"%s\"}", arg);
	fputc('}', json);
	json_first = false;
}

/* Name what a point is about: the lock's class, the device's name. */
static void describe(enum sched_point_kind kind, const void *obj, char *buf, size_t len)
{
	switch (kind) {
	case SP_MUTEX_LOCK:
	case SP_MUTEX_UNLOCK:
		snprintf(buf, len, "%s", lockdep_map_name(&((struct mutex *)obj)->dep_map));
		break;
	case SP_SPIN_LOCK:
	case SP_SPIN_UNLOCK:
		snprintf(buf, len, "%s", lockdep_map_name(&((spinlock_t *)obj)->dep_map));
		break;
	case SP_DEV_DRIVER:
	case SP_ASYNC_DRIVER:
	case SP_DEAD:
	case SP_DEFERRED:
		snprintf(buf, len, "%s", dev_name((const struct device *)obj));
		break;
	default:
		buf[0] = 0;
		break;
	}
}

static void note_switch(const struct task *t)
{
	int id = task_id(t);

	if (id == last_task)
		return;
	if (text)
		printf("%8llu  --- switch to %s\n", ts, task_name(t));
	last_task = id;
}

void trace_point(const struct task *t, enum sched_point_kind kind, const void *obj)
{
	ts++;
	note_switch(t);
	switch (kind) {
	case SP_MUTEX_LOCK:
	case SP_MUTEX_UNLOCK:
	case SP_SPIN_LOCK:
	case SP_SPIN_UNLOCK:
	case SP_DEV_DRIVER:
	case SP_ASYNC_DRIVER:
	case SP_DEAD:
	case SP_DEFERRED:
	case SP_START:
	case SP_EXIT:
		break;
	default:
		return;
	}
	char what[96];

	describe(kind, obj, what, sizeof(what));
	if (text)
		printf("%8llu  %-8s %s %s\n", ts, task_name(t), sched_point_names[kind], what);
	json_event(sched_point_names[kind], "point", 'i', task_id(t), what);
}

void trace_event(const char *what, const char *detail, bool begin)
{
	const struct task *t = sched_current();

	ts++;
	note_switch(t);
	if (text)
		printf("%8llu  %-8s %s %s%s%s\n", ts, task_name(t), begin ? ">>" : "<<", what,
		       detail ? " " : "", detail ? detail : "");
	json_event(what, "op", begin ? 'B' : 'E', task_id(t), detail);
}

void trace_end(void)
{
	if (json) {
		fprintf(json, "\n]}\n");
		fclose(json);
		json = NULL;
	}
	fflush(stdout);
}
