/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wstest runtime: counters, per-thread todo/context state, output, and the
 * test program's main().  See wstest.h for the macros.
 */
#define __USE_MINGW_ANSI_STDIO 1 /* C99 printf formats (%zu, %lld, %hhx) everywhere */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "wstest.h"

#define MAX_CONTEXTS     8
#define CONTEXT_LEN      128
#define DBGSTR_BUFFERS   4
#define DBGSTR_LEN       512

const char *winetest_platform = "windows";
int winetest_platform_is_wine;
int winetest_debug = 1;
int winetest_interactive;
int winetest_report_success;
unsigned int winetest_wine_version;
static int winetest_time;

/* Check outcomes.  "todo_ok": a failing check inside a todo block (expected);
 * "todo_bad": a passing check inside a todo block (counts as a failure). */
static volatile LONG n_passed, n_failed, n_todo_ok, n_todo_bad, n_skipped;

static const char *current_test = "";
static LARGE_INTEGER start_counter, counter_freq;
static CRITICAL_SECTION print_lock;
static DWORD tls_slot = FLS_OUT_OF_INDEXES;
static int main_argc;
static char **main_argv;

struct thread_state
{
    const char *file;
    int line;
    unsigned int todo_level;    /* one bit per nested todo block */
    int todo_loop;              /* the todo_if for-loop runs its body once */
    unsigned int context_count; /* may exceed MAX_CONTEXTS; only the first ones print */
    char context[MAX_CONTEXTS][CONTEXT_LEN];
    unsigned int dbgstr_next;
    char dbgstr[DBGSTR_BUFFERS][DBGSTR_LEN];
};

/* Used only if a thread's state cannot be allocated. */
static struct thread_state fallback_state;

static void WINAPI free_thread_state(void *state)
{
    if (state != &fallback_state) free(state);
}

static struct thread_state *thread_state(void)
{
    struct thread_state *state;
    DWORD err = GetLastError(); /* tests check last-error after calls wrapped in ok() */

    if (tls_slot == FLS_OUT_OF_INDEXES) return &fallback_state;
    if (!(state = FlsGetValue(tls_slot)))
    {
        if (!(state = calloc(1, sizeof(*state)))) state = &fallback_state;
        FlsSetValue(tls_slot, state);
    }
    SetLastError(err);
    return state;
}

static const char *base_name(const char *file)
{
    const char *p;
    for (p = file; *p; p++)
        if (*p == '/' || *p == '\\') file = p + 1;
    return file;
}

/* Seconds since start as "S.mmm". */
static void format_elapsed(char *buf, size_t size)
{
    LARGE_INTEGER now;
    ULONGLONG ms;

    QueryPerformanceCounter(&now);
    ms = (ULONGLONG)(now.QuadPart - start_counter.QuadPart) * 1000 / (ULONGLONG)counter_freq.QuadPart;
    snprintf(buf, size, "%llu.%03u", ms / 1000, (unsigned int)(ms % 1000));
}

/* Appends formatted text to a growing heap buffer; on allocation failure the
 * text is dropped rather than the line. */
struct line_buf
{
    char *text;
    size_t len, cap;
};

static void line_vappend(struct line_buf *buf, const char *fmt, va_list args)
{
    va_list copy;
    int need;

    va_copy(copy, args);
    need = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (need < 0) return;
    if (buf->len + need + 2 > buf->cap)
    {
        size_t cap = (buf->len + need + 2) * 2;
        char *text = realloc(buf->text, cap);
        if (!text) return;
        buf->text = text;
        buf->cap = cap;
    }
    vsnprintf(buf->text + buf->len, buf->cap - buf->len, fmt, args);
    buf->len += need;
}

static void line_append(struct line_buf *buf, const char *fmt, ...) WSTEST_PRINTF(2, 3);
static void line_append(struct line_buf *buf, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    line_vappend(buf, fmt, args);
    va_end(args);
}

static void write_out(const char *text)
{
    EnterCriticalSection(&print_lock);
    fputs(text, stdout);
    fflush(stdout);
    LeaveCriticalSection(&print_lock);
}

/* "<file>:<line>:[elapsed] <kind>: <ctx>: ... <msg>", always one whole line,
 * written in one piece so threads never interleave inside a line. */
