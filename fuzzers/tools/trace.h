/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_TRACE_H
#define _BINDRACE_TRACE_H

#include <stdbool.h>
#include <bindrace/sched.h>

/*
 * Timelines of a run: a per-task text timeline on stdout (ops, lock
 * acquire/release, probe and remove calls, switches) and/or Chrome trace
 * event JSON that Perfetto opens.  Timestamps are schedule-point counts.
 */
int trace_begin(const char *json_path, bool text);
void trace_point(const struct task *t, enum sched_point_kind kind, const void *obj);
void trace_event(const char *what, const char *detail, bool begin);
void trace_end(void);

#endif
