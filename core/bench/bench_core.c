// SPDX-License-Identifier: MIT
/*
 * Micro-benchmarks of the task layer and the model, for scripts/bench-core.
 * Prints the median of REPS repetitions of each measurement.
 */

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

int main(int argc, char **argv)
{
	struct sched_opts o = { .backend = SCHED_FIBERS };
	double v[64], sw, hf, ht, cf, ct;

	if (argc > 1)
		reps = atoi(argv[1]);
	if (reps < 1 || reps > 64) {
		fprintf(stderr, "usage: bindrace_bench_core [REPS 1..64]\n");
		return 2;
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
	return 0;
}
