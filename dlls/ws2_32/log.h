/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Logging.  WS2SEND_DEBUG picks the level (none, err, warn, info, trace;
 * default err).  Messages go to Wine's debug output when running under Wine,
 * to stderr otherwise, and also to WS2SEND_LOG_FILE when that is set.
 */
#ifndef WS2SEND_LOG_H
#define WS2SEND_LOG_H

enum log_level
{
    LOG_NONE,
    LOG_ERR,
    LOG_WARN,
    LOG_INFO,
    LOG_TRACE,
};

extern enum log_level log_level;

void log_init(void);
/* DLL_PROCESS_DETACH at process exit: from now on a lock a terminated
 * thread may hold is not waited for. */
void log_process_exiting(void);
void log_message(enum log_level level, const char *function, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#define LOG_AT(level, ...) \
    do { if (log_level >= (level)) log_message((level), __func__, __VA_ARGS__); } while (0)

#define ERR(...)   LOG_AT(LOG_ERR, __VA_ARGS__)
#define WARN(...)  LOG_AT(LOG_WARN, __VA_ARGS__)
#define INFO(...)  LOG_AT(LOG_INFO, __VA_ARGS__)
#define TRACE(...) LOG_AT(LOG_TRACE, __VA_ARGS__)
#define TRACE_ON() (log_level >= LOG_TRACE)

#endif /* WS2SEND_LOG_H */
