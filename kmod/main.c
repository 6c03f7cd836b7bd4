// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - ringscope.ko: tracepoint probes writing ringscope records into
 * per-cpu rings, served as /dev/ringscope (ioctl, mmap, poll).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ringscope.h"

/* vm_flags became read-only in 6.3 (Kbuild looks for vm_flags_set) */
#ifdef RS_HAVE_VM_FLAGS_SET
#define rs_vm_flags_set(vma, f)		vm_flags_set(vma, f)
#define rs_vm_flags_clear(vma, f)	vm_flags_clear(vma, f)
#else
#define rs_vm_flags_set(vma, f)		((vma)->vm_flags |= (f))
#define rs_vm_flags_clear(vma, f)	((vma)->vm_flags &= ~(f))
#endif

/* Serialises open/release, ioctls, mmap and poll against ring changes. */
static DEFINE_MUTEX(rs_lock);
static bool rs_open_busy;
static atomic_t rs_mappings = ATOMIC_INIT(0);

/*
 * Per open file. The one read-write open is the consumer (control: ring
 * size, groups, mapping for write). Read-only opens are watchers: a drain
 * worker's doorbell for the rings it owns (poll_rings), or a monitor that
 * maps the rings read-only to show their counters.
 */
struct rs_file {
	bool hello;
	bool control;
	unsigned long *poll_rings;	/* NULL: every ring */
};

static int rs_open(struct inode *inode, struct file *file)
{
	struct rs_file *rf;
	int ret;

	rf = kzalloc(sizeof(*rf), GFP_KERNEL);
	if (!rf)
		return -ENOMEM;
	rf->control = !!(file->f_mode & FMODE_WRITE);
	mutex_lock(&rs_lock);
	if (rf->control && rs_open_busy) {
		ret = -EBUSY;	/* exactly one consumer per ring */
		goto err_unlock;
	}
	ret = stream_open(inode, file);
	if (ret)
		goto err_unlock;
	if (rf->control)
		rs_open_busy = true;
	file->private_data = rf;
	mutex_unlock(&rs_lock);
	return 0;

err_unlock:
	mutex_unlock(&rs_lock);
	kfree(rf);
	return ret;
}

/* Last reference gone (fd and mappings): stop producing. */
static int rs_release(struct inode *inode, struct file *file)
{
	struct rs_file *rf = file->private_data;

	if (rf->control) {
		mutex_lock(&rs_lock);
		rs_probes_disable(RS_KMOD_GROUPS_ALL);
		rs_open_busy = false;
		mutex_unlock(&rs_lock);
	}
	bitmap_free(rf->poll_rings);
	kfree(rf);
	return 0;
}

static long rs_ioc_hello(struct rs_file *rf, void __user *uarg)
{
	struct rs_kmod_hello h;
	bool ok;

	if (copy_from_user(&h, uarg, sizeof(h)))
		return -EFAULT;
	if (h.reserved)
		return -EINVAL;
	ok = h.api_version == RS_KMOD_API_VERSION &&
	     h.ring_abi_version == RS_RING_ABI_VERSION &&
	     h.record_size == RS_RECORD_SIZE;
	h.api_version = RS_KMOD_API_VERSION;
	h.ring_abi_version = RS_RING_ABI_VERSION;
	h.record_size = RS_RECORD_SIZE;
	if (copy_to_user(uarg, &h, sizeof(h)))
		return -EFAULT;
	if (!ok)
		return -EPROTONOSUPPORT;
	rf->hello = true;
	return 0;
}

static long rs_ioc_get_geometry(void __user *uarg)
{
	struct rs_kmod_geometry g = {
		.nrings = rs_rings.nrings,
		.order = rs_rings.order,
		.watermark = rs_rings.watermark,
		.groups_enabled = rs_probes_enabled(),
		.groups_available = rs_probes_available(),
		.ring_bytes = rs_rings.ring_bytes,
		.map_bytes = (u64)rs_rings.ring_bytes * rs_rings.nrings,
	};

	return copy_to_user(uarg, &g, sizeof(g)) ? -EFAULT : 0;
}

