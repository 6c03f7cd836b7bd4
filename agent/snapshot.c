// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * snapshot.c - publication of immutable snapshots. A mutex guards only the
 * pointer swap and the reference taken with it (readers and the tick, never
 * the record path); the data is read without it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/time.h>

#include "snapshot.h"

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rs_snapshot *current;

struct rs_snapshot *rs_snapshot_new(uint64_t seq, char *metrics, size_t metrics_len,
				    char *status, size_t status_len)
{
	struct rs_snapshot *s = calloc(1, sizeof(*s));
	struct timeval tv;

	if (!s) {
		free(metrics);
		free(status);
		return NULL;
	}
	gettimeofday(&tv, NULL);
	s->refs = 1;
	s->seq = seq;
	s->time_ms = (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
	s->metrics = metrics;
	s->metrics_len = metrics_len;
	s->status = status;
	s->status_len = status_len;
	return s;
}

void rs_snapshot_put(struct rs_snapshot *s)
{
	if (s && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		free(s->metrics);
		free(s->status);
		free(s);
	}
}

void rs_snapshot_publish(struct rs_snapshot *s)
{
	struct rs_snapshot *old;

	pthread_mutex_lock(&current_lock);
	old = current;
	current = s;
	pthread_mutex_unlock(&current_lock);
	rs_snapshot_put(old);
}

struct rs_snapshot *rs_snapshot_get(void)
{
	struct rs_snapshot *s;

	pthread_mutex_lock(&current_lock);
	s = current;
	if (s)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&current_lock);
	return s;
}
