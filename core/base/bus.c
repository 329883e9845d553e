// SPDX-License-Identifier: MIT
/*
 * drivers/base/bus.c: buses, their device and driver klists, the sysfs
 * stores (bind, unbind, drivers_probe, drivers_autoprobe) and rescans.
 */

#include <stdio.h>
#include <string.h>

#include <linux/device.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "base.h"

static LIST_HEAD(bus_list);
static DEFINE_SPINLOCK(bus_list_lock);

static void bus_release(struct kobject *kobj)
{
	struct subsys_private *sp = container_of(kobj, struct subsys_private, subsys);

	kfree(sp);
}

static const struct kobj_type bus_ktype = {
	.release = bus_release,
};

struct subsys_private *bus_to_subsys(const struct bus_type *bus)
{
	struct subsys_private *sp, *found = NULL;

	if (!bus)
		return NULL;
	spin_lock(&bus_list_lock);
	list_for_each_entry(sp, &bus_list, node) {
		if (sp->bus == bus) {
			found = sp;
			kobject_get(&sp->subsys);
			break;
		}
	}
	spin_unlock(&bus_list_lock);
	return found;
}

void subsys_put(struct subsys_private *sp)
{
	if (sp)
		kobject_put(&sp->subsys);
}

static void klist_devices_get(struct klist_node *n)
{
	struct device_private *p = to_device_private_bus(n);

	get_device(p->device);
}

static void klist_devices_put(struct klist_node *n)
{
	struct device_private *p = to_device_private_bus(n);

	put_device(p->device);
}

int bus_register(const struct bus_type *bus)
{
	struct subsys_private *sp;
	int ret;

	if (!bus || !bus->name)
		return -EINVAL;
	sp = bus_to_subsys(bus);
	if (sp) {
		subsys_put(sp);
		return -EEXIST;
	}
	sp = kzalloc(sizeof(*sp), GFP_KERNEL);
	if (!sp)
		return -ENOMEM;
	sp->bus = bus;
	kobject_init(&sp->subsys, &bus_ktype);
	ret = kobject_set_name(&sp->subsys, "%s", bus->name);
	if (ret) {
		kobject_put(&sp->subsys);
		return ret;
	}
	sp->drivers_autoprobe = 1;
	mutex_init(&sp->mutex);
	klist_init(&sp->klist_devices, klist_devices_get, klist_devices_put);
	klist_init(&sp->klist_drivers, NULL, NULL);
	spin_lock(&bus_list_lock);
	list_add_tail(&sp->node, &bus_list);
	spin_unlock(&bus_list_lock);
	return 0;
}

void bus_unregister(const struct bus_type *bus)
{
	struct subsys_private *sp = bus_to_subsys(bus);

	if (!sp)
		return;
	spin_lock(&bus_list_lock);
	list_del(&sp->node);
	spin_unlock(&bus_list_lock);
	subsys_put(sp);
	subsys_put(sp);
}

/* Between fuzz runs: empty lists and autoprobe on (a cancelled run may leave junk). */
void bus_reset_all(void)
{
	struct subsys_private *sp;

	/* A cancelled task may have been holding it. */
	spin_lock_init(&bus_list_lock);
	list_for_each_entry(sp, &bus_list, node) {
		sp->drivers_autoprobe = 1;
		klist_init(&sp->klist_devices, klist_devices_get, klist_devices_put);
		klist_init(&sp->klist_drivers, NULL, NULL);
		mutex_init(&sp->mutex);
	}
}

bool bus_drivers_autoprobe(const struct bus_type *bus)
{
	struct subsys_private *sp = bus_to_subsys(bus);
	bool ret;

	if (!sp)
		return false;
	ret = sp->drivers_autoprobe;
	subsys_put(sp);
	return ret;
}

int bus_add_device(struct device *dev)
{
	struct subsys_private *sp = bus_to_subsys(dev->bus);

	if (!sp)
		return 0;
	/* The reference taken above is kept until bus_remove_device(). */
	klist_add_tail(&dev->p->knode_bus, &sp->klist_devices);
	return 0;
}

void bus_probe_device(struct device *dev)
{
	struct subsys_private *sp = bus_to_subsys(dev->bus);

	if (!sp)
		return;
	if (sp->drivers_autoprobe)
		device_initial_probe(dev);
	/* Bus interfaces run under sp->mutex, after the probe (§1.3 item 7). */
	mutex_lock(&sp->mutex);
	mutex_unlock(&sp->mutex);
	subsys_put(sp);
}

