/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_KOBJECT_H
#define _BINDRACE_LINUX_KOBJECT_H

#include <linux/kref.h>
#include <linux/list.h>
#include <stdarg.h>

/* Just what the driver core needs of a kobject: name, refcount, release. */
struct kobject;

struct kobj_type {
	void (*release)(struct kobject *kobj);
};

struct kobject {
	const char *name;
	struct kobject *parent;
	const struct kobj_type *ktype;
	struct kref kref;
	/*
	 * Bitfields in the kernel.  Separate bytes here: kobject internals
	 * are not what bindrace tests, and their benign same-word races
	 * (kobject_put's sanity read vs kobject_del) would drown TSan.
	 */
	bool state_initialized;
	bool state_in_sysfs;
};

void kobject_init(struct kobject *kobj, const struct kobj_type *ktype);
__attribute__((format(printf, 2, 3)))
int kobject_set_name(struct kobject *kobj, const char *fmt, ...);
int kobject_set_name_vargs(struct kobject *kobj, const char *fmt, va_list ap);
int kobject_add(struct kobject *kobj, struct kobject *parent);
void kobject_del(struct kobject *kobj);
struct kobject *kobject_get(struct kobject *kobj);
struct kobject *kobject_get_unless_zero(struct kobject *kobj);
void kobject_put(struct kobject *kobj);

static inline const char *kobject_name(const struct kobject *kobj)
{
	return kobj->name;
}

#endif
