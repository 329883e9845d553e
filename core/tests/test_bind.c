// SPDX-License-Identifier: MIT
/* Probe results, manual bind/unbind through the sysfs stores, overrides. */

#include <string.h>

#include <linux/delay.h>
#include <linux/slab.h>
#include "../base/base.h"
#include "test.h"

static void body_probe_error(void *arg)
{
	struct tdrv d;
	struct device *dev;

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	d.probe_ret[0] = -ENODEV;
	d.nr_probe_ret = 1;
	CHECK_EQ(driver_register(&d.drv), 0);
	dev = tdev_alloc("foo.0", NULL, NULL);
	CHECK_EQ(device_add(dev), 0);
	CHECK_EQ(d.probes, 1);
	CHECK(!dev->driver);
	CHECK(!device_is_bound(dev));
	CHECK(!driver_deferred_probe_pending(dev));
	/* A later manual bind tries again and succeeds. */
	CHECK_EQ(bind_store(&d.drv, "foo.0", 5), 5);
	CHECK(dev->driver == &d.drv);
	device_unregister(dev);
	driver_unregister(&d.drv);
	CHECK_EQ(d.removes, 1);
}

BR_TEST(probe_error_leaves_device_unbound)
{
	CHECK_EQ(br_run(body_probe_error, NULL), SCHED_OK);
}

static void body_probe_defer(void *arg)
{
	struct tdrv d, other;
	struct device *dev, *odev;

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	d.probe_ret[0] = -EPROBE_DEFER;
	d.nr_probe_ret = 1;
	tdrv_init(&other, "bar", PROBE_DEFAULT_STRATEGY);
	CHECK_EQ(driver_register(&d.drv), 0);
	CHECK_EQ(driver_register(&other.drv), 0);
	dev = tdev_alloc("foo.0", NULL, NULL);
	CHECK_EQ(device_add(dev), 0);
	CHECK(!dev->driver);
	CHECK(driver_deferred_probe_pending(dev));
	/* Any successful bind triggers the deferred list. */
	odev = tdev_alloc("bar.0", NULL, NULL);
	CHECK_EQ(device_add(odev), 0);
	CHECK(odev->driver == &other.drv);
	wait_for_device_probe();
	CHECK(dev->driver == &d.drv);
	CHECK_EQ(d.probes, 2);
	CHECK(!driver_deferred_probe_pending(dev));
	device_unregister(dev);
	device_unregister(odev);
	driver_unregister(&d.drv);
	driver_unregister(&other.drv);
}

BR_TEST(probe_defer_then_trigger_binds)
{
	CHECK_EQ(br_run(body_probe_defer, NULL), SCHED_OK);
}

/*
 * Reference §6.4: once device_del() has taken a device off the deferred
 * lists, nothing may list it again (the lists pin nothing).  The oracle
 * fires at the listing, under deferred_probe_mutex, not at the free.
 */
static void body_listed_after_del(void *arg)
{
	struct tdrv d;
	struct device *dev;

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	d.probe_ret[0] = -EPROBE_DEFER;
	d.nr_probe_ret = 1;
	CHECK_EQ(driver_register(&d.drv), 0);
	dev = tdev_alloc("foo.0", NULL, NULL);
	CHECK_EQ(device_add(dev), 0);
	CHECK(driver_deferred_probe_pending(dev));
	get_device(dev);
	device_del(dev);
	CHECK(!driver_deferred_probe_pending(dev));
	CHECK_EQ(report_count_all(), 0);
	driver_deferred_probe_add(dev);
	CHECK(report_seen("deferred probe listed a device after its device_del()"));
	/* The model then does what the kernel would: the device stays listed. */
	CHECK(driver_deferred_probe_pending(dev));
	put_device(dev);
	put_device(dev);
	CHECK(report_seen("device freed while on a deferred probe list"));
	driver_unregister(&d.drv);
}

BR_TEST(deferred_listing_after_device_del_is_reported)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_listed_after_del, NULL), SCHED_OK);
}

static void body_bind_busy(void *arg)
{
	struct tdrv a, b;
	struct device *dev;

	tdrv_init(&a, "foo", PROBE_DEFAULT_STRATEGY);
	tdrv_init(&b, "foo2", PROBE_DEFAULT_STRATEGY);
	b.match_ret = 1;	/* matches everything */
	CHECK_EQ(driver_register(&a.drv), 0);
	dev = tdev_alloc("foo.0", NULL, NULL);
	CHECK_EQ(device_add(dev), 0);
	CHECK(dev->driver == &a.drv);
	CHECK_EQ(driver_register(&b.drv), 0);
	CHECK(dev->driver == &a.drv);
	/* Bound already: manual bind of another driver is refused. */
	CHECK_EQ(bind_store(&b.drv, "foo.0\n", 6), -EBUSY);
	CHECK_EQ(bind_store(&a.drv, "foo.0", 5), -EBUSY);
	CHECK_EQ(bind_store(&a.drv, "nosuch.0", 8), -ENODEV);
	/* Unbind through the other driver's file does nothing (B23a). */
	CHECK_EQ(unbind_store(&b.drv, "foo.0", 5), -ENODEV);
	CHECK(dev->driver == &a.drv);
	CHECK_EQ(unbind_store(&a.drv, "foo.0", 5), 5);
	CHECK(!dev->driver);
	CHECK_EQ(a.removes, 1);
	CHECK_EQ(bind_store(&b.drv, "foo.0", 5), 5);
	CHECK(dev->driver == &b.drv);
	device_unregister(dev);
	driver_unregister(&a.drv);
	driver_unregister(&b.drv);
	CHECK_EQ(b.removes, 1);
}