static void print_message(const struct thread_state *state, const char *kind,
                          const char *fmt, va_list args)
{
    struct line_buf buf = { NULL, 0, 0 };
    unsigned int i, count = state->context_count < MAX_CONTEXTS ? state->context_count : MAX_CONTEXTS;
    char elapsed[32] = "";
    size_t prefix_len;

    if (winetest_time)
    {
        elapsed[0] = '[';
        format_elapsed(elapsed + 1, sizeof(elapsed) - 2);
        strcat(elapsed, "]");
    }
    line_append(&buf, "%s:%d:%s ", state->file ? state->file : "<unknown>", state->line, elapsed);
    if (kind) line_append(&buf, "%s: ", kind);
    for (i = 0; i < count; i++) line_append(&buf, "%s: ", state->context[i]);
    prefix_len = buf.len;
    if (fmt) line_vappend(&buf, fmt, args);
    if (!buf.text) return;
    if (buf.len == prefix_len && (kind || count))
        buf.len -= 2; /* no message: drop the trailing ": " */
    if (!buf.len || buf.text[buf.len - 1] != '\n') buf.text[buf.len++] = '\n';
    buf.text[buf.len] = 0;
    write_out(buf.text);
    free(buf.text);
}

static void print_kind(const struct thread_state *state, const char *kind, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    print_message(state, kind, fmt, args);
    va_end(args);
}

void winetest_set_location(const char *file, int line)
{
    struct thread_state *state = thread_state();
    state->file = base_name(file);
    state->line = line;
}

int winetest_vok(int condition, const char *fmt, va_list args)
{
    struct thread_state *state = thread_state();
    DWORD err = GetLastError();

    if (state->todo_level)
    {
        if (condition)
        {
            print_message(state, "Test succeeded inside todo block", fmt, args);
            InterlockedIncrement(&n_todo_bad);
        }
        else
        {
            if (winetest_debug > 0) print_message(state, "Test marked todo", fmt, args);
            InterlockedIncrement(&n_todo_ok);
        }
    }
    else if (!condition)
    {
        print_message(state, "Test failed", fmt, args);
        InterlockedIncrement(&n_failed);
    }
    else
    {
        if (winetest_report_success) print_message(state, "Test succeeded", fmt, args);
        InterlockedIncrement(&n_passed);
    }
    SetLastError(err);
    return !!condition;
}

int winetest_ok(int condition, const char *fmt, ...)
{
    va_list args;
    int ret;

    va_start(args, fmt);
    ret = winetest_vok(condition, fmt, args);
    va_end(args);
    return ret;
}

int winetest_ok_at(const char *file, int line, int condition, const char *fmt, ...)
{
    va_list args;
    int ret;

    winetest_set_location(file, line);
    va_start(args, fmt);
    ret = winetest_vok(condition, fmt, args);
    va_end(args);
    return ret;
}

static void vskip(const char *fmt, va_list args)
{
    print_message(thread_state(), "Tests skipped", fmt, args);
    InterlockedIncrement(&n_skipped);
}

static void vwin_skip(const char *fmt, va_list args)
{
    /* Whatever an older Windows lacks, Wine (and ws2send) must have. */
    if (winetest_platform_is_wine) winetest_vok(0, fmt, args);
    else vskip(fmt, args);
}

static void vtrace(const char *fmt, va_list args)
{
    if (winetest_debug > 0) print_message(thread_state(), NULL, fmt, args);
}

#define DEFINE_VOID_PAIR(name, impl) \
    void winetest_##name(const char *fmt, ...) \
    { \
        va_list args; \
        va_start(args, fmt); \
        impl(fmt, args); \
        va_end(args); \
    } \
    void winetest_##name##_at(const char *file, int line, const char *fmt, ...) \
    { \
        va_list args; \
        winetest_set_location(file, line); \
        va_start(args, fmt); \
        impl(fmt, args); \
        va_end(args); \
    }

DEFINE_VOID_PAIR(skip, vskip)
DEFINE_VOID_PAIR(win_skip, vwin_skip)
DEFINE_VOID_PAIR(trace, vtrace)

void winetest_subtest(const char *name)
{
    if (winetest_debug > 0) print_kind(thread_state(), "Subtest", "%s\n", name);
}

void winetest_subtest_at(const char *file, int line, const char *name)
{
    winetest_set_location(file, line);
    winetest_subtest(name);
}

void winetest_push_context(const char *fmt, ...)
{
    struct thread_state *state = thread_state();
    va_list args;

    if (state->context_count < MAX_CONTEXTS)
    {
        va_start(args, fmt);
        vsnprintf(state->context[state->context_count], CONTEXT_LEN, fmt, args);
        va_end(args);
    }
    state->context_count++;
}

void winetest_pop_context(void)
{
    struct thread_state *state = thread_state();
    if (state->context_count) state->context_count--;
}

void winetest_start_todo(int is_todo)
{
    struct thread_state *state = thread_state();
    state->todo_level = (state->todo_level << 1) | (is_todo != 0);
    state->todo_loop = 1;
}

