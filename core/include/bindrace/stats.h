/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_STATS_H
#define _BINDRACE_STATS_H

/*
 * Live-object accounting of the model, so a test or the fuzz oracle can ask
 * "is every device, driver, link and private struct freed?".  One table.
 */
#define BR_OBJ_KINDS(X)					\
	X(BR_OBJ_DEVICE, "device")			\
	X(BR_OBJ_DEVICE_PRIVATE, "device_private")	\
	X(BR_OBJ_DRIVER_PRIVATE, "driver_private")	\
	X(BR_OBJ_DEVICE_LINK, "device_link")		\
	X(BR_OBJ_PROBE, "probe in progress")		\
	X(BR_OBJ_BOUND, "bound device")

#define __BR_OBJ_ENUM(id, name) id,
enum br_obj {
	BR_OBJ_KINDS(__BR_OBJ_ENUM)
	BR_OBJ_NR
};
#undef __BR_OBJ_ENUM

void br_obj_inc(enum br_obj kind);
void br_obj_dec(enum br_obj kind);
long br_obj_live(enum br_obj kind);
const char *br_obj_name(enum br_obj kind);
void br_obj_reset(void);

#endif
