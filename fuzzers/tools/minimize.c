// SPDX-License-Identifier: MIT
/*
 * Program minimizer (minimize.h).  syz-repro's order: first calls (ops),
 * then the program's options (tasks, workers, schedule, header), then
 * arguments (driver behaviours, op arguments); rounds repeat until one
 * changes nothing.  Each candidate runs in a forked child whose output is
 * read back for its signature, so sanitizer aborts and hangs of one
 * candidate cannot take the minimizer down.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "minimize.h"
#include "signature.h"

#define MAX_ROUNDS	4

struct minimizer {
	const struct minimize_opts *mo;
	char expect[SIGNATURE_MAX];
	unsigned long tried;
	struct timespec start;
	bool out_of_time;
};

static double elapsed(const struct minimizer *m)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - m->start.tv_sec) +
	       (double)(now.tv_nsec - m->start.tv_nsec) / 1e9;
}

/* One run of @p in a child; its signature into @sig.  -1 on a system error. */
static int run_child(const struct minimizer *m, const struct prog *p, char *sig, size_t len)
{
	char path[] = "/tmp/bindrace-minimize-XXXXXX";
	int fd = mkstemp(path), status;
	pid_t pid;
	FILE *f;

	if (fd < 0)
		return -1;
	unlink(path);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd);
		return -1;
	}
	if (!pid) {
		struct exec_opts o = m->mo->exec;

		dup2(fd, 1);
		dup2(fd, 2);
		alarm(m->mo->timeout);
		prog_exec(p, &o);
		fflush(NULL);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -1;
	}
	rewind(f);
	signature_of_stream(f, sig, len);
	fclose(f);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(sig, len, "TIMEOUT");
	return 0;
}

/* Does @p still give the expected signature (in any of the runs)? */
static bool fires(struct minimizer *m, const struct prog *p)
{
	char sig[SIGNATURE_MAX];

	for (unsigned int i = 0; i < m->mo->runs; i++) {
		m->tried++;
		if (run_child(m, p, sig, sizeof(sig)))
			return false;
		if (signature_matches(m->expect, sig))
			return true;
	}
	return false;
}

static bool same(const struct prog *a, const struct prog *b)
{
	static uint8_t ea[PROG_MAX_BYTES], eb[PROG_MAX_BYTES];
	size_t na = prog_encode(a, ea, sizeof(ea)), nb = prog_encode(b, eb, sizeof(eb));

	return na == nb && !memcmp(ea, eb, na);
}

/*
 * A threads-backend finding that fires once in 40 runs costs minutes a
 * candidate: the budget bounds a campaign's triage.
 */
static bool out_of_budget(struct minimizer *m)
{
	if (!m->mo->budget || elapsed(m) < m->mo->budget)
		return false;
	if (!m->out_of_time && !m->mo->quiet)
		fprintf(stderr, "bindrace minimize: budget of %u s spent; keeping the "
			"smallest program so far\n", m->mo->budget);
	m->out_of_time = true;
	return true;
}

/* Keep @cand in @cur if it differs and still fires. */
static bool try(struct minimizer *m, struct prog *cur, struct prog *cand)
{
	prog_normalize(cand);
	if (out_of_budget(m) || same(cand, cur) || !fires(m, cand))
		return false;
	*cur = *cand;
	return true;
}

/* Calls: drop chunks of ops, halving the chunk size down to single ops. */
static bool pass_ops(struct minimizer *m, struct prog *p)
{
	static struct prog c;
	bool changed = false;

	for (int chunk = p->nr_ops > 1 ? p->nr_ops / 2 : 1; chunk >= 1; chunk /= 2) {
		/* Back to front: a removal leaves the indices below it valid. */
		for (int i = p->nr_ops - chunk; i >= 0; i -= chunk) {
			c = *p;
			memmove(&c.ops[i], &c.ops[i + chunk],
				(size_t)(c.nr_ops - i - chunk) * sizeof(c.ops[0]));
			c.nr_ops -= chunk;
			changed |= try(m, p, &c);
		}
	}
	return changed;
}