BR_TEST(bind_store_busy_and_unbind_of_other_driver)
{
	CHECK_EQ(br_run(body_bind_busy, NULL), SCHED_OK);
}

static void body_reregister(void *arg)
{
	struct tdrv d;
	struct device *dev;

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	dev = tdev_alloc("foo.0", NULL, NULL);
	CHECK_EQ(device_add(dev), 0);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(driver_register(&d.drv), 0);
		CHECK(dev->driver == &d.drv);
		driver_unregister(&d.drv);
		CHECK(!dev->driver);
		CHECK(!d.drv.p);
	}
	CHECK_EQ(d.probes, 3);
	CHECK_EQ(d.removes, 3);
	device_unregister(dev);
}

BR_TEST(reregister_after_unregister)
{
	CHECK_EQ(br_run(body_reregister, NULL), SCHED_OK);
}

static void body_duplicate(void *arg)
{
	struct tdrv d, twin;
	struct device_driver nobus = { .name = "nobus" };
	struct bus_type unregistered = { .name = "ghost" };
	struct device_driver ghost = { .name = "ghost", .bus = &unregistered };

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	tdrv_init(&twin, "foo", PROBE_DEFAULT_STRATEGY);
	CHECK_EQ(driver_register(&d.drv), 0);
	CHECK_EQ(driver_register(&d.drv), -EBUSY);
	CHECK_EQ(driver_register(&twin.drv), -EBUSY);
	CHECK_EQ(driver_register(&nobus), -EINVAL);
	CHECK_EQ(driver_register(&ghost), -EINVAL);
	CHECK_EQ(driver_register(NULL), -EINVAL);
	driver_unregister(&d.drv);
	/* Unregistering what is not registered: the kernel's WARN. */
	driver_unregister(&d.drv);
	CHECK_EQ(report_count(REPORT_WARN), 1);
	CHECK(report_seen("Unexpected driver unregister"));
}

BR_TEST(driver_register_errors)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_duplicate, NULL), SCHED_OK);
}

static void body_autoprobe(void *arg)
{
	struct tdrv d;
	struct device *dev, *dev2;

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	CHECK_EQ(driver_register(&d.drv), 0);
	CHECK_EQ(drivers_autoprobe_store(&tbus, "0", 1), 1);
	CHECK(!bus_drivers_autoprobe(&tbus));
	dev = tdev_alloc("foo.0", NULL, NULL);
	dev2 = tdev_alloc("foo.1", NULL, NULL);
	CHECK_EQ(device_add(dev), 0);
	CHECK_EQ(device_add(dev2), 0);
	CHECK(!dev->driver && !dev2->driver);
	CHECK_EQ(drivers_probe_store(&tbus, "foo.0", 5), 5);
	CHECK(dev->driver == &d.drv);
	CHECK(!dev2->driver);
	CHECK_EQ(drivers_probe_store(&tbus, "nosuch", 6), -ENODEV);
	CHECK_EQ(bus_rescan_devices(&tbus), 0);
	CHECK(dev2->driver == &d.drv);
	CHECK_EQ(drivers_autoprobe_store(&tbus, "1", 1), 1);
	device_unregister(dev);
	device_unregister(dev2);
	driver_unregister(&d.drv);
}

BR_TEST(drivers_autoprobe_and_rescan)
{
	CHECK_EQ(br_run(body_autoprobe, NULL), SCHED_OK);
}

static void body_override(void *arg)
{
	struct tdrv foo, bar;
	struct device *dev;

	tdrv_init(&foo, "foo", PROBE_DEFAULT_STRATEGY);
	tdrv_init(&bar, "bar", PROBE_DEFAULT_STRATEGY);
	dev = tdev_alloc("foo.0", NULL, NULL);
	CHECK_EQ(driver_set_override(dev, &dev->driver_override, "bar\n", 4), 0);
	CHECK(!strcmp(dev->driver_override, "bar"));
	CHECK_EQ(device_add(dev), 0);
	CHECK_EQ(driver_register(&foo.drv), 0);
	CHECK(!dev->driver);
	CHECK_EQ(driver_register(&bar.drv), 0);
	CHECK(dev->driver == &bar.drv);
	CHECK_EQ(bind_store(&foo.drv, "foo.0", 5), -ENODEV);
	device_driver_detach(dev);
	/* Clearing the override lets the name match again. */
	CHECK_EQ(driver_set_override(dev, &dev->driver_override, "", 0), 0);
	CHECK(!dev->driver_override);
	CHECK_EQ(driver_set_override(dev, &dev->driver_override, NULL, 0), -EINVAL);
	CHECK_EQ(device_attach(dev), 1);
	CHECK(dev->driver == &foo.drv);
	device_unregister(dev);
	driver_unregister(&foo.drv);
	driver_unregister(&bar.drv);
}

