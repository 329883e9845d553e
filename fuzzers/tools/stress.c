// SPDX-License-Identifier: MIT
/*
 * bindrace stress: the baselines of the time-to-bug benchmark (issue #4
 * modes e and f).  Random programs, no coverage feedback: on the threads
 * backend this is what a shell loop of bind/unbind/hotplug does to a real
 * kernel; on fibers with a fresh random schedule per run it is PCT-like
 * random scheduling.  Stops at the first finding (the report hook or a
 * sanitizer ends the process) or when the time is up.
 */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The program being run, written out when the process dies of a finding
 * (abort: bindrace's reports, sanitizers with abort_on_error) so that a
 * stress finding can be replayed and minimized like a fuzzer's.
 */
static const uint8_t *cur_buf;
static size_t cur_len;
static uint64_t cur_seed;
static unsigned long runs;	/* started so far: the current one's number */
static char crash_path[64];

/* Async-signal-safe: write(2) only. */
static void put_str(const char *s)
{
	ssize_t n = write(2, s, strlen(s));

	(void)n;
}

static void put_u64(uint64_t v)
{
	char digits[24];
	int i = sizeof(digits);

	do {
		digits[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	ssize_t n = write(2, digits + i, sizeof(digits) - i);

	(void)n;
}

static void dump_current(int sig)
{
	int fd = open(crash_path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	/* How many programs it took: bench-bugs' runs column. */
	put_str("bindrace stress: finding in run ");
	put_u64(runs);
	put_str("\n");
	if (fd >= 0) {
		ssize_t n = write(fd, cur_buf, cur_len);

		(void)n;
		close(fd);
		put_str("bindrace stress: the program is in ");
		put_str(crash_path);
		put_str(", replay it with --seed ");
		put_u64(cur_seed);
		put_str("\n");
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

int stress_run(const struct stress_opts *so)
{
	static uint8_t buf[PROG_MAX_BYTES], enc[PROG_MAX_BYTES];
	static struct prog p;
	uint64_t rng = so->seed ? so->seed : (uint64_t)time(NULL);
	double start = now(), last = start;
	unsigned long findings = 0;

	runs = 0;
	snprintf(crash_path, sizeof(crash_path), "stress-crash-%d.bin", (int)getpid());
	signal(SIGABRT, dump_current);
	fprintf(stderr, "bindrace stress: %s backend, %s schedule, seed %llu, %us\n",
		so->exec.backend == SCHED_THREADS ? "threads" : "fibers",
		so->exec.backend == SCHED_THREADS ? "OS" : "random",
		(unsigned long long)rng, so->seconds);
	while (now() - start < so->seconds) {
		struct exec_opts o = so->exec;
		/* Header, ops and a few schedule bytes: up to the op limit. */
		size_t len = PROG_HDR_SIZE + next_rand(&rng) % (PROG_MAX_OPS * PROG_OP_SIZE);

		for (size_t i = 0; i < len; i += 8) {
			uint64_t r = next_rand(&rng);

			memcpy(buf + i, &r, len - i < 8 ? len - i : 8);
		}
		prog_decode(&p, buf, len);
		/* No schedule bytes: each run draws its own random schedule. */
		p.nr_sched = 0;
		o.seed = next_rand(&rng) | 1;
		/* What `bindrace run FILE --seed S` replays (fibers: exactly). */
		cur_len = prog_encode(&p, enc, sizeof(enc));
		cur_buf = enc;
		cur_seed = o.seed;
		runs++;
		findings += prog_exec(&p, &o) != 0;
		if (findings && so->stop_on_finding)
			break;
		if (!so->quiet && now() - last >= 10) {
			last = now();
			fprintf(stderr, "bindrace stress: %lu runs, %.0f runs/s\n", runs,
				(double)runs / (last - start));
		}
	}
	fprintf(stderr, "bindrace stress: %lu runs in %.1fs, %lu with findings\n", runs,
		now() - start, findings);
	return findings ? 1 : 0;
}
