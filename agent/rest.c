// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* rest.c - the REST control endpoint (libmicrohttpd) and its hand-over to the main thread. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "http.h"
#include "rest.h"

struct rs_rest {
	struct MHD_Daemon *daemon;
	struct rs_control *ctl;
};

struct upload {
	char *data;
	size_t len;
	int too_big;
};

static enum MHD_Result answer(struct MHD_Connection *c, unsigned int status, char *json)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (!json)
		json = strdup("{\"error\": \"out of memory\"}");
	r = MHD_create_response_from_buffer(json ? strlen(json) : 0, json, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(json);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static char *error_json(const char *msg)
{
	char *out = malloc(strlen(msg) + 32);

	if (out)
		sprintf(out, "{\"error\": \"%s\"}", msg);	/* msg has no quotes */
	return out;
}

/* Hand the request to the main thread and wait (5 s at most) for its answer. */
static void execute(struct rs_control *ctl, const char *feature, int put, char *body,
		    unsigned int *status, char **reply)
{
	struct timespec until;
	int r = 0;

	pthread_mutex_lock(&ctl->lock);
	while (ctl->pending && !ctl->stopping)
		pthread_cond_wait(&ctl->done, &ctl->lock);
	if (ctl->stopping) {
		pthread_mutex_unlock(&ctl->lock);
		*status = MHD_HTTP_SERVICE_UNAVAILABLE;
		*reply = error_json("the agent is stopping");
		return;
	}
	snprintf(ctl->feature, sizeof(ctl->feature), "%s", feature);
	ctl->put = put;
	ctl->body = body;
	ctl->status = 0;
	ctl->reply = NULL;
	ctl->pending = 1;
	pthread_kill(ctl->main_thread, SIGUSR1);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	while (ctl->pending && !ctl->stopping && r != ETIMEDOUT)
		r = pthread_cond_timedwait(&ctl->done, &ctl->lock, &until);
	if (ctl->pending || ctl->stopping) {	/* the main thread is stuck or stopping */
		ctl->pending = 0;
		*status = MHD_HTTP_SERVICE_UNAVAILABLE;
		*reply = error_json("the agent did not answer in 5 s");
	} else {
		*status = ctl->status;
		*reply = ctl->reply;
	}
	ctl->body = NULL;
	pthread_cond_broadcast(&ctl->done);
	pthread_mutex_unlock(&ctl->lock);
}

void rs_control_serve(struct rs_control *ctl, rs_control_fn fn, void *ctx)
{
	pthread_mutex_lock(&ctl->lock);
	if (ctl->pending) {
		fn(ctx, ctl);
		ctl->pending = 0;
		pthread_cond_broadcast(&ctl->done);
	}
	pthread_mutex_unlock(&ctl->lock);
}

void rs_control_shutdown(struct rs_control *ctl)
{
	pthread_mutex_lock(&ctl->lock);
	ctl->stopping = 1;
	pthread_cond_broadcast(&ctl->done);
	pthread_mutex_unlock(&ctl->lock);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version,
			      const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct rs_rest *rest = cls;
	struct upload *up = *con_cls;
	unsigned int status;
	char *reply;
	int put;

	(void)version;
	if (!up) {
		up = calloc(1, sizeof(*up));
		if (!up)
			return MHD_NO;
		*con_cls = up;
		return MHD_YES;
	}
	if (*upload_size) {	/* body chunks */
		if (up->len + *upload_size > RS_REST_BODY_MAX) {
			up->too_big = 1;
		} else {
			char *d = realloc(up->data, up->len + *upload_size + 1);

			if (!d)
				return MHD_NO;
			memcpy(d + up->len, upload_data, *upload_size);
			up->data = d;
			up->len += *upload_size;
			d[up->len] = 0;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	put = !strcmp(method, "PUT") || !strcmp(method, "POST");
	if (!put && strcmp(method, "GET"))
		return answer(c, MHD_HTTP_METHOD_NOT_ALLOWED, error_json("use GET or PUT"));
	if (up->too_big)
		return answer(c, MHD_HTTP_CONTENT_TOO_LARGE, error_json("body larger than 64 KiB"));
	if (url[0] != '/' || !url[1] || strchr(url + 1, '/') || strlen(url) > 63)
		return answer(c, MHD_HTTP_NOT_FOUND, error_json("use /<probe>, e.g. /baseinfo"));
	execute(rest->ctl, url + 1, put, up->data ? up->data : "", &status, &reply);
	return answer(c, status, reply);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (up) {
		free(up->data);
		free(up);
		*con_cls = NULL;
	}
}

struct rs_rest *rs_rest_start(const char *addr, int port, struct rs_control *ctl,
			      char *err, size_t errlen)
{
	struct rs_rest *r = calloc(1, sizeof(*r));
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
	struct sockaddr_storage ss;
	struct sockaddr *sa = (struct sockaddr *)&ss;
	int ipv6;

	if (!r) {
		snprintf(err, errlen, "rest_server: out of memory");
		return NULL;
	}
	if (rs_http_sockaddr("rest_server", addr, port, &ss, &ipv6, err, errlen)) {
		free(r);
		return NULL;
	}
	if (ipv6)
		flags |= MHD_USE_IPv6;
	r->ctl = ctl;
	r->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, r,
				     MHD_OPTION_SOCK_ADDR, sa,
				     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)16,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
				     MHD_OPTION_END);
	if (!r->daemon) {
		snprintf(err, errlen, "rest_server: cannot listen on %s:%d: %s", addr, port,
			 errno ? strerror(errno) : "libmicrohttpd refused");
		free(r);
		return NULL;
	}
	return r;
}

void rs_rest_stop(struct rs_rest *r)
{
	if (!r)
		return;
	MHD_stop_daemon(r->daemon);
	free(r);
}
