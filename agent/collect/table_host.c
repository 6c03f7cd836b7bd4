// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* table_host.c - the system_os row: OS, kernel, hostname, CPUs, memory, addresses, boot time. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "collector_int.h"

/* Read a small file once, outside the interval batch. */
static bool read_once(struct rs_collector *c, const char *root, const char *rel,
		      struct rsc_file *f)
{
	struct rsc_file *one = f;

	if (rsc_file_init(f, root, rel) < 0)
		return false;
	rsc_reader_read(&c->reader, &one, 1);
	return f->fd >= 0 && !f->err;
}

static void read_machine_id(struct rs_collector *c)
{
	struct rsc_file f;

	c->machine_id[0] = '\0';
	if (read_once(c, c->etc_root, "machine-id", &f))
		rsc_parse_oneline(f.buf, f.len, c->machine_id, sizeof(c->machine_id));
	rsc_file_fini(&f);
	if (c->machine_id[0])
		return;
	if (read_once(c, c->sys_root, "class/dmi/id/product_uuid", &f))
		rsc_parse_oneline(f.buf, f.len, c->machine_id, sizeof(c->machine_id));
	rsc_file_fini(&f);
}

void rsc_host_static(struct rs_collector *c)
{
	struct rsc_file f;

	if (c->host_static_done)
		return;
	c->host_static_done = true;
	read_machine_id(c);
	snprintf(c->os_version, sizeof(c->os_version), "unknown");
	if (read_once(c, c->etc_root, "os-release", &f) &&
	    rsc_parse_os_release(f.buf, f.len, c->os_version, sizeof(c->os_version)) < 0) {
		c->stats.parse_errors[RS_SRC_HOST]++;
		rsc_log(c, RS_SRC_HOST, "%s: no PRETTY_NAME", f.path);
		snprintf(c->os_version, sizeof(c->os_version), "unknown");
	}
	rsc_file_fini(&f);
	/* vm: cpuinfo flags say "hypervisor" (x86), or Xen's sysfs node */
	if (read_once(c, c->proc_root, "cpuinfo", &f)) {
		struct rsc_perr err;
		unsigned int dropped;

		rsc_perr_reset(&err);
		rsc_parse_cpuinfo(f.buf, f.len, NULL, 0, &dropped, &c->vm, &err);
	}
	rsc_file_fini(&f);
	if (read_once(c, c->sys_root, "hypervisor/type", &f) && f.len > 0)
		c->vm = true;
	rsc_file_fini(&f);
}

/* Addresses of the up, non-loopback interfaces, IPv6 link-local excluded. */
static void ip_addresses(char *dst, size_t cap)
{
	struct ifaddrs *ifaddr, *ifa;
	size_t used = 0;

	dst[0] = '\0';
	if (getifaddrs(&ifaddr) != 0)
		return;
	for (ifa = ifaddr; ifa; ifa = ifa->ifa_next) {
		char buf[INET6_ADDRSTRLEN];
		const void *addr;
		int family, n;

		if (!ifa->ifa_addr || (ifa->ifa_flags & IFF_LOOPBACK) || !(ifa->ifa_flags & IFF_UP))
			continue;
		family = ifa->ifa_addr->sa_family;
		if (family == AF_INET) {
			addr = &((const struct sockaddr_in *)(const void *)ifa->ifa_addr)->sin_addr;
		} else if (family == AF_INET6) {
			const struct in6_addr *a6 =
				&((const struct sockaddr_in6 *)(const void *)ifa->ifa_addr)->sin6_addr;

			if (IN6_IS_ADDR_LINKLOCAL(a6) || IN6_IS_ADDR_MC_LINKLOCAL(a6))
				continue;
			addr = a6;
		} else {
			continue;
		}
		if (!inet_ntop(family, addr, buf, sizeof(buf)))
			continue;
		n = snprintf(dst + used, cap - used, "%s%s", used ? " " : "", buf);
		if (n < 0 || (size_t)n >= cap - used) {
			dst[used] = '\0';
			break;
		}
		used += (size_t)n;
	}
	freeifaddrs(ifaddr);
}

static void oneline_field(struct rs_collector *c, struct rsc_row *row, enum rsc_fixed_file i,
			  char *dst, size_t cap)
{
	struct rsc_file *f = &c->files[i];

	if (f->fd >= 0 && !f->err && rsc_parse_oneline(f->buf, f->len, dst, cap) == 0) {
		rsc_row_str(row, dst);
		return;
	}
	if (f->fd >= 0 && !f->err) {
		c->stats.parse_errors[RS_SRC_HOST]++;
		rsc_log(c, RS_SRC_HOST, "%s: empty or longer than %zu", f->path, cap - 1);
	}
	rsc_row_empty(row);
}

void rsc_table_host(struct rs_collector *c, uint64_t now_ns)
{
	struct rsc_row row;

	rsc_row_start(&row);
	rsc_row_str(&row, c->os_version);
	oneline_field(c, &row, RSC_F_HOSTNAME, c->hostname, sizeof(c->hostname));
	oneline_field(c, &row, RSC_F_OSRELEASE, c->kversion, sizeof(c->kversion));
	if (c->stat_ok)
		rsc_row_u64(&row, c->stat.ncpus + c->stat.dropped);	/* cpuN lines: online */
	else
		rsc_row_empty(&row);
	if (c->mem_ok)
		rsc_row_u64(&row, c->mem.v[RSC_MEM_TOTAL] / 1024);
	else
		rsc_row_empty(&row);
	if (!c->real_proc) {
		c->ip_addr[0] = '\0';	/* fixture root: not this machine's */
	} else if (c->ip_next_ns == 0 || now_ns >= c->ip_next_ns) {
		ip_addresses(c->ip_addr, sizeof(c->ip_addr));	/* ~50-90 us: not every interval */
		c->ip_next_ns = now_ns + RSC_IP_REFRESH_NS;
	}
	rsc_row_str(&row, c->ip_addr);
	rsc_row_str(&row, c->vm ? "vm" : "pm");
	rsc_row_u64(&row, c->clk_tck);
	if (c->stat_ok && c->stat.have_btime)
		rsc_row_u64(&row, c->stat.btime);
	else
		rsc_row_empty(&row);
	rsc_row_str(&row, "1");
	rsc_emit(c, "system_os", &row);
}