static long rs_ioc_set_ring(void __user *uarg)
{
	struct rs_kmod_ring_config c;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	if (c.reserved[0] || c.reserved[1])
		return -EINVAL;
	if (c.order < RS_KMOD_MIN_ORDER || c.order > RS_KMOD_MAX_ORDER)
		return -EINVAL;
	if (c.watermark > (1U << c.order))
		return -EINVAL;
	if (rs_probes_enabled() || atomic_read(&rs_mappings))
		return -EBUSY;
	return rs_rings_resize(c.order, c.watermark);
}

static long rs_ioc_groups(unsigned int cmd, void __user *uarg)
{
	struct rs_kmod_groups g;

	if (copy_from_user(&g, uarg, sizeof(g)))
		return -EFAULT;
	if (g.reserved || (g.groups & ~RS_KMOD_GROUPS_ALL))
		return -EINVAL;
	if (cmd == RS_KMOD_IOC_DISABLE) {
		rs_probes_disable(g.groups);
		return 0;
	}
	if (g.groups & ~rs_probes_available())
		return -EOPNOTSUPP;
	return rs_probes_enable(g.groups);
}

static long rs_ioc_get_stats(void __user *uarg)
{
	struct rs_kmod_stats *s;
	long ret = 0;

	s = kmalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	rs_rings_read_stats(s);
	if (copy_to_user(uarg, s, sizeof(*s)))
		ret = -EFAULT;
	kfree(s);
	return ret;
}

static long rs_ioc_selftest(void __user *uarg)
{
	struct rs_kmod_selftest st;
	int ret;

	if (copy_from_user(&st, uarg, sizeof(st)))
		return -EFAULT;
	ret = rs_selftest_run(&st);
	if (ret)
		return ret;
	return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long rs_ioc_set_poll_rings(struct rs_file *rf, void __user *uarg)
{
	struct rs_kmod_poll_rings pr;
	unsigned long *mask;
	u64 *words;
	long ret = 0;

	if (copy_from_user(&pr, uarg, sizeof(pr)))
		return -EFAULT;
	if (pr.reserved || pr.nbits != rs_rings.nrings)
		return -EINVAL;
	words = memdup_user(u64_to_user_ptr(pr.mask),
			    BITS_TO_U64(pr.nbits) * sizeof(u64));
	if (IS_ERR(words))
		return PTR_ERR(words);
	mask = bitmap_zalloc(pr.nbits, GFP_KERNEL);
	if (!mask) {
		ret = -ENOMEM;
		goto out_free;
	}
	bitmap_from_arr64(mask, words, pr.nbits);
	if (bitmap_empty(mask, pr.nbits)) {
		bitmap_free(mask);
		ret = -EINVAL;	/* would never be readable */
		goto out_free;
	}
	bitmap_free(rf->poll_rings);
	rf->poll_rings = mask;
out_free:
	kfree(words);
	return ret;
}

static long rs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct rs_file *rf = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	switch (cmd) {
	case RS_KMOD_IOC_HELLO:
	case RS_KMOD_IOC_GET_GEOMETRY:
	case RS_KMOD_IOC_SET_RING:
	case RS_KMOD_IOC_ENABLE:
	case RS_KMOD_IOC_DISABLE:
	case RS_KMOD_IOC_GET_STATS:
	case RS_KMOD_IOC_SELFTEST:
	case RS_KMOD_IOC_SET_POLL_RINGS:
		break;
	default:
		return -ENOTTY;
	}
	mutex_lock(&rs_lock);
	if (cmd == RS_KMOD_IOC_HELLO)
		ret = rs_ioc_hello(rf, uarg);
	else if (!rf->hello)
		ret = -EPROTO;	/* versions not agreed yet */
	else if (cmd == RS_KMOD_IOC_GET_GEOMETRY)
		ret = rs_ioc_get_geometry(uarg);
	else if (cmd == RS_KMOD_IOC_SET_POLL_RINGS)
		ret = rs_ioc_set_poll_rings(rf, uarg);
	else if (cmd == RS_KMOD_IOC_GET_STATS)
		ret = rs_ioc_get_stats(uarg);
	else if (!rf->control)
		ret = -EPERM;	/* watchers do not steer the module */
	else if (cmd == RS_KMOD_IOC_SET_RING)
		ret = rs_ioc_set_ring(uarg);
	else if (cmd == RS_KMOD_IOC_SELFTEST)
		ret = rs_ioc_selftest(uarg);
	else
		ret = rs_ioc_groups(cmd, uarg);
	mutex_unlock(&rs_lock);
	return ret;
}

