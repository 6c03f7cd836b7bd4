/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* log.h - the agent's own diagnostic log: level-filtered lines to stderr or a file. */
#ifndef RINGSCOPE_AGENT_LOG_H
#define RINGSCOPE_AGENT_LOG_H

#include "config.h"

/* Set level and destination (path "" or NULL: stderr). Returns 0 or -1. */
int rs_log_open(int level, const char *path);
void rs_log_set_level(int level);
__attribute__((format(printf, 2, 3)))
void rs_log(int level, const char *fmt, ...);
/* Log one preformatted message at error level (callback form). */
void rs_log_error_msg(const char *msg);

#define rs_debug(...) rs_log(RS_LOG_DEBUG, __VA_ARGS__)
#define rs_info(...)  rs_log(RS_LOG_INFO, __VA_ARGS__)
#define rs_warn(...)  rs_log(RS_LOG_WARN, __VA_ARGS__)
#define rs_error(...) rs_log(RS_LOG_ERROR, __VA_ARGS__)

#endif /* RINGSCOPE_AGENT_LOG_H */
