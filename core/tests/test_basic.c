// SPDX-License-Identifier: MIT
/* Device and driver lifetime: register, bind, unbind, unregister. */

#include <linux/slab.h>
#include "test.h"

static void body_register_bind(void *arg)
{
	struct tdrv d;
	int released = 0;
	struct device *dev;

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	dev = tdev_alloc("foo.0", NULL, &released);
	CHECK(device_add(dev) == 0);
	CHECK(!dev->driver);
	CHECK_EQ(driver_register(&d.drv), 0);
	CHECK(dev->driver == &d.drv);
	CHECK(device_is_bound(dev));
	CHECK_EQ(d.probes, 1);
	driver_unregister(&d.drv);
	CHECK(!dev->driver);
	CHECK_EQ(d.removes, 1);
	device_unregister(dev);
	CHECK_EQ(released, 1);
}

BR_TEST(register_then_bind)
{
	CHECK_EQ(br_run(body_register_bind, NULL), SCHED_OK);
}

static void body_device_after_driver(void *arg)
{
	struct tdrv d;
	int released = 0;
	struct device *dev;

	tdrv_init(&d, "foo", PROBE_DEFAULT_STRATEGY);
	CHECK_EQ(driver_register(&d.drv), 0);
	dev = tdev_alloc("foo.1", NULL, &released);
	CHECK_EQ(device_add(dev), 0);
	CHECK(dev->driver == &d.drv);
	device_unregister(dev);
	CHECK_EQ(released, 1);
	CHECK_EQ(d.removes, 1);
	driver_unregister(&d.drv);
}

BR_TEST(device_add_binds_existing_driver)
{
	CHECK_EQ(br_run(body_device_after_driver, NULL), SCHED_OK);
}
