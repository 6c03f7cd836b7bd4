/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * rest.h - probe control over HTTP in gala-gopher's shape (rest_server,
 * 127.0.0.1:9999 by default): GET /<probe> returns {"cmd": {"probe": [...]},
 * "snoopers": {}, "params": {...}, "state": "running|stopped"}; PUT /<probe>
 * with that JSON (optionally prefixed "json=", as gala-gopher sends it)
 * sets the probe's desired state. Requests are executed by the main thread
 * (which owns the agent), handed over through a small mutex-guarded slot
 * and SIGUSR1: control path only, never the record path.
 */
#ifndef RINGSCOPE_AGENT_REST_H
#define RINGSCOPE_AGENT_REST_H

#include <pthread.h>
#include <stddef.h>

#define RS_REST_BODY_MAX 65536

/* One request in flight between the REST thread and the main thread. */
struct rs_control {
	pthread_mutex_t lock;
	pthread_cond_t done;
	pthread_t main_thread;
	int pending;			/* a request waits for the main thread */
	int stopping;			/* the agent stops: answer 503 at once */
	int put;			/* 0: GET, 1: PUT */
	char feature[64];
	char *body;			/* PUT body (owned by the requester) */
	unsigned int status;		/* HTTP status of the answer */
	char *reply;			/* JSON answer, malloc'd */
};

struct rs_rest;

struct rs_rest *rs_rest_start(const char *addr, int port, struct rs_control *ctl,
			      char *err, size_t errlen);
void rs_rest_stop(struct rs_rest *r);

/* Main thread: run the pending request, if any, with the given executor. */
typedef void (*rs_control_fn)(void *ctx, struct rs_control *req);
void rs_control_serve(struct rs_control *ctl, rs_control_fn fn, void *ctx);
/* Main thread, before rs_rest_stop: refuse what is pending and what comes. */
void rs_control_shutdown(struct rs_control *ctl);

#endif /* RINGSCOPE_AGENT_REST_H */
