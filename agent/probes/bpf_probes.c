// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf_probes.c - load the BPF probes into one shared set of per-CPU rings,
 * walk their iterators in every network namespace, count what they missed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_probes.h"
#include "shm.h"

#include "block.skel.h"
#include "sched.skel.h"
#include "tcp.skel.h"

/* The probes built in: X(skeleton name). */
#define RS_BPF_PROBES(X) \
	X(tcp)		\
	X(block)	\
	X(sched)

/* Type-erased face of one skeleton; the geometry goes into its rodata. */
#define RS_X_KIND(NAME)								\
static void *NAME##_open(unsigned int order, unsigned int watermark,		\
			 int rings_fd, int doorbell_fd, char *err, size_t errlen)	\
{										\
	struct NAME *s = NAME##__open();					\
	int ret;								\
										\
	if (!s) {								\
		snprintf(err, errlen, "probe %s: cannot open its BPF object: %s", \
			 #NAME, strerror(errno));				\
		return NULL;							\
	}									\
	s->rodata->rs_ring_order = order;					\
	s->rodata->rs_ring_watermark = watermark;				\
	ret = bpf_map__reuse_fd(s->maps.rs_rings, rings_fd);			\
	if (!ret)								\
		ret = bpf_map__reuse_fd(s->maps.rs_doorbell, doorbell_fd);	\
	if (ret) {								\
		snprintf(err, errlen, "probe %s: cannot share the rings: %s",	\
			 #NAME, strerror(-ret));				\
		NAME##__destroy(s);						\
		return NULL;							\
	}									\
	return s;								\
}										\
static int NAME##_load(void *s) { return NAME##__load(s); }			\
static int NAME##_attach(void *s) { return NAME##__attach(s); }		\
static void NAME##_destroy(void *s) { NAME##__destroy(s); }			\
static struct bpf_object_skeleton *NAME##_skeleton(void *s)			\
{										\
	return ((struct NAME *)s)->skeleton;					\
}										\
static const struct rs_bpf_probe_kind NAME##_kind = {				\
	#NAME, NAME##_open, NAME##_load, NAME##_attach, NAME##_destroy,		\
	NAME##_skeleton,							\
};
RS_BPF_PROBES(RS_X_KIND)
#undef RS_X_KIND

#define RS_X_PTR(NAME) &NAME##_kind,
static const struct rs_bpf_probe_kind *const kinds[] = { RS_BPF_PROBES(RS_X_PTR) };
#undef RS_X_PTR
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

const struct rs_bpf_probe_kind *rs_bpf_probe_kind(const char *name)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i]->name, name))
			return kinds[i];
	return NULL;
}

const char *rs_bpf_probe_names(void)
{
	static char names[256];
	size_t i, n = 0;

	if (names[0])
		return names;
	for (i = 0; i < NKINDS && n < sizeof(names); i++)
		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
				      i ? ", " : "", kinds[i]->name);
	return names;
}

int rs_bpf_probes_init(struct rs_bpf_probes *p, unsigned int order,
		       unsigned int watermark, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_map_create_opts, mmapable, .map_flags = BPF_F_MMAPABLE);
	int ncpus = libbpf_num_possible_cpus(), ret;

	memset(p, 0, sizeof(*p));
	p->rings_fd = p->doorbell_fd = -1;
	if (order < RS_RING_MIN_ORDER || order > RS_RING_MAX_ORDER) {
		snprintf(err, errlen, "BPF rings: order %u outside [%u, %u]", order,
			 RS_RING_MIN_ORDER, RS_RING_MAX_ORDER);
		return -EINVAL;
	}
	if (ncpus <= 0) {
		snprintf(err, errlen, "BPF rings: cannot count possible cpus: %s",
			 strerror(-ncpus));
		return ncpus ? ncpus : -EINVAL;
	}
	if (watermark == 0 || watermark > (1U << order))
		watermark = 1U << (order - 1);
	p->order = order;
	p->watermark = watermark;
	p->ncpus = (unsigned int)ncpus;
	p->rings_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "rs_rings", sizeof(__u32),
				     (__u32)rs_bpf_ring_value_size(order), p->ncpus, &mmapable);
	if (p->rings_fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "BPF rings: cannot create %u rings of %zu bytes: %s",
			 p->ncpus, rs_bpf_ring_value_size(order), strerror(errno));
		return ret;
	}
	p->doorbell_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "rs_doorbell", 0, 0, 4096, NULL);
	if (p->doorbell_fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "BPF rings: cannot create the doorbell ringbuf: %s",
			 strerror(errno));
		rs_bpf_probes_close(p);
		return ret;
	}
	ret = rs_bpf_rings_format(p->rings_fd, watermark, err, errlen);
	if (ret)
		rs_bpf_probes_close(p);
	return ret;
}

static int find_on(const struct rs_bpf_probes *p, const char *name)
{
	unsigned int i;

	for (i = 0; i < p->non; i++)
		if (!strcmp(p->on[i].kind->name, name))
			return (int)i;
	return -1;
}

int rs_bpf_probes_enabled(const struct rs_bpf_probes *p, const char *name)
{
	return find_on(p, name) >= 0;
}

