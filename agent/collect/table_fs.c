// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* table_fs.c - system_df rows: statfs() of each mounted filesystem, as df and df -i. */
#include <errno.h>
#include <linux/magic.h>
#include <poll.h>
#include <string.h>
#include <sys/statfs.h>

#include "collector_int.h"

static bool skipped_type(const char *list, const char *type)
{
	size_t tlen = strlen(type);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ", ");

		if (len == tlen && memcmp(p, type, len) == 0)
			return true;
		p += len;
		p += strspn(p, ", ");
	}
	return false;
}

/* A later mount on the same directory hides this one. */
static bool hidden(const struct rsc_mount_list *l, unsigned int i)
{
	for (unsigned int j = i + 1; j < l->n; j++)
		if (strcmp(l->v[j].dir, l->v[i].dir) == 0)
			return true;
	return false;
}

/* df's Use%: used / (used + available), rounded up. */
static uint64_t use_percent(uint64_t used, uint64_t avail)
{
	uint64_t total = used + avail;

	if (total == 0 || used > UINT64_MAX / 100)
		return 0;
	return used * 100 / total + (used * 100 % total != 0);
}

static void emit_fs(struct rs_collector *c, const struct rsc_mount *m, const struct statfs *s)
{
	uint64_t kb = (uint64_t)s->f_frsize ? (uint64_t)s->f_frsize : (uint64_t)s->f_bsize;
	uint64_t blocks = (uint64_t)s->f_blocks, bfree = (uint64_t)s->f_bfree;
	uint64_t bavail = (uint64_t)s->f_bavail, files = (uint64_t)s->f_files;
	uint64_t ffree = (uint64_t)s->f_ffree, used = blocks > bfree ? blocks - bfree : 0;
	struct rsc_row row;

	rsc_row_start(&row);
	rsc_row_str(&row, m->dir);
	rsc_row_str(&row, m->ro ? "ro" : "rw");
	rsc_row_str(&row, m->source);
	rsc_row_str(&row, m->type);
	if (files) {
		uint64_t iused = files > ffree ? files - ffree : 0;

		rsc_row_u64(&row, files);
		rsc_row_u64(&row, iused);
		rsc_row_u64(&row, ffree);
		rsc_row_u64(&row, use_percent(iused, ffree));
	} else {
		for (int i = 0; i < 4; i++)
			rsc_row_empty(&row);	/* no inode accounting (btrfs, vfat ...) */
	}
	rsc_row_u64(&row, blocks * kb / 1024);
	rsc_row_u64(&row, used * kb / 1024);
	rsc_row_u64(&row, bavail * kb / 1024);
	rsc_row_u64(&row, use_percent(used, bavail));
	rsc_emit(c, "system_df", &row);
}

/*
 * /proc/self/mounts is costly to generate (tens of us) and rarely changes;
 * procfs flags a change with POLLPRI (fs/proc_namespace.c mounts_poll), so
 * it is read again only then. Other files (fixture trees) are always read.
 */
bool rsc_mounts_changed(struct rs_collector *c)
{
	struct rsc_file *f = &c->files[RSC_F_MOUNTS];
	struct pollfd p = { .fd = f->fd, .events = POLLPRI };
	struct statfs s;

	if (!c->mounts_valid || f->fd < 0 || fstatfs(f->fd, &s) != 0 ||
	    s.f_type != PROC_SUPER_MAGIC)
		return true;
	return poll(&p, 1, 0) != 0 && (p.revents & (POLLPRI | POLLERR | POLLNVAL));
}

void rsc_table_fs(struct rs_collector *c)
{
	struct rsc_file *f = &c->files[RSC_F_MOUNTS];
	struct rsc_perr err;
	int rc;

	if (c->mounts_fresh) {
		c->mounts_valid = false;
		if (f->fd < 0 || f->err)
			return;
		rsc_perr_reset(&err);
		rc = rsc_parse_mounts(f->buf, f->len, &c->mounts, &err);
		rsc_parsed(c, RS_SRC_MOUNTS, f, rc, &err);
		c->stats.dropped_mounts += c->mounts.dropped;
		c->mounts_valid = true;
	}
	if (!c->mounts_valid)
		return;
	for (unsigned int i = 0; i < c->mounts.n; i++) {
		const struct rsc_mount *m = &c->mounts.v[i];
		struct statfs s;

		if (skipped_type(c->fs_skip, m->type) || hidden(&c->mounts, i) || m->dir[0] != '/')
			continue;
		/* may block on an unreachable network filesystem: see README */
		if (statfs(m->dir, &s) != 0) {
			c->stats.read_errors[RS_SRC_STATFS]++;
			rsc_log(c, RS_SRC_STATFS, "statfs %s: %s", m->dir, strerror(errno));
			continue;
		}
		if (s.f_blocks == 0)
			continue;	/* a pseudo filesystem not in the skip list */
		emit_fs(c, m, &s);
	}
}