void bus_remove_device(struct device *dev)
{
	struct subsys_private *sp = bus_to_subsys(dev->bus);

	if (!sp)
		return;
	mutex_lock(&sp->mutex);
	mutex_unlock(&sp->mutex);
	if (klist_node_attached(&dev->p->knode_bus))
		klist_del(&dev->p->knode_bus);
	device_release_driver(dev);
	/* One for the lookup above, one kept by bus_add_device(). */
	subsys_put(sp);
	subsys_put(sp);
}

static void driver_release(struct kobject *kobj)
{
	struct driver_private *drv_priv = container_of(kobj, struct driver_private, kobj);

	kfree(drv_priv);
	br_obj_dec(BR_OBJ_DRIVER_PRIVATE);
}

static const struct kobj_type driver_ktype = {
	.release = driver_release,
};

/*
 * kernfs active references of the bind/unbind files: removal drains the
 * writers in flight, so no bind can start once unregister has begun.
 */
static void bind_files_put(struct driver_private *priv)
{
	if (atomic_dec_and_test(&priv->bind_active))
		wake_up_all(&priv->bind_drain);
}

static bool bind_files_get(struct driver_private *priv)
{
	atomic_inc(&priv->bind_active);
	if (READ_ONCE(priv->bind_removed)) {
		bind_files_put(priv);
		return false;
	}
	return true;
}

static void remove_bind_files(struct device_driver *drv)
{
	WRITE_ONCE(drv->p->bind_removed, true);
	wait_event(drv->p->bind_drain, atomic_read(&drv->p->bind_active) == 0);
}

int bus_add_driver(struct device_driver *drv)
{
	struct subsys_private *sp = bus_to_subsys(drv->bus);
	struct driver_private *priv;
	int error = 0;

	if (!sp)
		return -EINVAL;
	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv) {
		error = -ENOMEM;
		goto out_put_bus;
	}
	br_obj_inc(BR_OBJ_DRIVER_PRIVATE);
	klist_init(&priv->klist_devices, NULL, NULL);
	priv->driver = drv;
	drv->p = priv;
	init_waitqueue_head(&priv->bind_drain);
	kobject_init(&priv->kobj, &driver_ktype);
	error = kobject_set_name(&priv->kobj, "%s", drv->name);
	if (error)
		goto out_unregister;

	klist_add_tail(&priv->knode_bus, &sp->klist_drivers);
	if (sp->drivers_autoprobe) {
		error = driver_attach(drv);
		if (error)
			goto out_del_list;
	}
	return 0;

out_del_list:
	/* 310862e57400: off the bus list before the private struct goes. */
	klist_del(&priv->knode_bus);
out_unregister:
	kobject_put(&priv->kobj);
	drv->p = NULL;
out_put_bus:
	subsys_put(sp);
	return error;
}

void bus_remove_driver(struct device_driver *drv)
{
	struct subsys_private *sp = bus_to_subsys(drv->bus);

	if (!sp)
		return;
	remove_bind_files(drv);
	klist_remove(&drv->p->knode_bus);
	driver_detach(drv);
	kobject_put(&drv->p->kobj);
	drv->p = NULL;
	/* One for the lookup above, one kept since bus_add_driver(). */
	subsys_put(sp);
	subsys_put(sp);
}

static struct device *next_device(struct klist_iter *i)
{
	struct klist_node *n = klist_next(i);

	return n ? to_device_private_bus(n)->device : NULL;
}

int bus_for_each_dev(const struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data))
{
	struct subsys_private *sp = bus_to_subsys(bus);
	struct klist_iter i;
	struct device *dev;
	int error = 0;

	if (!sp)
		return -EINVAL;
	klist_iter_init_node(&sp->klist_devices, &i,
			     start && start->p ? &start->p->knode_bus : NULL);
	while (!error && (dev = next_device(&i)))
		error = fn(dev, data);
	klist_iter_exit(&i);
	subsys_put(sp);
	return error;
}

static struct device_driver *next_driver(struct klist_iter *i)
{
	struct klist_node *n = klist_next(i);

	return n ? container_of(n, struct driver_private, knode_bus)->driver : NULL;
}

int bus_for_each_drv(const struct bus_type *bus, struct device_driver *start,
		     void *data, int (*fn)(struct device_driver *, void *))
{
	struct subsys_private *sp = bus_to_subsys(bus);
	struct device_driver *drv;
	struct klist_iter i;
	int error = 0;

	if (!sp)
		return -EINVAL;
	klist_iter_init_node(&sp->klist_drivers, &i,
			     start && start->p ? &start->p->knode_bus : NULL);
	while ((drv = next_driver(&i)) && !error)
		error = fn(drv, data);
	klist_iter_exit(&i);
	subsys_put(sp);
	return error;
}

