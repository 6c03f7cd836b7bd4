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

/* Listen on addr (IPv4 or IPv6 literal) and port. NULL with err on failure. */
struct rs_http *rs_http_start(const char *addr, int port, char *err, size_t errlen);
void rs_http_stop(struct rs_http *h);
uint64_t rs_http_requests(const struct rs_http *h);

#endif /* RINGSCOPE_AGENT_HTTP_H */
