// SPDX-License-Identifier: MIT
/* libnvdimm's claim-death unregister (B5) and device_for_each_child. */

#include <linux/async.h>
#include <linux/nd.h>
#include <linux/slab.h>
#include "test.h"

static int count_child(struct device *dev, void *data)
{
	int *n = data;

	return ++*n == 2 ? -1 : 0;
}

static void body_for_each_child(void *arg)
{
	struct device *parent = tdev_alloc("foo.0", NULL, NULL);
	struct device *child[3];
	char name[8];
	int n = 0;

	CHECK_EQ(device_add(parent), 0);
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "bar.%d", i);
		child[i] = tdev_alloc(name, parent, NULL);
		CHECK_EQ(device_add(child[i]), 0);
	}
	CHECK_EQ(device_for_each_child(parent, &n, count_child), -1);
	CHECK_EQ(n, 2);		/* stopped at the first error */
	device_unregister(child[1]);
	n = -10;
	CHECK_EQ(device_for_each_child(parent, &n, count_child), 0);
	CHECK_EQ(n, -8);	/* a deleted child is not visited */
	CHECK_EQ(device_for_each_child(NULL, &n, count_child), 0);
	device_unregister(child[0]);
	device_unregister(child[2]);
	device_unregister(parent);
}

BR_TEST(device_for_each_child_visits_live_children)
{
	CHECK_EQ(br_run(body_for_each_child, NULL), SCHED_OK);
}

/*
 * Both orders of the two requests: the device's own store (ND_ASYNC, under
 * its lock) and its parent's teardown (ND_SYNC).  The loser backs off, so
 * device_del() runs once and the device is freed once.
 */
static void nd_both(bool async_first)
{
	struct device *parent = tdev_alloc("foo.1", NULL, NULL);
	int released = 0;
	struct device *child;

	CHECK_EQ(device_add(parent), 0);
	child = tdev_alloc("bar.3", parent, &released);
	CHECK_EQ(device_add(child), 0);
	get_device(child);	/* the parent's iterator pins it, like this */
	for (int i = 0; i < 2; i++) {
		if (async_first == (i == 0)) {
			device_lock(child);
			nd_device_unregister(child, ND_ASYNC);
			device_unlock(child);
		} else {
			nd_device_unregister(child, ND_SYNC);
		}
	}
	put_device(child);
	nd_synchronize();
	CHECK_EQ(released, 1);
	CHECK_EQ(report_count(REPORT_WARN), 0);
	device_unregister(parent);
}

static void body_nd_async_first(void *arg)
{
	nd_both(true);
}

static void body_nd_sync_first(void *arg)
{
	nd_both(false);
}

BR_TEST(nd_device_unregister_claims_death_once)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_nd_async_first, NULL), SCHED_OK);
	CHECK_EQ(report_count_all(), 0);
	report_capture_begin();
	CHECK_EQ(br_run(body_nd_sync_first, NULL), SCHED_OK);
	CHECK_EQ(report_count_all(), 0);
}

/*
 * The store holds the device lock: with async's inline fallback forced
 * (mainline's path under memory pressure) the unregistration must still
 * run elsewhere; and when its allocation fails, nothing is claimed.
 */
static void body_nd_async_no_inline(void *arg)
{
	int released = 0;
	struct device *dev = tdev_alloc("bar.4", NULL, &released);

	CHECK_EQ(device_add(dev), 0);
	fault_inject_set_nth(1);
	device_lock(dev);
	nd_device_unregister(dev, ND_ASYNC);
	device_unlock(dev);
	CHECK_EQ(fault_inject_hits(), 1);
	async_max_work = -1;
	device_lock(dev);
	nd_device_unregister(dev, ND_ASYNC);
	CHECK_EQ(released, 0);		/* not run under the lock */
	device_unlock(dev);
	async_max_work = ASYNC_MAX_WORK;
	nd_synchronize();
	CHECK_EQ(released, 1);
}

BR_TEST(nd_async_unregister_never_runs_under_the_lock)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_nd_async_no_inline, NULL), SCHED_OK);
	CHECK_EQ(report_count_all(), 0);
}