int winetest_loop_todo(void)
{
    struct thread_state *state = thread_state();
    int run = state->todo_loop;
    state->todo_loop = 0;
    return run;
}

void winetest_end_todo(void)
{
    thread_state()->todo_level >>= 1;
}

int winetest_broken(int condition)
{
    return !winetest_platform_is_wine && condition;
}

int winetest_get_failures(void)
{
    return n_failed + n_todo_bad;
}

void winetest_add_failures(LONG count)
{
    InterlockedExchangeAdd(&n_failed, count);
}

int winetest_get_mainargs(char ***argv)
{
    *argv = main_argv;
    return main_argc;
}

void winetest_wait_child_process(HANDLE process)
{
    DWORD code, ret = WaitForSingleObject(process, 30000);

    if (ret == WAIT_TIMEOUT)
    {
        ok(0, "timed out waiting for the child process\n");
        TerminateProcess(process, 257);
        return;
    }
    if (ret != WAIT_OBJECT_0 || !GetExitCodeProcess(process, &code))
    {
        ok(0, "cannot wait for the child process: error %lu\n", GetLastError());
        return;
    }
    if (code > 255)
        ok(0, "the child process ended with unhandled exception %08lx\n", code);
    else if (code)
        winetest_add_failures(code); /* the child printed its own failures */
}

/* Debug strings. */

static char *dbgstr_buffer(void)
{
    struct thread_state *state = thread_state();
    return state->dbgstr[state->dbgstr_next++ % DBGSTR_BUFFERS];
}

static size_t put_escaped(char *out, size_t pos, unsigned int c)
{
    static const char hex[] = "0123456789abcdef";
    switch (c)
    {
    case '\n': out[pos++] = '\\'; out[pos++] = 'n'; break;
    case '\r': out[pos++] = '\\'; out[pos++] = 'r'; break;
    case '\t': out[pos++] = '\\'; out[pos++] = 't'; break;
    case '"':  out[pos++] = '\\'; out[pos++] = '"'; break;
    case '\\': out[pos++] = '\\'; out[pos++] = '\\'; break;
    default:
        if (c >= 0x20 && c < 0x7f) out[pos++] = (char)c;
        else if (c < 0x100)
        {
            out[pos++] = '\\'; out[pos++] = 'x';
            out[pos++] = hex[(c >> 4) & 15]; out[pos++] = hex[c & 15];
        }
        else
        {
            out[pos++] = '\\'; out[pos++] = 'x';
            out[pos++] = hex[(c >> 12) & 15]; out[pos++] = hex[(c >> 8) & 15];
            out[pos++] = hex[(c >> 4) & 15]; out[pos++] = hex[c & 15];
        }
    }
    return pos;
}

/* Quoted and escaped; "..." after the closing quote when cut short. */
#define DBGSTR_BODY(str, len, unit) \
    do { \
        char *out = dbgstr_buffer(); \
        size_t pos = 0; \
        int i; \
        if (!(str)) return "(null)"; \
        if ((len) < 0) for ((len) = 0; (str)[len]; (len)++) ; \
        out[pos++] = '"'; \
        for (i = 0; i < (len) && pos < DBGSTR_LEN - 12; i++) \
            pos = put_escaped(out, pos, (unit)(str)[i]); \
        out[pos++] = '"'; \
        if (i < (len)) { memcpy(out + pos, "...", 3); pos += 3; } \
        out[pos] = 0; \
        return out; \
    } while (0)

const char *wine_dbgstr_an(const char *str, int len)
{
    DBGSTR_BODY(str, len, unsigned char);
}

const char *wine_dbgstr_wn(const WCHAR *str, int len)
{
    DBGSTR_BODY(str, len, unsigned short);
}

const char *wine_dbgstr_longlong(ULONGLONG value)
{
    char *out = dbgstr_buffer();
    snprintf(out, DBGSTR_LEN, "%llx", value);
    return out;
}

/* Program entry. */

static LONG WINAPI exception_filter(EXCEPTION_POINTERS *ptrs)
{
    struct thread_state *state = thread_state();
    char elapsed[32];

    /* No lock: the crashing thread may hold it. */
    format_elapsed(elapsed, sizeof(elapsed));
    if (state->file)
        fprintf(stdout, "%s:%d: this is the last test seen before the exception\n",
                state->file, state->line);
    fprintf(stdout, "%04lx:%s:%s unhandled exception %08lx at %p\n",
            GetCurrentProcessId(), current_test, elapsed,
            ptrs->ExceptionRecord->ExceptionCode, ptrs->ExceptionRecord->ExceptionAddress);
    fflush(stdout);
    /* The exception code (> 255) is the exit status runners see as a crash. */
    TerminateProcess(GetCurrentProcess(), ptrs->ExceptionRecord->ExceptionCode);
    return EXCEPTION_EXECUTE_HANDLER;
}

