// SPDX-License-Identifier: MIT
/*
 * Micro-benchmarks of the task layer and the model, for scripts/bench-core.
 * Prints the median of REPS repetitions of each measurement.
 */

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bindrace/sched.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/slab.h>

static int reps = 7;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- fiber switch: two tasks, a switch at every schedule point ---- */

#define SWITCH_POINTS 200000

static void spinner(void *arg)
{
	for (int i = 0; i < SWITCH_POINTS; i++)
		sched_point(SP_ATOMIC, NULL);
}

static void two_spinners(void *arg)
{
	struct task *a = sched_spawn("a", spinner, NULL);

	spinner(NULL);
	sched_join(a);
}

static double bench_fiber_switch(void)
{
	struct sched_opts o = { .backend = SCHED_FIBERS, .max_run = 1 };
	double t = now_ns();

	sched_run(&o, two_spinners, NULL);
	t = now_ns() - t;
	return t / (double)sched_nr_switches();
}

/* ---- thread hand-off: ping-pong over two completions ---- */

#define HANDOFFS 20000

struct pingpong {
	struct completion ping, pong;
};

static void ponger(void *arg)
{
	struct pingpong *pp = arg;

	for (int i = 0; i < HANDOFFS; i++) {
		wait_for_completion(&pp->ping);
		complete(&pp->pong);
	}
}

static void pinger(void *arg)
{
	struct pingpong *pp = arg;
	struct task *t;

	init_completion(&pp->ping);
	init_completion(&pp->pong);
	t = sched_spawn("ponger", ponger, pp);
	for (int i = 0; i < HANDOFFS; i++) {
		complete(&pp->ping);
		wait_for_completion(&pp->pong);
	}
	sched_join(t);
}

static double bench_handoff(enum sched_backend backend)
{
	struct sched_opts o = { .backend = backend };
	struct pingpong pp;
	double t = now_ns();

	sched_run(&o, pinger, &pp);
	t = now_ns() - t;
	return t / (2.0 * HANDOFFS);
}

/* ---- one add/register/bind/unbind/unregister/del cycle per run ---- */

static int bench_match(struct device *dev, const struct device_driver *drv)
{
	return 1;
}

static const struct bus_type bench_bus = { .name = "bench", .match = bench_match };

static int bench_probe(struct device *dev)
{
	return 0;
}

static void bench_release(struct device *dev)
{
	kfree(dev);
}

static void cycle(void *arg)
{
	struct device_driver drv = { .name = "drv", .bus = &bench_bus, .probe = bench_probe };
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	device_initialize(dev);
	dev->bus = &bench_bus;
	dev->release = bench_release;
	dev_set_name(dev, "dev0");
	if (device_add(dev) || driver_register(&drv) || !dev->driver) {
		fprintf(stderr, "bench: cycle did not bind\n");
		exit(1);
	}
	device_release_driver(dev);
	driver_unregister(&drv);
	device_del(dev);
	put_device(dev);
}

static void setup(void *arg)
{
	driver_core_init();
	if (bus_register(&bench_bus))
		exit(1);
}

static double bench_cycle(enum sched_backend backend, int n)
{
	struct sched_opts o = { .backend = backend, .seed = 1 };
	double t = now_ns();

	for (int i = 0; i < n; i++) {
		driver_core_reset();
		sched_run(&o, cycle, NULL);
	}
	return (now_ns() - t) / n;
}

/*
 * ---- the machine: a cache line's round trip between two CPUs ----
 *
 * Not the model's, but the threads backend pays it for every line both
 * cores write.  On these virtual machines it moved between about 100 and
 * 500 ns within minutes (presumably the host placing the two virtual
 * CPUs near or far), and fuzz_bind_threads' time a run partly with it
 * (README, session 20).
 */

#define XCPU_ROUNDS 100000

static int xcpu_word __attribute__((aligned(64)));
static int xcpu_cpu[2];

