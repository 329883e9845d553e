// SPDX-License-Identifier: MIT
/*
 * The kernel's test_async_driver_probe scenarios in virtual time, plus the
 * async layer's own rules (current_is_async, the synchronous fallback).
 */

#include <linux/async.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include "test.h"

#define PROBE_MS	5000
#define THRESHOLD_NS	2500000000ULL
#define NR_ASYNC	4

static uint64_t now(void)
{
	return sched_clock_ns();
}

static void body_async_probe(void *arg)
{
	struct tdrv async_drv, sync_drv;
	struct device *adev[2 * NR_ASYNC], *sdev[2];
	char name[32];
	uint64_t t;
	int i;

	tdrv_init(&async_drv, "test_async_driver", PROBE_PREFER_ASYNCHRONOUS);
	async_drv.probe_delay_ms = PROBE_MS;
	tdrv_init(&sync_drv, "test_sync_driver", PROBE_FORCE_SYNCHRONOUS);
	sync_drv.probe_delay_ms = PROBE_MS;

	/* 1-2: devices first; an async driver_register must not wait. */
	for (i = 0; i < NR_ASYNC; i++) {
		snprintf(name, sizeof(name), "test_async_driver.%d", i);
		adev[i] = tdev_alloc(name, NULL, NULL);
		CHECK_EQ(device_add(adev[i]), 0);
	}
	t = now();
	CHECK_EQ(driver_register(&async_drv.drv), 0);
	CHECK(now() - t < THRESHOLD_NS);

	/* 3: device_add with an async driver returns at once. */
	t = now();
	for (i = NR_ASYNC; i < 2 * NR_ASYNC; i++) {
		snprintf(name, sizeof(name), "test_async_driver.%d", i);
		adev[i] = tdev_alloc(name, NULL, NULL);
		CHECK_EQ(device_add(adev[i]), 0);
	}
	CHECK(now() - t < THRESHOLD_NS);

	/* 4: a sync driver's registration runs the probe inline. */
	sdev[0] = tdev_alloc("test_sync_driver.0", NULL, NULL);
	CHECK_EQ(device_add(sdev[0]), 0);
	t = now();
	CHECK_EQ(driver_register(&sync_drv.drv), 0);
	CHECK(now() - t >= THRESHOLD_NS);
	CHECK(sdev[0]->driver == &sync_drv.drv);

	/* 5: so does device_add of a second sync device. */
	sdev[1] = tdev_alloc("test_sync_driver.1", NULL, NULL);
	t = now();
	CHECK_EQ(device_add(sdev[1]), 0);
	CHECK(now() - t >= THRESHOLD_NS);

	/* 6: by now (>= 10 s) every async probe has completed. */
	CHECK(now() >= 10 * 1000000000ULL);
	CHECK_EQ(__atomic_load_n(&async_drv.bound, __ATOMIC_SEQ_CST), 2 * NR_ASYNC);
	for (i = 0; i < 2 * NR_ASYNC; i++)
		CHECK(adev[i]->driver == &async_drv.drv);

	/* 8: teardown order of the module: drivers, then devices. */
	driver_unregister(&sync_drv.drv);
	driver_unregister(&async_drv.drv);
	for (i = 0; i < 2; i++)
		device_unregister(sdev[i]);
	for (i = 0; i < 2 * NR_ASYNC; i++)
		device_unregister(adev[i]);
	CHECK_EQ(async_drv.removes, 2 * NR_ASYNC);
	CHECK_EQ(sync_drv.removes, 2);
}

BR_TEST(test_async_driver_probe_timing)
{
	CHECK_EQ(br_run(body_async_probe, NULL), SCHED_OK);
}

static void body_unregister_flushes(void *arg)
{
	struct tdrv d;
	struct device *dev[NR_ASYNC];
	char name[32];
	uint64_t t;

	tdrv_init(&d, "slow", PROBE_PREFER_ASYNCHRONOUS);
	d.probe_delay_ms = PROBE_MS;
	for (int i = 0; i < NR_ASYNC; i++) {
		snprintf(name, sizeof(name), "slow.%d", i);
		dev[i] = tdev_alloc(name, NULL, NULL);
		CHECK_EQ(device_add(dev[i]), 0);
	}
	t = now();
	CHECK_EQ(driver_register(&d.drv), 0);
	CHECK(now() - t < THRESHOLD_NS);
	/* In flight now; unregister must wait for them, then unbind all. */
	driver_unregister(&d.drv);
	CHECK(now() - t >= PROBE_MS * 1000000ULL);
	CHECK_EQ(d.probes, NR_ASYNC);
	CHECK_EQ(d.removes, NR_ASYNC);
	CHECK_EQ(__atomic_load_n(&d.bound, __ATOMIC_SEQ_CST), 0);
	CHECK_EQ(async_pending_count(), 0);
	for (int i = 0; i < NR_ASYNC; i++) {
		CHECK(!dev[i]->driver);
		device_unregister(dev[i]);
	}
}

