/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * http.h - the agent's HTTP endpoint (libmicrohttpd, its own thread):
 * GET /metrics (and /) serves the current snapshot's Prometheus text,
 * GET /status its JSON status. Read-only: a scrape never consumes data.
 */
#ifndef RINGSCOPE_AGENT_HTTP_H
#define RINGSCOPE_AGENT_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct rs_http;
struct sockaddr_storage;

/*
 * The listening address of a libmicrohttpd server from a numeric IPv4 or
 * IPv6 address and a port; *ipv6 says which. 0, or -1 with err naming the
 * config section.
 */
int rs_http_sockaddr(const char *section, const char *addr, int port,
		     struct sockaddr_storage *ss, int *ipv6, char *err, size_t errlen);

/* Listen on addr (IPv4 or IPv6 literal) and port. NULL with err on failure. */
struct rs_http *rs_http_start(const char *addr, int port, char *err, size_t errlen);
void rs_http_stop(struct rs_http *h);
uint64_t rs_http_requests(const struct rs_http *h);

#endif /* RINGSCOPE_AGENT_HTTP_H */