static bool xcpu_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return !pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *xcpu_ponger(void *arg)
{
	xcpu_pin(xcpu_cpu[1]);
	for (int i = 0; i < XCPU_ROUNDS; i++) {
		while (__atomic_load_n(&xcpu_word, __ATOMIC_ACQUIRE) != 1)
			;
		__atomic_store_n(&xcpu_word, 0, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* The first two CPUs this process may run on; false if it has one. */
static bool xcpu_pick(void)
{
	cpu_set_t set;
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return false;
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &set))
			xcpu_cpu[n++] = c;
	return n == 2;
}

/* ns a round trip; the caller's affinity is restored. */
static double bench_xcpu(void)
{
	cpu_set_t saved;
	pthread_t th;
	double t;

	pthread_getaffinity_np(pthread_self(), sizeof(saved), &saved);
	xcpu_word = 0;
	if (!xcpu_pin(xcpu_cpu[0]) || pthread_create(&th, NULL, xcpu_ponger, NULL)) {
		fprintf(stderr, "bench: cannot run on CPUs %d and %d\n", xcpu_cpu[0], xcpu_cpu[1]);
		exit(1);
	}
	t = now_ns();
	for (int i = 0; i < XCPU_ROUNDS; i++) {
		__atomic_store_n(&xcpu_word, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&xcpu_word, __ATOMIC_ACQUIRE) != 0)
			;
	}
	t = now_ns() - t;
	pthread_join(th, NULL);
	pthread_setaffinity_np(pthread_self(), sizeof(saved), &saved);
	return t / XCPU_ROUNDS;
}

static void usage(void)
{
	fprintf(stderr, "usage: bindrace_bench_core [--xcpu] [REPS 1..64]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sched_opts o = { .backend = SCHED_FIBERS };
	double v[64], sw, hf, ht, cf, ct, xc = 0;
	bool xcpu_only = false, xcpu;
	int i = 1;

	if (i < argc && !strcmp(argv[i], "--xcpu")) {
		xcpu_only = true;
		i++;
	}
	if (i < argc) {
		char *end;

		reps = (int)strtol(argv[i++], &end, 10);
		if (*end)
			usage();
	}
	if (i < argc || reps < 1 || reps > 64)
		usage();
	xcpu = xcpu_pick();
	if (xcpu) {
		for (int r = 0; r < reps; r++)
			v[r] = bench_xcpu();
		xc = median(v, reps);
	}
	if (xcpu_only) {
		if (!xcpu) {
			fprintf(stderr, "bench: --xcpu needs two CPUs\n");
			return 1;
		}
		printf("%.0f\n", xc);
		return 0;
	}
	sched_run(&o, setup, NULL);
	bench_cycle(SCHED_THREADS, 200);		/* warm the thread pool */

	for (int i = 0; i < reps; i++)
		v[i] = bench_fiber_switch();
	sw = median(v, reps);
	for (int i = 0; i < reps; i++)
		v[i] = bench_handoff(SCHED_FIBERS);
	hf = median(v, reps);
	for (int i = 0; i < reps; i++)
		v[i] = bench_handoff(SCHED_THREADS);
	ht = median(v, reps);
	for (int i = 0; i < reps; i++)
		v[i] = bench_cycle(SCHED_FIBERS, 2000);
	cf = median(v, reps);
	for (int i = 0; i < reps; i++)
		v[i] = bench_cycle(SCHED_THREADS, 500);
	ct = median(v, reps);

	printf("medians of %d runs\n", reps);
	printf("%-44s %10.3f us\n", "fiber switch (schedule point + switch)", sw / 1000);
	printf("%-44s %10.3f us\n", "hand-off via completion, fibers", hf / 1000);
	printf("%-44s %10.3f us\n", "hand-off via completion, threads", ht / 1000);
	printf("%-44s %10.3f us\n", "add/register/bind/unbind/unregister/del, fibers", cf / 1000);
	printf("%-44s %10.3f us\n", "add/register/bind/unbind/unregister/del, threads", ct / 1000);
	printf("%-44s %10.1fx\n", "cycle ratio threads/fibers", ct / cf);
	if (xcpu) {
		char label[64];

		snprintf(label, sizeof(label), "cache line round trip, CPUs %d and %d",
			 xcpu_cpu[0], xcpu_cpu[1]);
		printf("%-44s %10.0f ns\n", label, xc);
	}
	return 0;
}
