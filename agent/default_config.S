/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* default_config.S - embeds agent/ringscoped.conf as rs_default_config[]. */
	.section .rodata
	.global rs_default_config
	.type rs_default_config, @object
	.balign 16
rs_default_config:
	.incbin "agent/ringscoped.conf"
	.byte 0
	.size rs_default_config, . - rs_default_config
	.section .note.GNU-stack,"",@progbits
