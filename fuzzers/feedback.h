/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_FEEDBACK_H
#define _BINDRACE_FEEDBACK_H

/*
 * Interleaving feedback for coverage-guided fuzzing: which task's access
 * to an annotated field (or lock) followed which other task's, keyed by
 * the kinds of op (or probe / remove) they were running, lands in
 * libFuzzer's extra counters; so does the model's state whenever a task
 * leaves an op: each device link's flags and status with both ends'
 * driver state, and the longest chain of children and consumers.
 */

#include <stdbool.h>
#include <stddef.h>
#include <bindrace/sched.h>

void feedback_reset(void);
void feedback_point(const struct task *t, enum sched_point_kind kind, const void *obj);
void feedback_event(const char *what, const char *detail, bool begin);
/*
 * On in libFuzzer builds unless BINDRACE_FEEDBACK=0 (ablation); elsewhere
 * off unless BINDRACE_FEEDBACK=1.
 */
bool feedback_enabled(void);
/* The longest chain of children and consumers seen since the reset. */
int feedback_state_depth(void);
/* How many samples saw a link to or from a device inside device_add(). */
int feedback_state_windows(void);
/* How many link samples saw an end that device_del() had killed. */
int feedback_state_dead_links(void);
/* The counters, for tests (libFuzzer reads and clears them itself). */
const unsigned char *feedback_counters(size_t *nr);

#endif
