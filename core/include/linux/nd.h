/* SPDX-License-Identifier: MIT */
#ifndef _LINUX_ND_H
#define _LINUX_ND_H

struct device;

enum nd_async_mode {
	ND_SYNC,
	ND_ASYNC,
};

/* drivers/nvdimm/bus.c */
void nd_device_unregister(struct device *dev, enum nd_async_mode mode);
void nd_synchronize(void);

#endif
