// SPDX-License-Identifier: MIT
/* Minimal kobjects: a name, a reference count and a release callback. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kobject.h>
#include <linux/slab.h>

void kobject_init(struct kobject *kobj, const struct kobj_type *ktype)
{
	WARN_ON(kobj->state_initialized);
	kref_init(&kobj->kref);
	kobj->ktype = ktype;
	kobj->parent = NULL;
	kobj->state_in_sysfs = 0;
	kobj->state_initialized = 1;
}

int kobject_set_name_vargs(struct kobject *kobj, const char *fmt, va_list ap)
{
	char buf[128];
	const char *name;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(buf, sizeof(buf), fmt, aq);
	va_end(aq);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n < sizeof(buf)) {
		name = kstrdup(buf, GFP_KERNEL);
	} else {
		char *big = kmalloc(n + 1, GFP_KERNEL);

		if (big)
			vsnprintf(big, n + 1, fmt, ap);
		name = big;
	}
	if (!name)
		return -ENOMEM;
	kfree(kobj->name);
	kobj->name = name;
	return 0;
}

int kobject_set_name(struct kobject *kobj, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = kobject_set_name_vargs(kobj, fmt, ap);
	va_end(ap);
	return ret;
}

int kobject_add(struct kobject *kobj, struct kobject *parent)
{
	if (WARN_ON(!kobj->state_initialized))
		return -EINVAL;
	if (!kobj->name || !kobj->name[0])
		return -EINVAL;
	if (kobj->state_in_sysfs)
		return -EEXIST;
	kobj->parent = kobject_get(parent);
	kobj->state_in_sysfs = 1;
	return 0;
}

void kobject_del(struct kobject *kobj)
{
	struct kobject *parent;

	if (!kobj || !kobj->state_in_sysfs)
		return;
	parent = kobj->parent;
	kobj->state_in_sysfs = 0;
	kobj->parent = NULL;
	kobject_put(parent);
}

struct kobject *kobject_get(struct kobject *kobj)
{
	if (kobj) {
		WARN(!kobj->state_initialized, "kobject %s: get before init",
		     kobj->name ? kobj->name : "(null)");
		kref_get(&kobj->kref);
	}
	return kobj;
}

struct kobject *kobject_get_unless_zero(struct kobject *kobj)
{
	if (kobj && !kref_get_unless_zero(&kobj->kref))
		kobj = NULL;
	return kobj;
}

static void kobject_release(struct kref *kref)
{
	struct kobject *kobj = container_of(kref, struct kobject, kref);
	const char *name = kobj->name;

	if (kobj->state_in_sysfs)
		kobject_del(kobj);
	/* release may free kobj: keep the name until after it. */
	kobj->name = NULL;
	if (kobj->ktype && kobj->ktype->release)
		kobj->ktype->release(kobj);
	else
		WARN(1, "kobject %s has no release()", name ? name : "(null)");
	kfree(name);
}

void kobject_put(struct kobject *kobj)
{
	if (!kobj)
		return;
	WARN(!kobj->state_initialized, "kobject %s: put before init",
	     kobj->name ? kobj->name : "(null)");
	kref_put(&kobj->kref, kobject_release);
}
