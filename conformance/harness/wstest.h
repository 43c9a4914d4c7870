/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wstest: a small conformance-test harness whose macros carry the names and
 * the meaning of Wine's test macros (ok, ok_, todo_wine, broken, win_skip,
 * skip, trace, contexts), so a test written here reads like a Wine test and
 * its output parses like one.
 *
 * A test program is several source files, one subtest each:
 *
 *     START_TEST(send_basic)
 *     {
 *         ok(send(s, buf, 4, 0) == 4, "got %d\n", ret);
 *     }
 *
 * The build generates testlist.c (gen_testlist.py) naming every subtest;
 * main() lives in the harness library.
 */
#ifndef WSTEST_H
#define WSTEST_H

#include <stdarg.h>
#include <windows.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define WSTEST_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#else
#define WSTEST_PRINTF(f, a)
#endif

/* One entry per subtest; generated into testlist.c, ended by { NULL, NULL }. */
struct winetest_test
{
    const char *name;
    void (*func)(void);
};
extern const struct winetest_test winetest_testlist[];

/* Settings, read from the environment before the subtest starts. */
extern const char *winetest_platform;     /* "wine" or "windows" */
extern int winetest_platform_is_wine;
extern int winetest_debug;                /* WINETEST_DEBUG, default 1 */
extern int winetest_interactive;          /* WINETEST_INTERACTIVE, default 0 */
extern int winetest_report_success;       /* WINETEST_REPORT_SUCCESS, default 0 */
/* Under Wine, its version as WINETEST_WINE_VERSION(major, minor): from
 * WINETEST_WINE_VERSION ("10.0") if set, else from ntdll's wine_get_version;
 * 0 on Windows or when unknown. */
extern unsigned int winetest_wine_version;
#define WINETEST_WINE_VERSION(major, minor) (((unsigned int)(major) << 16) | (unsigned int)(minor))

/* Runtime entry points; use the macros below instead. */
void winetest_set_location(const char *file, int line);
int winetest_ok(int condition, const char *fmt, ...) WSTEST_PRINTF(2, 3);
int winetest_vok(int condition, const char *fmt, va_list args);
void winetest_skip(const char *fmt, ...) WSTEST_PRINTF(1, 2);
void winetest_win_skip(const char *fmt, ...) WSTEST_PRINTF(1, 2);
void winetest_trace(const char *fmt, ...) WSTEST_PRINTF(1, 2);
void winetest_subtest(const char *name);
int winetest_ok_at(const char *file, int line, int condition, const char *fmt, ...) WSTEST_PRINTF(4, 5);
void winetest_skip_at(const char *file, int line, const char *fmt, ...) WSTEST_PRINTF(3, 4);
void winetest_win_skip_at(const char *file, int line, const char *fmt, ...) WSTEST_PRINTF(3, 4);
void winetest_trace_at(const char *file, int line, const char *fmt, ...) WSTEST_PRINTF(3, 4);
void winetest_subtest_at(const char *file, int line, const char *name);
void winetest_push_context(const char *fmt, ...) WSTEST_PRINTF(1, 2);
void winetest_pop_context(void);
void winetest_start_todo(int is_todo);
int winetest_loop_todo(void);
void winetest_end_todo(void);
int winetest_broken(int condition);
int winetest_get_failures(void);
void winetest_add_failures(LONG count);
/* argc/argv of the test program (for tests that start a copy of themselves
 * with "<exe> <subtest> <extra args>"). */
int winetest_get_mainargs(char ***argv);
/* Waits up to 30 s for a child test process and adds its failures. */
void winetest_wait_child_process(HANDLE process);

/* Debug strings kept in a small per-thread ring: valid until a few more
 * calls from the same thread. */
const char *wine_dbgstr_an(const char *str, int len);
const char *wine_dbgstr_wn(const WCHAR *str, int len);
const char *wine_dbgstr_longlong(ULONGLONG value);
static inline const char *wine_dbgstr_a(const char *str) { return wine_dbgstr_an(str, -1); }
static inline const char *wine_dbgstr_w(const WCHAR *str) { return wine_dbgstr_wn(str, -1); }

/* The check macros.  ok() evaluates to the condition's truth (0 or 1).
 * ok_(file, line)(cond, fmt, ...) reports at an explicit location, for
 * helpers called from many places: helper_(__LINE__, ...) { ok_(__FILE__, line)(...); } */
#define ok(...)       winetest_ok_at(__FILE__, __LINE__, __VA_ARGS__)
#define skip(...)     winetest_skip_at(__FILE__, __LINE__, __VA_ARGS__)
#define win_skip(...) winetest_win_skip_at(__FILE__, __LINE__, __VA_ARGS__)
#define trace(...)    winetest_trace_at(__FILE__, __LINE__, __VA_ARGS__)
#define subtest(name) winetest_subtest_at(__FILE__, __LINE__, name)
#define ok_(file, line)       (winetest_set_location(file, line), winetest_ok)
#define skip_(file, line)     (winetest_set_location(file, line), winetest_skip)
#define win_skip_(file, line) (winetest_set_location(file, line), winetest_win_skip)
#define trace_(file, line)    (winetest_set_location(file, line), winetest_trace)

/* todo blocks: "todo_wine { ... }" applies to the next statement or block.
 * They nest; do not leave the block with break/goto/return. */
#define todo_if(is_todo) for (winetest_start_todo(!!(is_todo)); \
                              winetest_loop_todo(); \
                              winetest_end_todo())
#define todo_wine             todo_if(winetest_platform_is_wine)
#define todo_wine_if(is_todo) todo_if((is_todo) && winetest_platform_is_wine)
/* A gap in Wine outside what is tested, fixed in Wine major.minor: todo under
 * older Wine (and under a Wine whose version is unknown). */
#define todo_wine_before(major, minor) \
    todo_wine_if(winetest_wine_version < WINETEST_WINE_VERSION(major, minor))

/* Accepts odd Windows behaviour without letting Wine (or ws2send) copy it. */
#define broken(condition) winetest_broken(!!(condition))

#define wait_child_process winetest_wait_child_process

#ifdef __cplusplus
}
#endif

/* A subtest: START_TEST(name) { ... } defines void func_name(void). */
#define START_TEST(name) void func_##name(void); void func_##name(void)

#endif /* WSTEST_H */