static void rs_vm_open(struct vm_area_struct *vma)
{
	atomic_inc(&rs_mappings);
}

static void rs_vm_close(struct vm_area_struct *vma)
{
	atomic_dec(&rs_mappings);
}

static const struct vm_operations_struct rs_vm_ops = {
	.open = rs_vm_open,
	.close = rs_vm_close,
};

/* Map rings [pgoff / ring pages, ...) page by page: one area per cpu. */
static int rs_map_pages(struct vm_area_struct *vma)
{
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	unsigned long addr;
	struct page *page;
	u64 ring, in_ring;
	int ret;

	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		ring = div64_u64_rem(off, rs_rings.ring_bytes, &in_ring);
		page = vmalloc_to_page((u8 *)rs_rings.ring[ring] + in_ring);
		ret = vm_insert_page(vma, addr, page);
		if (ret)
			return ret;
		off += PAGE_SIZE;
	}
	return 0;
}

static int rs_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct rs_file *rf = file->private_data;
	u64 len = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 total;
	int ret;

	if (!rf->hello)
		return -EPROTO;
	/*
	 * A private copy would hide the consumer's tail from producers.
	 * VM_MAYSHARE: a read-only fd's MAP_SHARED loses VM_SHARED.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	/* only the consumer writes its tail and armed flags */
	if (!rf->control && (vma->vm_flags & VM_WRITE))
		return -EPERM;
	mutex_lock(&rs_lock);
	total = (u64)rs_rings.ring_bytes * rs_rings.nrings;
	if (vma->vm_pgoff > (total >> PAGE_SHIFT) || len > total - off) {
		ret = -EINVAL;
		goto out_unlock;
	}
	rs_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	rs_vm_flags_clear(vma, rf->control ? VM_MAYEXEC :
			  VM_MAYEXEC | VM_MAYWRITE);
	ret = rs_map_pages(vma);
	if (ret)
		goto out_unlock;
	vma->vm_ops = &rs_vm_ops;
	atomic_inc(&rs_mappings);
out_unlock:
	mutex_unlock(&rs_lock);
	return ret;
}

static __poll_t rs_poll(struct file *file, poll_table *wait)
{
	struct rs_file *rf = file->private_data;
	__poll_t mask = 0;

	if (!rf->hello)
		return EPOLLERR;
	poll_wait(file, &rs_wait, wait);
	mutex_lock(&rs_lock);
	if (rs_rings_readable(rf->poll_rings))
		mask = EPOLLIN | EPOLLRDNORM;
	mutex_unlock(&rs_lock);
	return mask;
}

static const struct file_operations rs_fops = {
	.owner = THIS_MODULE,
	.open = rs_open,
	.release = rs_release,
	.unlocked_ioctl = rs_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = rs_mmap,
	.poll = rs_poll,
};

static struct miscdevice rs_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = RS_KMOD_DEVICE_NAME,
	.fops = &rs_fops,
	.mode = 0600,
};

static int __init rs_init(void)
{
	int ret;

	ret = rs_probes_init();
	if (ret) {
		pr_err("no usable tracepoint group\n");
		return ret;
	}
	ret = rs_rings_init();
	if (ret)
		return ret;
	ret = misc_register(&rs_misc);
	if (ret)
		goto err_rings;
	pr_info("/dev/%s: %u rings of %u slots, groups 0x%x available\n",
		RS_KMOD_DEVICE_NAME, rs_rings.nrings, 1U << rs_rings.order,
		rs_probes_available());
	return 0;

err_rings:
	rs_rings_exit();
	return ret;
}

static void __exit rs_exit(void)
{
	misc_deregister(&rs_misc);
	/* no file can be open (module reference), so no probe is left */
	rs_probes_disable(RS_KMOD_GROUPS_ALL);
	rs_rings_exit();
}

module_init(rs_init);
module_exit(rs_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ringscope developers");
MODULE_DESCRIPTION("ringscope: tracepoint records into per-cpu mmap rings");
MODULE_VERSION("0.1.0");