BR_TEST(driver_override_selects_driver)
{
	CHECK_EQ(br_run(body_override, NULL), SCHED_OK);
}

static void body_release_paths(void *arg)
{
	struct tdrv d;
	struct device *dev;
	int released = 0;

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	CHECK_EQ(driver_register(&d.drv), 0);
	dev = tdev_alloc("foo.0", NULL, &released);
	CHECK_EQ(device_add(dev), 0);
	device_release_driver(dev);
	CHECK(!dev->driver);
	CHECK_EQ(d.removes, 1);
	/* Reprobe of an unbound device is a rescan; of a bound one, detach first. */
	CHECK_EQ(device_reprobe(dev), 0);
	CHECK(dev->driver == &d.drv);
	CHECK_EQ(device_attach(dev), 1);
	CHECK_EQ(device_reprobe(dev), 0);
	CHECK(dev->driver == &d.drv);
	CHECK_EQ(d.removes, 2);
	CHECK_EQ(d.probes, 3);
	/* Held reference: del unbinds and unlinks, the memory waits for the put. */
	get_device(dev);
	device_unregister(dev);
	CHECK_EQ(released, 0);
	CHECK(!dev->driver);
	CHECK_EQ(device_refcount(dev), 1);
	put_device(dev);
	CHECK_EQ(released, 1);
	driver_unregister(&d.drv);
}

BR_TEST(release_reprobe_and_held_reference)
{
	CHECK_EQ(br_run(body_release_paths, NULL), SCHED_OK);
}

static void body_uevent(void *arg)
{
	struct tdrv d;
	struct device *dev;
	char buf[64];

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	dev = tdev_alloc("foo.0", NULL, NULL);
	CHECK_EQ(device_add(dev), 0);
	dev_uevent(dev, buf, sizeof(buf));
	CHECK(!strcmp(buf, ""));
	CHECK_EQ(driver_register(&d.drv), 0);
	dev_uevent(dev, buf, sizeof(buf));
	CHECK(!strcmp(buf, "DRIVER=foo"));
	driver_unregister(&d.drv);
	dev_uevent(dev, buf, sizeof(buf));
	CHECK(!strcmp(buf, ""));
	device_unregister(dev);
}

BR_TEST(uevent_reports_bound_driver)
{
	CHECK_EQ(br_run(body_uevent, NULL), SCHED_OK);
}

struct parent_ctx {
	struct tdrv d;
	struct device *child;
};

static void binder(void *arg)
{
	struct parent_ctx *c = arg;

	CHECK_EQ(bind_store(&c->d.drv, "foo.0", 5), 5);
}

static void body_parent_lock(void *arg)
{
	struct parent_ctx c;
	struct device *hub;
	struct task *t;

	tdrv_init(&c.d, "foo", PROBE_PREFER_ASYNCHRONOUS);
	c.d.drv.bus = &tbus_locked;
	hub = tdev_alloc("hub", NULL, NULL);
	CHECK_EQ(device_add(hub), 0);
	c.child = tdev_alloc("foo.0", hub, NULL);
	c.child->bus = &tbus_locked;
	CHECK_EQ(device_add(c.child), 0);
	/* Driver-initiated async attach takes the parent lock: it waits for us. */
	device_lock(hub);
	CHECK_EQ(driver_register(&c.d.drv), 0);
	msleep(100);
	CHECK(!c.child->driver);
	device_unlock(hub);
	wait_for_device_probe();
	CHECK(c.child->driver == &c.d.drv);
	/* Manual unbind and bind take it as well. */
	CHECK_EQ(unbind_store(&c.d.drv, "foo.0", 5), 5);
	device_lock(hub);
	t = sched_spawn("binder", binder, &c);
	msleep(100);
	CHECK(!c.child->driver);
	device_unlock(hub);
	sched_join(t);
	CHECK(c.child->driver == &c.d.drv);
	device_unregister(c.child);
	device_unregister(hub);
	driver_unregister(&c.d.drv);
	CHECK_EQ(report_count_all(), 0);
}

BR_TEST(need_parent_lock_bus_takes_parent_lock)
{
	CHECK_EQ(br_run(body_parent_lock, NULL), SCHED_OK);
}
