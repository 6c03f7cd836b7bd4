/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* shm_internal.h - helpers shared by the shm library's own files. */
#ifndef RINGSCOPE_SHM_INTERNAL_H
#define RINGSCOPE_SHM_INTERNAL_H

#include <stddef.h>

#include "shm.h"

__attribute__((format(printf, 3, 4)))
void rs_set_error(char *err, size_t errlen, const char *fmt, ...);
void rs_doorbell_close(struct rs_doorbell *db);

#endif
