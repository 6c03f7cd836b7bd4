/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpf_probes.h - the BPF probes: one set of per-CPU rings shared by every
 * probe (an mmapable array map and a doorbell ringbuf, created here and
 * handed to each probe object with bpf_map__reuse_fd), each probe's
 * skeleton opened with the ring geometry, loaded, attached, detached; its
 * BPF iterators walked once per interval in every network namespace; the
 * events its programs missed (the kernel skips a program that fires again
 * on a CPU while it runs) added up so they can be exported.
 *
 * Adding a probe: its bpf/name.bpf.c, and one line in RS_BPF_PROBES
 * (bpf_probes.c).
 */
#ifndef RINGSCOPE_AGENT_BPF_PROBES_H
#define RINGSCOPE_AGENT_BPF_PROBES_H

#include <stddef.h>
#include <stdint.h>

struct bpf_object_skeleton;

/* One probe kind: its skeleton's functions behind a type-erased face. */
struct rs_bpf_probe_kind {
	const char *name;
	void *(*open)(unsigned int order, unsigned int watermark, int rings_fd,
		      int doorbell_fd, char *err, size_t errlen);
	int (*load)(void *skel);
	int (*attach)(void *skel);
	void (*destroy)(void *skel);
	struct bpf_object_skeleton *(*skeleton)(void *skel);
};

#define RS_BPF_MAX_PROBES 16
#define RS_BPF_MAX_NETNS 256

struct rs_bpf_probes {
	int rings_fd;			/* rs_rings: BPF_F_MMAPABLE array, one ring per cpu */
	int doorbell_fd;		/* rs_doorbell: BPF ringbuf */
	unsigned int order, watermark, ncpus;
	struct {
		const struct rs_bpf_probe_kind *kind;
		void *skel;
	} on[RS_BPF_MAX_PROBES];
	unsigned int non;
	uint64_t walks;			/* iterator runs */
	uint64_t netns_skipped;		/* namespaces over RS_BPF_MAX_NETNS */
	uint64_t walk_errors;
};

/* Probe kinds built in, or NULL. */
const struct rs_bpf_probe_kind *rs_bpf_probe_kind(const char *name);
/* Their names, comma separated, for messages. */
const char *rs_bpf_probe_names(void);

/*
 * Create the shared rings (2^order slots per possible cpu, doorbell at
 * watermark records) and format them. Errors name the reason.
 */
int rs_bpf_probes_init(struct rs_bpf_probes *p, unsigned int order,
		       unsigned int watermark, char *err, size_t errlen);
/* Load and attach a probe by name; 0, or -errno with err filled. */
int rs_bpf_probes_enable(struct rs_bpf_probes *p, const char *name,
			 char *err, size_t errlen);
/* Detach and unload it (no-op when off). */
void rs_bpf_probes_disable(struct rs_bpf_probes *p, const char *name);
int rs_bpf_probes_enabled(const struct rs_bpf_probes *p, const char *name);

/*
 * Run every iterator program of the enabled probes once in each network
 * namespace of the host (found through /proc/PID/ns/net, at most
 * RS_BPF_MAX_NETNS). The calling thread enters each namespace for the walk
 * and returns to its own. Returns the number of namespaces walked.
 */
int rs_bpf_probes_walk(struct rs_bpf_probes *p);

/* Events the probes' programs missed (recursion), summed over programs. */
uint64_t rs_bpf_probes_missed(const struct rs_bpf_probes *p);

void rs_bpf_probes_close(struct rs_bpf_probes *p);

#endif
