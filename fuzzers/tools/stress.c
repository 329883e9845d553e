// SPDX-License-Identifier: MIT
/*
 * bindrace stress: the baselines of the time-to-bug benchmark (issue #4
 * modes e and f).  Random programs, no coverage feedback: on the threads
 * backend this is what a shell loop of bind/unbind/hotplug does to a real
 * kernel; on fibers with a fresh random schedule per run it is PCT-like
 * random scheduling.  Stops at the first finding (the report hook or a
 * sanitizer ends the process) or when the time is up.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int stress_run(const struct stress_opts *so)
{
	static uint8_t buf[PROG_MAX_BYTES];
	static struct prog p;
	uint64_t rng = so->seed ? so->seed : (uint64_t)time(NULL);
	double start = now(), last = start;
	unsigned long runs = 0, findings = 0;

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
		o.ignore_schedule = true;
		o.seed = next_rand(&rng) | 1;
		findings += prog_exec(&p, &o) != 0;
		runs++;
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
