// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* snmp.c - parse /proc/net/snmp ("Proto: names" then "Proto: values") for TCP and UDP. */
#include <stddef.h>
#include <string.h>

#include "sources.h"

static const struct {
	const char *proto, *name;
	enum rsc_snmp_field field;
} wanted[] = {
	{ "Tcp", "CurrEstab", RSC_SNMP_TCP_CURR_ESTAB },
	{ "Tcp", "InSegs", RSC_SNMP_TCP_IN_SEGS },
	{ "Tcp", "OutSegs", RSC_SNMP_TCP_OUT_SEGS },
	{ "Tcp", "RetransSegs", RSC_SNMP_TCP_RETRANS_SEGS },
	{ "Tcp", "InErrs", RSC_SNMP_TCP_IN_ERRS },
	{ "Udp", "InDatagrams", RSC_SNMP_UDP_IN_DATAGRAMS },
	{ "Udp", "OutDatagrams", RSC_SNMP_UDP_OUT_DATAGRAMS },
};

static int wanted_index(const char *proto, size_t plen, const char *name, size_t nlen)
{
	for (unsigned int i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (rsc_token_is(proto, plen, wanted[i].proto) && rsc_token_is(name, nlen, wanted[i].name))
			return (int)i;
	return -1;
}

/* Walk a names line and its values line together, keep the wanted ones. */
static void pair(const char *proto, size_t plen, const char *names, const char *names_end,
		 const char *vals, const char *vals_end, struct rsc_snmp *out,
		 unsigned int lineno, struct rsc_perr *err)
{
	const char *n, *v;
	size_t nlen, vlen;
	unsigned int col = 0;

	while (rsc_token(&names, names_end, &n, &nlen)) {
		int w;
		uint64_t x;
		int rc;

		col++;
		if (!rsc_token(&vals, vals_end, &v, &vlen)) {
			rsc_perr_add(err, lineno, "%.*s: %u values for more names", (int)plen, proto,
				     col - 1);
			return;
		}
		w = wanted_index(proto, plen, n, nlen);
		if (w < 0)
			continue;	/* MaxConn is -1: only wanted columns are numbers */
		rc = rsc_parse_u64(v, vlen, 10, &x);
		if (rc) {
			rsc_perr_add(err, lineno, "%s %s: %s", wanted[w].proto, wanted[w].name,
				     rsc_parse_strerror(rc));
			continue;
		}
		out->v[wanted[w].field] = x;
		out->have |= 1u << wanted[w].field;
	}
}

int rsc_parse_snmp(const char *buf, size_t len, struct rsc_snmp *out, struct rsc_perr *err)
{
	struct rsc_lines lines;
	const char *line, *end, *hdr = NULL, *hdr_end = NULL;
	size_t hdr_plen = 0;

	out->have = 0;
	rsc_lines_init(&lines, buf, len);
	while (rsc_lines_next(&lines, &line, &end)) {
		const char *colon = memchr(line, ':', (size_t)(end - line));
		size_t plen;

		if (!colon) {
			if (line != end)
				rsc_perr_add(err, lines.lineno, "no 'Proto:'");
			hdr = NULL;
			continue;
		}
		plen = (size_t)(colon - line);
		if (hdr && plen == hdr_plen && memcmp(line, hdr, plen) == 0) {
			pair(line, plen, hdr + plen + 1, hdr_end, colon + 1, end, out, lines.lineno, err);
			hdr = NULL;	/* the next line starts a new pair */
		} else {
			hdr = line;
			hdr_end = end;
			hdr_plen = plen;
		}
	}
	return (int)err->count;
}