int rs_bpf_probes_enable(struct rs_bpf_probes *p, const char *name, char *err,
			 size_t errlen)
{
	const struct rs_bpf_probe_kind *kind = rs_bpf_probe_kind(name);
	void *skel;
	int ret;

	if (!kind) {
		snprintf(err, errlen, "no probe named '%s' (probes: %s)", name,
			 rs_bpf_probe_names());
		return -ENOENT;
	}
	if (find_on(p, name) >= 0)
		return 0;
	if (p->non == RS_BPF_MAX_PROBES) {
		snprintf(err, errlen, "probe %s: %d probes already on", name, RS_BPF_MAX_PROBES);
		return -ENOSPC;
	}
	skel = kind->open(p->order, p->watermark, p->rings_fd, p->doorbell_fd, err, errlen);
	if (!skel)
		return -EINVAL;
	ret = kind->load(skel);
	if (ret) {
		snprintf(err, errlen, "probe %s: the kernel refused its programs: %s "
			 "(libbpf printed the verifier log)", name, strerror(-ret));
		kind->destroy(skel);
		return ret;
	}
	ret = kind->attach(skel);
	if (ret) {
		snprintf(err, errlen, "probe %s: cannot attach: %s", name, strerror(-ret));
		kind->destroy(skel);
		return ret;
	}
	p->on[p->non].kind = kind;
	p->on[p->non].skel = skel;
	p->non++;
	return 0;
}

void rs_bpf_probes_disable(struct rs_bpf_probes *p, const char *name)
{
	int i = find_on(p, name);

	if (i < 0)
		return;
	p->on[i].kind->destroy(p->on[i].skel);
	p->on[i] = p->on[p->non - 1];
	p->non--;
}

/* Open one fd per distinct network namespace seen in /proc. */
static int open_namespaces(int *fds, int max, uint64_t *skipped)
{
	ino_t seen[RS_BPF_MAX_NETNS];
	struct dirent *d;
	DIR *proc = opendir("/proc");
	int n = 0, i;

	if (!proc)
		return 0;
	while ((d = readdir(proc)) != NULL) {
		char path[64];
		struct stat st;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
		if (stat(path, &st))
			continue;		/* gone, or a kernel thread */
		for (i = 0; i < n && seen[i] != st.st_ino; i++)
			;
		if (i < n)
			continue;
		if (n == max) {
			(*skipped)++;
			continue;
		}
		fds[n] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[n] < 0)
			continue;
		seen[n++] = st.st_ino;
	}
	closedir(proc);
	return n;
}

/* Run every iterator link of the enabled probes once, in this namespace. */
static void walk_here(struct rs_bpf_probes *p)
{
	char buf[512];
	unsigned int i;
	int j;

	for (i = 0; i < p->non; i++) {
		struct bpf_object_skeleton *s = p->on[i].kind->skeleton(p->on[i].skel);

		for (j = 0; j < s->prog_cnt; j++) {
			struct bpf_program *prog = *s->progs[j].prog;
			struct bpf_link *link = *s->progs[j].link;
			int fd;

			if (!link || bpf_program__expected_attach_type(prog) != BPF_TRACE_ITER)
				continue;
			fd = bpf_iter_create(bpf_link__fd(link));
			if (fd < 0) {
				p->walk_errors++;
				continue;
			}
			while (read(fd, buf, sizeof(buf)) > 0)
				;
			close(fd);
			p->walks++;
		}
	}
}

int rs_bpf_probes_walk(struct rs_bpf_probes *p)
{
	int fds[RS_BPF_MAX_NETNS], n, i, home, walked = 0;

	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		walk_here(p);
		return 1;
	}
	n = open_namespaces(fds, RS_BPF_MAX_NETNS, &p->netns_skipped);
	for (i = 0; i < n; i++) {
		if (setns(fds[i], CLONE_NEWNET) == 0) {
			walk_here(p);
			walked++;
		} else {
			p->walk_errors++;
		}
		close(fds[i]);
	}
	if (setns(home, CLONE_NEWNET))
		p->walk_errors++;	/* stays wherever it is; counted */
	close(home);
	return walked;
}

uint64_t rs_bpf_probes_missed(const struct rs_bpf_probes *p)
{
	uint64_t missed = 0;
	unsigned int i;
	int j;

	for (i = 0; i < p->non; i++) {
		struct bpf_object_skeleton *s = p->on[i].kind->skeleton(p->on[i].skel);

		for (j = 0; j < s->prog_cnt; j++) {
			struct bpf_prog_info info;
			__u32 len = sizeof(info);

			memset(&info, 0, sizeof(info));
			if (!bpf_obj_get_info_by_fd(bpf_program__fd(*s->progs[j].prog), &info, &len))
				missed += info.recursion_misses;
		}
	}
	return missed;
}

void rs_bpf_probes_close(struct rs_bpf_probes *p)
{
	while (p->non)
		rs_bpf_probes_disable(p, p->on[0].kind->name);
	if (p->rings_fd >= 0)
		close(p->rings_fd);
	if (p->doorbell_fd >= 0)
		close(p->doorbell_fd);
	p->rings_fd = p->doorbell_fd = -1;
}
