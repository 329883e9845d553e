/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_REPORT_H
#define _BINDRACE_REPORT_H

/*
 * One reporting hook for every checker: WARN/BUG, refcount misuse, the
 * lock-order checker, the deadlock detector, might_sleep and the model's
 * invariants.  A report is a one-line title (the signature: kind first)
 * and free-form details.  By default a fatal report, or any report with
 * panic_on_warn set, aborts the process as syzkaller's kernels do.
 */

#include <stdbool.h>
#include <stddef.h>

#define REPORT_KINDS(X)				\
	X(REPORT_WARN, "WARNING", false)	\
	X(REPORT_BUG, "BUG", true)		\
	X(REPORT_REFCOUNT, "REFCOUNT", false)	\
	X(REPORT_LOCKDEP, "LOCKDEP", false)	\
	X(REPORT_DEADLOCK, "DEADLOCK", true)	\
	X(REPORT_LIVELOCK, "LIVELOCK", true)	\
	X(REPORT_SLEEP, "SLEEP-IN-ATOMIC", false) \
	X(REPORT_INVARIANT, "INVARIANT", false)	\
	X(REPORT_LEAK, "LEAK", false)

#define __REPORT_ENUM(id, name, fatal) id,
enum report_kind {
	REPORT_KINDS(__REPORT_ENUM)
	REPORT_NR_KINDS
};
#undef __REPORT_ENUM

struct report {
	enum report_kind kind;
	/* The signature line: "KIND: what at f1 < f2 < f3" (top frames). */
	const char *title;
	const char *details;
};

typedef void (*report_hook_t)(const struct report *r);

const char *report_kind_name(enum report_kind kind);

/* Emit a report; returns only if the hook returns and it is not fatal. */
__attribute__((format(printf, 3, 4)))
void bindrace_report(enum report_kind kind, const char *title, const char *fmt, ...);

/* Harness bug or impossible state: print and abort, always. */
__attribute__((format(printf, 1, 2), noreturn))
void bindrace_fatal(const char *fmt, ...);

/* Default true: any WARN aborts.  Capture mode overrides. */
extern bool panic_on_warn;

/*
 * Capture mode, for tests: reports are recorded instead of printed and
 * nothing aborts (a deadlock cancels the blocked tasks instead).
 */
void report_capture_begin(void);
void report_capture_end(void);
unsigned int report_count(enum report_kind kind);
unsigned int report_count_all(void);
/* Title and details of the most recent captured report ("" if none). */
const char *report_last_title(void);
const char *report_last_details(void);
/* True if any captured report's title or details contains @needle. */
bool report_seen(const char *needle);

/*
 * Known findings: BINDRACE_SUPPRESSIONS names a file of shell globs (one a
 * line, # comments) matched against the signature line; a match is
 * counted here and otherwise ignored (not printed, not fatal), and so is
 * every later report of the same run (sched_run_id()): its consequences.
 */
unsigned int report_suppressed_count(void);

/*
 * Frames for signatures: capture return addresses cheaply (frame
 * pointers), name them later, skipping the runtime's own frames.
 */
int bindrace_capture_frames(void **pcs, int max);
/* Frames signatures skip: reporting, locks, the task layer (one list). */
bool bindrace_runtime_frame(const char *name);
void bindrace_format_frames(void *const *pcs, int n, char *out, size_t len);

/* Optional extra hook, called for every report (fuzzers, tools). */
void bindrace_set_report_hook(report_hook_t hook);

/* printk verbosity: messages up to this level go to stderr. */
extern int bindrace_loglevel;

#endif
