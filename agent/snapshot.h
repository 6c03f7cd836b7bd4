/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * snapshot.h - what the tick publishes each interval for readers (HTTP
 * scrapes, the status endpoint): immutable, reference counted, rendered
 * once. Readers take a reference and never consume or change anything, so
 * any number of scrapes see the same data.
 */
#ifndef RINGSCOPE_AGENT_SNAPSHOT_H
#define RINGSCOPE_AGENT_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

struct rs_snapshot {
	int refs;
	uint64_t seq;			/* 1, 2, ... per tick */
	uint64_t time_ms;		/* wall clock when taken */
	char *metrics;			/* Prometheus text */
	size_t metrics_len;
	char *status;			/* JSON for `ringscope status` */
	size_t status_len;
};

/* A new snapshot owning both texts (malloc'd), one reference held. */
struct rs_snapshot *rs_snapshot_new(uint64_t seq, char *metrics, size_t metrics_len,
				    char *status, size_t status_len);
/* Make s current (takes over the caller's reference); drops the old one. */
void rs_snapshot_publish(struct rs_snapshot *s);
/* A reference to the current snapshot, or NULL before the first. */
struct rs_snapshot *rs_snapshot_get(void);
void rs_snapshot_put(struct rs_snapshot *s);

#endif /* RINGSCOPE_AGENT_SNAPSHOT_H */
