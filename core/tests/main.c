// SPDX-License-Identifier: MIT
/* The unit test runner and the helpers every test shares. */

#include <malloc.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <linux/delay.h>
#include <linux/slab.h>
#include "test.h"

struct entry {
	const char *name;
	br_test_fn fn;
};

static struct entry tests[256];
static int nr_tests;
int br_test_failures;
enum sched_backend br_test_backend = SCHED_FIBERS;
static bool allow_leaks;

void br_test_register(const char *name, br_test_fn fn)
{
	if (nr_tests == (int)(sizeof(tests) / sizeof(tests[0]))) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[nr_tests].name = name;
	tests[nr_tests].fn = fn;
	nr_tests++;
}

static jmp_buf skip_env;
static const char *skip_why;

/* Only from the test body itself (main thread), never from a task. */
void br_test_skip(const char *why)
{
	skip_why = why;
	longjmp(skip_env, 1);
}

void br_test_allow_leaks(void)
{
	allow_leaks = true;
}

enum sched_status br_run_opts(struct sched_opts *o, task_fn_t fn, void *arg)
{
	return sched_run(o, fn, arg);
}

enum sched_status br_run(task_fn_t fn, void *arg)
{
	struct sched_opts o = { .backend = br_test_backend, .seed = 0 };

	return sched_run(&o, fn, arg);
}

/* ---- the test bus ---- */

static int tbus_match(struct device *dev, const struct device_driver *drv)
{
	struct tdrv *td = container_of(drv, struct tdrv, drv);
	const char *name = dev_name(dev);
	size_t len = strlen(drv->name);
	int ret = device_match_driver_override(dev, drv);

	if (ret >= 0)
		return ret;
	if (td->match_ret)
		return td->match_ret;
	return !strncmp(name, drv->name, len) && (name[len] == '.' || !name[len]);
}

struct bus_type tbus = {
	.name = "tbus",
	.match = tbus_match,
};

/* Like USB: probe and release take the parent's device lock too. */
struct bus_type tbus_locked = {
	.name = "tbus_locked",
	.match = tbus_match,
	.need_parent_lock = true,
};

static int tdrv_probe(struct device *dev)
{
	struct tdrv *td = container_of(dev->driver, struct tdrv, drv);
	int n = __atomic_fetch_add(&td->probes, 1, __ATOMIC_SEQ_CST);
	int ret = n < td->nr_probe_ret ? td->probe_ret[n] : 0;

	if (td->probe_delay_ms)
		msleep(td->probe_delay_ms);
	if (td->probe_hook)
		td->probe_hook(dev);
	if (!ret) {
		order_log(dev_name(dev));
		__atomic_fetch_add(&td->bound, 1, __ATOMIC_SEQ_CST);
	}
	return ret;
}

