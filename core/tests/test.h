/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_TEST_H
#define _BINDRACE_TEST_H

/*
 * Unit tests of the model (like drivers/base/test/).  Every test runs under
 * the backend given on the command line; ctest registers each twice.
 */

#include <stdio.h>

#include <bindrace/report.h>
#include <bindrace/sched.h>
#include <bindrace/stats.h>
#include <linux/device.h>

typedef void (*br_test_fn)(void);
void br_test_register(const char *name, br_test_fn fn);

#define BR_TEST(name)							\
	static void test_##name(void);					\
	__attribute__((constructor)) static void reg_##name(void)	\
	{								\
		br_test_register(#name, test_##name);			\
	}								\
	static void test_##name(void)

extern int br_test_failures;
extern enum sched_backend br_test_backend;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		__atomic_fetch_add(&br_test_failures, 1, __ATOMIC_RELAXED); \
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b) {						\
		fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %lld, %s == %lld\n", \
			__FILE__, __LINE__, #a, __a, #b, __b);		\
		__atomic_fetch_add(&br_test_failures, 1, __ATOMIC_RELAXED); \
	}								\
} while (0)

/* Exit code for "not applicable in this build" (ctest SKIP_RETURN_CODE). */
#define BR_TEST_SKIP	77
void br_test_skip(const char *why);
/* The test deliberately leaves state behind (cancelled deadlock). */
void br_test_allow_leaks(void);

/* Run @fn as a task tree on the selected backend (or @seed for fibers). */
enum sched_status br_run(task_fn_t fn, void *arg);
enum sched_status br_run_opts(struct sched_opts *o, task_fn_t fn, void *arg);

/* A platform-like test bus: "foo.N" matches driver "foo"; driver_override wins. */
extern struct bus_type tbus;
extern struct bus_type tbus_locked;

struct tdrv {
	struct device_driver drv;
	int probe_ret[8];	/* results of successive probes; 0 after */
	int nr_probe_ret;
	unsigned int probe_delay_ms;
	int match_ret;		/* if non-zero: what match returns */
	void (*probe_hook)(struct device *dev);
	int probes;		/* atomics */
	int removes;
	int bound;
};

void tdrv_init(struct tdrv *d, const char *name, enum probe_type type);

struct tdev {
	struct device dev;
	int *released;		/* set when freed */
};

/* kzalloc + device_initialize + name; put_device() frees it. */
struct device *tdev_alloc(const char *name, struct device *parent, int *released);
/* Log of probe order: record and read back. */
void order_log(const char *name);
const char *order_get(int i);
int order_len(void);

#endif