struct device *bus_find_device_by_name(const struct bus_type *bus,
				       struct device *start, const char *name)
{
	struct subsys_private *sp = bus_to_subsys(bus);
	struct klist_iter i;
	struct device *dev;

	if (!sp || !name)
		goto out;
	klist_iter_init_node(&sp->klist_devices, &i,
			     start && start->p ? &start->p->knode_bus : NULL);
	while ((dev = next_device(&i)))
		if (!strcmp(dev_name(dev), name) && get_device(dev))
			break;
	klist_iter_exit(&i);
	subsys_put(sp);
	return dev;
out:
	subsys_put(sp);
	return NULL;
}

/* Strip a trailing newline as sysfs writers send one. */
static void sysfs_name(char *out, size_t len, const char *buf, size_t count)
{
	size_t n = count < len - 1 ? count : len - 1;

	memcpy(out, buf, n);
	out[n] = 0;
	if (n && out[n - 1] == '\n')
		out[n - 1] = 0;
}

/*
 * The common start of the bind/unbind stores: an active reference on the
 * driver's files and the named device (with a reference), or an error.
 */
static int store_begin(struct device_driver *drv, const char *buf, size_t count,
		       struct device **devp)
{
	char name[128];

	*devp = NULL;
	if (!drv->p || !bind_files_get(drv->p))
		return -ENODEV;
	sysfs_name(name, sizeof(name), buf, count);
	*devp = bus_find_device_by_name(drv->bus, NULL, name);
	return 0;
}

static void store_end(struct driver_private *priv, struct device *dev)
{
	put_device(dev);
	bind_files_put(priv);
}

ssize_t unbind_store(struct device_driver *drv, const char *buf, size_t count)
{
	struct driver_private *priv = drv->p;
	struct device *dev;
	int err = store_begin(drv, buf, count, &dev);

	if (err)
		return err;
	err = -ENODEV;
	/* Unlocked check, as in the kernel (reference B23a). */
	if (dev && dev_driver(dev) == drv) {
		device_driver_detach(dev);
		err = count;
	}
	store_end(priv, dev);
	return err;
}

ssize_t bind_store(struct device_driver *drv, const char *buf, size_t count)
{
	struct driver_private *priv = drv->p;
	struct device *dev;
	int err = store_begin(drv, buf, count, &dev);

	if (err)
		return err;
	err = -ENODEV;
	if (dev && driver_match_device_locked(drv, dev)) {
		err = device_driver_attach(drv, dev);
		if (!err)
			err = count;
	}
	store_end(priv, dev);
	return err;
}

static int bus_rescan_devices_helper(struct device *dev, void *data)
{
	int ret = 0;

	(void)data;
	if (!dev_driver(dev)) {
		if (dev->parent && dev->bus->need_parent_lock)
			device_lock(dev->parent);
		ret = device_attach(dev);
		if (dev->parent && dev->bus->need_parent_lock)
			device_unlock(dev->parent);
	}
	return ret < 0 ? ret : 0;
}

int bus_rescan_devices(const struct bus_type *bus)
{
	return bus_for_each_dev(bus, NULL, NULL, bus_rescan_devices_helper);
}

int device_reprobe(struct device *dev)
{
	if (WARN(!dev || !dev->p, "device_reprobe on a device that was never added"))
		return -ENODEV;
	if (dev->driver)
		device_driver_detach(dev);
	return bus_rescan_devices_helper(dev, NULL);
}

ssize_t drivers_probe_store(const struct bus_type *bus, const char *buf, size_t count)
{
	struct device *dev;
	char name[128];
	int err = -EINVAL;

	sysfs_name(name, sizeof(name), buf, count);
	dev = bus_find_device_by_name(bus, NULL, name);
	if (!dev)
		return -ENODEV;
	if (bus_rescan_devices_helper(dev, NULL) == 0)
		err = count;
	put_device(dev);
	return err;
}

ssize_t drivers_autoprobe_store(const struct bus_type *bus, const char *buf, size_t count)
{
	struct subsys_private *sp = bus_to_subsys(bus);

	if (!sp)
		return -EINVAL;
	/* A plain unlocked bitfield write, as in the kernel (benign, §3c). */
	sp->drivers_autoprobe = !(count && buf[0] == '0');
	subsys_put(sp);
	return count;
}