static int env_int(const char *name, int def)
{
    const char *value = getenv(name);
    return value && *value ? atoi(value) : def;
}

static void list_tests(void)
{
    const struct winetest_test *test;

    printf("Valid test names:\n");
    for (test = winetest_testlist; test->name; test++) printf("    %s\n", test->name);
    fflush(stdout);
}

/* "10.0", "9.0-rc3", "8.0.1", "9.0 (Staging)" -> WINETEST_WINE_VERSION(major, minor);
 * 0 for anything that does not start with "major.minor". */
static unsigned int parse_wine_version(const char *text)
{
    unsigned long major, minor;
    char *end;

    if (!text || *text < '0' || *text > '9') return 0;
    major = strtoul(text, &end, 10);
    if (*end != '.' || end[1] < '0' || end[1] > '9') return 0;
    minor = strtoul(end + 1, &end, 10);
    if (major > 0xffff || minor > 0xffff) return 0;
    return WINETEST_WINE_VERSION(major, minor);
}

static unsigned int wine_version(void)
{
    const char *(CDECL *get_version)(void);
    const char *text;

    if ((text = getenv("WINETEST_WINE_VERSION")) && *text) return parse_wine_version(text);
    get_version = (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version");
    return get_version ? parse_wine_version(get_version()) : 0;
}

/* "dir/sock.c" -> "sock" */
static void test_name_of(const char *arg, char *name, size_t size)
{
    size_t len;

    snprintf(name, size, "%s", base_name(arg));
    len = strlen(name);
    if (len > 2 && !strcmp(name + len - 2, ".c")) name[len - 2] = 0;
}

int main(int argc, char **argv)
{
    const struct winetest_test *test, *found = NULL;
    const char *platform;
    char name[256], elapsed[32];
    LONG failures;
    int count = 0;

    QueryPerformanceFrequency(&counter_freq);
    QueryPerformanceCounter(&start_counter);
    InitializeCriticalSection(&print_lock);
    tls_slot = FlsAlloc(free_thread_state);
    main_argc = argc;
    main_argv = argv;

    if ((platform = getenv("WINETEST_PLATFORM")) && *platform)
        winetest_platform = platform;
    else if (GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version"))
        winetest_platform = "wine";
    else
        winetest_platform = "windows";
    winetest_platform_is_wine = !strcmp(winetest_platform, "wine");
    if (winetest_platform_is_wine) winetest_wine_version = wine_version();
    winetest_debug = env_int("WINETEST_DEBUG", 1);
    winetest_interactive = env_int("WINETEST_INTERACTIVE", 0);
    winetest_report_success = env_int("WINETEST_REPORT_SUCCESS", 0);
    winetest_time = env_int("WINETEST_TIME", 0);

    if (!winetest_interactive) SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);

    for (test = winetest_testlist; test->name; test++) count++;

    if (argc < 2)
    {
        if (count != 1)
        {
            printf("Usage: %s test_name\n\n", base_name(argv[0]));
            list_tests();
            return 1;
        }
        found = winetest_testlist;
    }
    else if (!strcmp(argv[1], "--list"))
    {
        list_tests();
        return 0;
    }
    else
    {
        test_name_of(argv[1], name, sizeof(name));
        for (test = winetest_testlist; test->name; test++)
            if (!strcmp(test->name, name)) found = test;
        if (!found)
        {
            fprintf(stderr, "Fatal: test '%s' does not exist.\n", name);
            return 1;
        }
    }

    current_test = found->name;
    SetUnhandledExceptionFilter(exception_filter);
    found->func();

    if (winetest_debug > 0)
    {
        LONG total = n_passed + n_failed + n_todo_ok + n_todo_bad;
        failures = n_failed + n_todo_bad;
        format_elapsed(elapsed, sizeof(elapsed));
        EnterCriticalSection(&print_lock);
        printf("%04lx:%s:%s %ld tests executed (%ld marked as todo, %d as flaky, %ld %s), %ld skipped.\n",
               GetCurrentProcessId(), current_test, elapsed, total, n_todo_ok, 0,
               failures, failures == 1 ? "failure" : "failures", n_skipped);
        fflush(stdout);
        LeaveCriticalSection(&print_lock);
    }
    failures = n_failed + n_todo_bad;
    return failures > 255 ? 255 : (int)failures;
}
