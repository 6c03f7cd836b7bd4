// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* http.c - serve snapshots over HTTP with libmicrohttpd. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "http.h"
#include "snapshot.h"

struct rs_http {
	struct MHD_Daemon *daemon;
	uint64_t requests;
};

static void release(void *cls)
{
	rs_snapshot_put(cls);
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned int status,
				  const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version,
			      const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct rs_http *h = cls;
	struct rs_snapshot *s;
	struct MHD_Response *r;
	enum MHD_Result ret;
	int metrics;

	(void)version;
	(void)upload_data;
	if (!*con_cls) {	/* first call: headers only */
		*con_cls = c;
		return MHD_YES;
	}
	if (*upload_size)
		return reply_text(c, MHD_HTTP_CONTENT_TOO_LARGE, "no request body expected\n");
	__atomic_add_fetch(&h->requests, 1, __ATOMIC_RELAXED);
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET\n");
	if (!strcmp(url, "/metrics") || !strcmp(url, "/"))
		metrics = 1;
	else if (!strcmp(url, "/status"))
		metrics = 0;
	else
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: try /metrics or /status\n");
	s = rs_snapshot_get();
	if (!s)
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no snapshot yet\n");
	r = MHD_create_response_from_buffer_with_free_callback_cls(
		metrics ? s->metrics_len : s->status_len, metrics ? s->metrics : s->status,
		release, s);
	if (!r) {
		rs_snapshot_put(s);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", metrics ?
				"text/plain; version=0.0.4; charset=utf-8" : "application/json");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int rs_http_sockaddr(const char *section, const char *addr, int port,
		     struct sockaddr_storage *ss, int *ipv6, char *err, size_t errlen)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	*ipv6 = 0;
	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*ipv6 = 1;
		return 0;
	}
	snprintf(err, errlen, "%s.bind_addr: '%s' is not an IPv4 or IPv6 address", section, addr);
	return -1;
}

struct rs_http *rs_http_start(const char *addr, int port, char *err, size_t errlen)
{
	struct rs_http *h = calloc(1, sizeof(*h));
	struct sockaddr_storage ss;
	struct sockaddr *sa = (struct sockaddr *)&ss;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
	int ipv6;

	if (!h) {
		snprintf(err, errlen, "web_server: out of memory");
		return NULL;
	}
	if (rs_http_sockaddr("web_server", addr, port, &ss, &ipv6, err, errlen)) {
		free(h);
		return NULL;
	}
	if (ipv6)
		flags |= MHD_USE_IPv6;
	h->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, h,
				     MHD_OPTION_SOCK_ADDR, sa,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
				     MHD_OPTION_END);
	if (!h->daemon) {
		snprintf(err, errlen, "web_server: cannot listen on %s:%d: %s", addr, port,
			 errno ? strerror(errno) : "libmicrohttpd refused");
		free(h);
		return NULL;
	}
	return h;
}

void rs_http_stop(struct rs_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->daemon);
	free(h);
}

uint64_t rs_http_requests(const struct rs_http *h)
{
	return h ? __atomic_load_n(&h->requests, __ATOMIC_RELAXED) : 0;
}