static int tdrv_remove(struct device *dev)
{
	struct tdrv *td = container_of(dev->driver, struct tdrv, drv);

	__atomic_fetch_add(&td->removes, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_sub(&td->bound, 1, __ATOMIC_SEQ_CST);
	return 0;
}

void tdrv_init(struct tdrv *d, const char *name, enum probe_type type)
{
	memset(d, 0, sizeof(*d));
	d->drv.name = name;
	d->drv.bus = &tbus;
	d->drv.probe_type = type;
	d->drv.probe = tdrv_probe;
	d->drv.remove = tdrv_remove;
}

static void tdev_release(struct device *dev)
{
	struct tdev *td = container_of(dev, struct tdev, dev);

	if (td->released)
		(*td->released)++;
	kfree(td);
}

struct device *tdev_alloc(const char *name, struct device *parent, int *released)
{
	struct tdev *td = kzalloc(sizeof(*td), GFP_KERNEL);

	if (!td)
		return NULL;
	td->released = released;
	device_initialize(&td->dev);
	td->dev.bus = &tbus;
	td->dev.parent = parent;
	td->dev.release = tdev_release;
	if (dev_set_name(&td->dev, "%s", name)) {
		put_device(&td->dev);
		return NULL;
	}
	return &td->dev;
}

static const char *order[64];
static int order_n;

void order_log(const char *name)
{
	int i = __atomic_fetch_add(&order_n, 1, __ATOMIC_SEQ_CST);

	if (i < 64)
		order[i] = name;
}

const char *order_get(int i)
{
	return i < order_n && i < 64 ? order[i] : "";
}

int order_len(void)
{
	return order_n;
}

static void setup_body(void *arg)
{
	(void)arg;
	driver_core_init();
	if (bus_register(&tbus) || bus_register(&tbus_locked))
		br_test_failures++;
}

static int run_one(const struct entry *e)
{
	struct sched_opts o = { .backend = br_test_backend };
	long slab0;

	driver_core_reset();
	order_n = 0;
	allow_leaks = false;
	br_test_failures = 0;
	slab0 = slab_live_objects();
	skip_why = NULL;
	/* Counts start at zero for each test of the process. */
	report_capture_begin();
	report_capture_end();
	if (setjmp(skip_env))
		return -1;
	e->fn();
	report_capture_end();
	panic_on_warn = true;
	if (!allow_leaks) {
		for (int k = 0; k < BR_OBJ_NR; k++) {
			if (k == BR_OBJ_PROBE)
				continue;
			if (br_obj_live(k)) {
				fprintf(stderr, "%s: %ld %s objects still live\n", e->name,
					br_obj_live(k), br_obj_name(k));
				br_test_failures++;
			}
		}
		if (slab_live_objects() != slab0) {
			fprintf(stderr, "%s: kmalloc live objects %ld -> %ld\n", e->name,
				slab0, slab_live_objects());
			br_test_failures++;
		}
	}
	(void)o;
	return br_test_failures;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void usage(void)
{
	fprintf(stderr, "usage: bindrace_unit_tests [--backend fibers|threads] [--list] [TEST...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sched_opts o = { .backend = SCHED_FIBERS };
	int failed = 0, ran = 0, skipped = 0, i;
	bool list = false;

#if !defined(BINDRACE_ASAN) && !defined(BINDRACE_TSAN)
	/* One malloc arena: heap accounting (mallinfo2) then sees every thread. */
	mallopt(M_ARENA_MAX, 1);
#endif
	/* The tests expect every report: a campaign's suppressions must not leak in. */
	unsetenv("BINDRACE_SUPPRESSIONS");
	qsort(tests, nr_tests, sizeof(tests[0]), cmp_entry);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--list")) {
			list = true;
		} else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			i++;
			if (!strcmp(argv[i], "fibers"))
				br_test_backend = SCHED_FIBERS;
			else if (!strcmp(argv[i], "threads"))
				br_test_backend = SCHED_THREADS;
			else {
				fprintf(stderr, "unknown backend '%s' (fibers or threads)\n", argv[i]);
				usage();
			}
		} else {
			fprintf(stderr, "unknown option '%s'\n", argv[i]);
			usage();
		}
	}
	if (list) {
		for (int k = 0; k < nr_tests; k++)
			printf("%s\n", tests[k].name);
		return 0;
	}
	sched_run(&o, setup_body, NULL);
	for (int k = 0; k < nr_tests; k++) {
		bool selected = i == argc;

		for (int a = i; a < argc; a++)
			if (!strcmp(argv[a], tests[k].name))
				selected = true;
		if (!selected)
			continue;
		ran++;
		int ret = run_one(&tests[k]);

		if (ret < 0) {
			printf("skip %s (%s): %s\n", tests[k].name,
			       br_test_backend == SCHED_FIBERS ? "fibers" : "threads", skip_why);
			skipped++;
		} else if (ret) {
			printf("FAIL %s (%s)\n", tests[k].name,
			       br_test_backend == SCHED_FIBERS ? "fibers" : "threads");
			failed++;
		} else {
			printf("ok   %s (%s)\n", tests[k].name,
			       br_test_backend == SCHED_FIBERS ? "fibers" : "threads");
		}
	}
	if (!ran) {
		fprintf(stderr, "no test matched\n");
		return 2;
	}
	printf("%d passed, %d failed, %d skipped\n", ran - failed - skipped, failed, skipped);
	if (failed)
		return 1;
	/* One test asked for and skipped: tell ctest (SKIP_RETURN_CODE). */
	return skipped && skipped == ran ? BR_TEST_SKIP : 0;
}
