// SPDX-License-Identifier: MIT
/* drivers/base/driver.c: driver registration and driver_override. */

#include <string.h>

#include <linux/device.h>
#include <linux/slab.h>
#include "base.h"

struct device_driver *driver_find(const char *name, const struct bus_type *bus)
{
	struct subsys_private *sp = bus_to_subsys(bus);
	struct device_driver *found = NULL;
	struct klist_iter i;
	struct klist_node *n;

	if (!sp)
		return NULL;
	klist_iter_init(&sp->klist_drivers, &i);
	while ((n = klist_next(&i))) {
		struct driver_private *priv = container_of(n, struct driver_private, knode_bus);

		if (!strcmp(priv->driver->name, name)) {
			found = priv->driver;
			break;
		}
	}
	klist_iter_exit(&i);
	subsys_put(sp);
	return found;
}

int driver_register(struct device_driver *drv)
{
	struct subsys_private *sp;
	int ret;

	if (!drv || !drv->name || !drv->bus)
		return -EINVAL;
	sp = bus_to_subsys(drv->bus);
	if (!sp) {
		pr_err("Driver '%s' was unable to register with bus_type '%s' because the bus was not initialized.\n",
		       drv->name, drv->bus->name);
		return -EINVAL;
	}
	subsys_put(sp);
	if (drv->p || driver_find(drv->name, drv->bus)) {
		pr_err("Error: Driver '%s' is already registered, aborting...\n", drv->name);
		return -EBUSY;
	}
	ret = bus_add_driver(drv);
	return ret;
}

void driver_unregister(struct device_driver *drv)
{
	if (!drv || !drv->p) {
		WARN(1, "Unexpected driver unregister!");
		return;
	}
	bus_remove_driver(drv);
}

/*
 * Replace *override under the device lock; the old string is freed after.
 * An empty string (or "\n") clears it.
 */
int driver_set_override(struct device *dev, const char **override,
			const char *s, size_t len)
{
	const char *new, *old;
	char *cp;

	if (!dev || !override || !s)
		return -EINVAL;
	if (len >= 4096)
		return -EINVAL;
	if (!len) {
		device_lock(dev);
		old = *override;
		*override = NULL;
		device_unlock(dev);
		kfree(old);
		return 0;
	}
	cp = kstrndup(s, len, GFP_KERNEL);
	if (!cp)
		return -ENOMEM;
	if (cp[0] && cp[strlen(cp) - 1] == '\n')
		cp[strlen(cp) - 1] = 0;
	new = cp;
	device_lock(dev);
	sched_point(SP_OVERRIDE, dev);
	old = *override;
	if (!cp[0]) {
		*override = NULL;
		kfree(cp);
	} else {
		*override = new;
	}
	device_unlock(dev);
	kfree(old);
	return 0;
}

/* > 0 override names drv, 0 it names another, < 0 no override set. */
int device_match_driver_override(struct device *dev, const struct device_driver *drv)
{
	const char *override;

	device_lock_assert(dev);
	sched_point(SP_OVERRIDE, dev);
	override = dev->driver_override;
	if (!override)
		return -1;
	/* Another CPU may run while we compare: only the lock keeps it. */
	sched_point(SP_OVERRIDE, dev);
	return !strcmp(override, drv->name);
}
