// SPDX-License-Identifier: MIT
/* Live-object counters (uninstrumented, so they order nothing for TSan). */

#include <bindrace/stats.h>

#define __BR_OBJ_NAME(id, name) [id] = name,
static const char *const names[BR_OBJ_NR] = { BR_OBJ_KINDS(__BR_OBJ_NAME) };
#undef __BR_OBJ_NAME

static long live[BR_OBJ_NR];

void br_obj_inc(enum br_obj kind)
{
	__atomic_fetch_add(&live[kind], 1, __ATOMIC_RELAXED);
}

void br_obj_dec(enum br_obj kind)
{
	__atomic_fetch_sub(&live[kind], 1, __ATOMIC_RELAXED);
}

long br_obj_live(enum br_obj kind)
{
	return __atomic_load_n(&live[kind], __ATOMIC_RELAXED);
}

const char *br_obj_name(enum br_obj kind)
{
	return names[kind];
}

void br_obj_reset(void)
{
	for (int i = 0; i < BR_OBJ_NR; i++)
		__atomic_store_n(&live[i], 0, __ATOMIC_RELAXED);
}