BR_TEST(driver_unregister_waits_for_async_probes)
{
	CHECK_EQ(br_run(body_unregister_flushes, NULL), SCHED_OK);
}

static int saw_async[2];

static void record_async(struct device *dev)
{
	saw_async[current_is_async()]++;
}

static void body_current_is_async(void *arg)
{
	struct tdrv a, s;
	struct device *d1, *d2;

	saw_async[0] = saw_async[1] = 0;
	tdrv_init(&a, "aa", PROBE_PREFER_ASYNCHRONOUS);
	a.probe_hook = record_async;
	tdrv_init(&s, "ss", PROBE_FORCE_SYNCHRONOUS);
	s.probe_hook = record_async;
	CHECK_EQ(driver_register(&a.drv), 0);
	CHECK_EQ(driver_register(&s.drv), 0);
	d1 = tdev_alloc("aa.0", NULL, NULL);
	d2 = tdev_alloc("ss.0", NULL, NULL);
	CHECK_EQ(device_add(d1), 0);
	CHECK_EQ(device_add(d2), 0);
	CHECK(!current_is_async());
	wait_for_device_probe();
	CHECK(d1->driver == &a.drv);
	CHECK_EQ(saw_async[1], 1);
	CHECK_EQ(saw_async[0], 1);
	device_unregister(d1);
	device_unregister(d2);
	driver_unregister(&a.drv);
	driver_unregister(&s.drv);
}

BR_TEST(async_probe_runs_in_async_context)
{
	CHECK_EQ(br_run(body_current_is_async, NULL), SCHED_OK);
}

static void body_sync_fallback(void *arg)
{
	struct tdrv a;
	struct device *dev, *dev2;

	saw_async[0] = saw_async[1] = 0;
	tdrv_init(&a, "aa", PROBE_PREFER_ASYNCHRONOUS);
	a.probe_hook = record_async;
	CHECK_EQ(driver_register(&a.drv), 0);
	/*
	 * Too much pending: async_schedule_dev() runs the helper in the
	 * caller.  Mainline schedules outside the device lock, so no AA.
	 */
	async_max_work = -1;
	dev = tdev_alloc("aa.0", NULL, NULL);
	CHECK_EQ(device_add(dev), 0);
	CHECK(dev->driver == &a.drv);
	CHECK_EQ(saw_async[0], 1);
	async_max_work = ASYNC_MAX_WORK;

	/* Same through a failed entry allocation (fault injection). */
	dev2 = tdev_alloc("aa.1", NULL, NULL);
	/* device_add allocates p, then the async entry is the next kmalloc. */
	fault_inject_set_nth(2);
	CHECK_EQ(device_add(dev2), 0);
	CHECK_EQ(fault_inject_hits(), 1);
	CHECK(dev2->driver == &a.drv);
	CHECK_EQ(saw_async[0], 2);
	device_unregister(dev);
	device_unregister(dev2);
	driver_unregister(&a.drv);
}

BR_TEST(async_synchronous_fallback)
{
	CHECK_EQ(br_run(body_sync_fallback, NULL), SCHED_OK);
}

static int async_log[8], async_log_n;
static ASYNC_DOMAIN_EXCLUSIVE(excl_domain);

static void async_fn(void *data, async_cookie_t cookie)
{
	msleep((unsigned int)(uintptr_t)data);
	async_log[__atomic_fetch_add(&async_log_n, 1, __ATOMIC_SEQ_CST)] = (int)cookie;
}

static void body_async_cookies(void *arg)
{
	async_cookie_t c1, c2, c3, cx;

	async_log_n = 0;
	c1 = async_schedule(async_fn, (void *)300);
	c2 = async_schedule(async_fn, (void *)100);
	cx = async_schedule_domain(async_fn, (void *)5000, &excl_domain);
	c3 = async_schedule(async_fn, (void *)200);
	CHECK(c1 < c2 && c2 < cx && cx < c3);
	/* Waiting for c2 means everything before it is done, not c3. */
	async_synchronize_cookie(c2 + 1);
	CHECK(sched_clock_ns() >= 300000000ULL);
	/* The full sync ignores the exclusive domain. */
	async_synchronize_full();
	CHECK(sched_clock_ns() < 5000000000ULL);
	CHECK_EQ(__atomic_load_n(&async_log_n, __ATOMIC_SEQ_CST), 3);
	async_synchronize_full_domain(&excl_domain);
	CHECK(sched_clock_ns() >= 5000000000ULL);
	CHECK_EQ(__atomic_load_n(&async_log_n, __ATOMIC_SEQ_CST), 4);
	CHECK_EQ(async_pending_count(), 0);
}

BR_TEST(async_cookies_and_domains)
{
	CHECK_EQ(br_run(body_async_cookies, NULL), SCHED_OK);
}