/* Options: fewer tasks and workers, a shorter schedule, a plainer header. */
static bool pass_options(struct minimizer *m, struct prog *p)
{
	static struct prog c;
	bool changed = false;

	for (int n = 1; n < p->nr_tasks; n++) {
		c = *p;
		c.nr_tasks = n;
		if (try(m, p, &c))
			changed = true;
	}
	for (int n = 1; n < p->max_workers; n *= 2) {
		c = *p;
		c.max_workers = n;
		if (try(m, p, &c))
			changed = true;
	}
	/* Schedule entries: the whole stream, then halves, down to single bytes. */
	c = *p;
	c.nr_sched = 0;
	changed |= try(m, p, &c);
	for (size_t chunk = p->nr_sched > 1 ? p->nr_sched / 2 : 1; p->nr_sched && chunk >= 1;
	     chunk /= 2) {
		for (long i = (long)p->nr_sched - (long)chunk; i >= 0; i -= (long)chunk) {
			c = *p;
			memmove(&c.sched[i], &c.sched[i + chunk], c.nr_sched - (size_t)i - chunk);
			c.nr_sched -= chunk;
			changed |= try(m, p, &c);
		}
	}
	for (size_t i = 0; i < p->nr_sched; i++) {
		if (!p->sched[i])
			continue;
		c = *p;
		c.sched[i] = 0;
		changed |= try(m, p, &c);
	}
	if (p->sched_seed) {
		c = *p;
		c.sched_seed = 0;	/* a round-robin tail is the plainer schedule */
		changed |= try(m, p, &c);
	}
	if (p->fail_nth) {
		c = *p;
		c.fail_nth = 0;
		changed |= try(m, p, &c);
	}
	for (unsigned int bit = 1; bit & PROG_F_MASK; bit <<= 1) {
		if (!(p->flags & bit))
			continue;
		c = *p;
		c.flags &= ~bit;
		changed |= try(m, p, &c);
	}
	return changed;
}

/* Try the simplest value of one byte of a candidate copy. */
static bool try_byte(struct minimizer *m, struct prog *p, uint8_t *field, uint8_t simplest)
{
	static struct prog c;
	size_t off = (size_t)(field - (uint8_t *)p);

	if (*field == simplest)
		return false;
	c = *p;
	*((uint8_t *)&c + off) = simplest;
	return try(m, p, &c);
}

/* Arguments: driver behaviours to their defaults, op arguments to the simplest. */
static bool pass_args(struct minimizer *m, struct prog *p)
{
	bool changed = false;

	for (int d = 0; d < PROG_NR_DRVS; d++) {
		struct prog_behaviour *b = &p->beh[d];

		changed |= try_byte(m, p, &b->probe_action, ACT_NONE);
		changed |= try_byte(m, p, &b->remove_action, ACT_NONE);
		for (int i = 0; i < PROG_NR_RESULT_SEQ; i++)
			changed |= try_byte(m, p, &b->results[i], RES_OK);
		changed |= try_byte(m, p, &b->match, M_NAME);
		changed |= try_byte(m, p, &b->probe_type, PT_DEFAULT);
		changed |= try_byte(m, p, &b->action_arg, 0);
	}
	for (int i = 0; i < p->nr_ops; i++) {
		struct prog_op *op = &p->ops[i];
		const struct prog_op_desc *d = &prog_op_table[op->op];

		if (d->owner == OWN_ANY)
			changed |= try_byte(m, p, &op->task, 0);
		for (int a = 0; a < 3; a++) {
			enum prog_arg_kind k = d->args[a];
			unsigned int top = prog_arg_table[k].range - 1;

			if (k == A_NONE)
				continue;
			/* "none" (the top value) is the simplest parent or override. */
			if (k == A_PARENT || k == A_DRV_OR_NONE)
				changed |= try_byte(m, p, &op->args[a], (uint8_t)top);
			else
				changed |= try_byte(m, p, &op->args[a], 0);
		}
	}
	return changed;
}

static void progress(const struct minimizer *m, const char *pass, const struct prog *p)
{
	if (m->mo->quiet)
		return;
	fprintf(stderr, "bindrace minimize: %-9s %2d ops, %d task(s), %d worker(s), "
		"%4zu schedule bytes  (%lu runs, %.1fs)\n", pass, p->nr_ops, p->nr_tasks,
		p->max_workers, p->nr_sched, m->tried, elapsed(m));
}

int prog_minimize(struct prog *p, const struct minimize_opts *mo, char *sig, size_t siglen)
{
	struct minimizer m = { .mo = mo };
	char first[SIGNATURE_MAX];

	clock_gettime(CLOCK_MONOTONIC, &m.start);
	prog_normalize(p);
	/* The input must fire first; its own signature when none is given. */
	if (run_child(&m, p, first, sizeof(first)))
		return -1;
	m.tried++;
	snprintf(m.expect, sizeof(m.expect), "%s", mo->expect ? mo->expect : first);
	if (!signature_matches(m.expect, first) && !fires(&m, p)) {
		snprintf(sig, siglen, "%s", first);
		return 1;
	}
	progress(&m, "input", p);
	for (int round = 0; round < MAX_ROUNDS; round++) {
		bool changed = false;

		changed |= pass_ops(&m, p);
		progress(&m, "ops", p);
		changed |= pass_options(&m, p);
		progress(&m, "options", p);
		changed |= pass_args(&m, p);
		progress(&m, "args", p);
		if (!changed || m.out_of_time)
			break;
	}
	/* The result's own signature: a timing-dependent one gets every run. */
	for (unsigned int i = 0; i == 0 || i < mo->runs; i++) {
		if (run_child(&m, p, sig, siglen))
			return -1;
		if (signature_matches(m.expect, sig))
			return 0;
	}
	return 1;
}
