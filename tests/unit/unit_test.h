/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A minimal check harness for the native unit tests: every failed check is
 * printed with its location and values, and main() returns the failure
 * count (capped at 255) so meson test sees it.
 */
#ifndef WS2SEND_UNIT_TEST_H
#define WS2SEND_UNIT_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned int unit_checks, unit_failures;
static const char *unit_context = "";

#define CHECK(cond) \
    unit_check(!!(cond), __FILE__, __LINE__, "%s", #cond)

/* Integers of any type up to long long, printed in both bases. */
#define CHECK_EQ(got, expect) \
    do { \
        long long got_ = (long long)(got), expect_ = (long long)(expect); \
        unit_check(got_ == expect_, __FILE__, __LINE__, "%s == %s: got %lld (%#llx), expected %lld (%#llx)", \
                   #got, #expect, got_, (unsigned long long)got_, expect_, (unsigned long long)expect_); \
    } while (0)

#define CHECK_MEM(got, expect, len) \
    unit_check(!memcmp((got), (expect), (len)), __FILE__, __LINE__, "%s matches %s (%zu bytes)", \
               #got, #expect, (size_t)(len))

static void unit_check(int ok, const char *file, int line, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static void unit_check(int ok, const char *file, int line, const char *format, ...)
{
    va_list args;

    unit_checks++;
    if (ok) return;
    unit_failures++;
    fprintf(stderr, "%s:%d: %s%sfailed: ", file, line, unit_context, *unit_context ? ": " : "");
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
}

static inline int unit_done(const char *name)
{
    printf("%s: %u checks, %u failures\n", name, unit_checks, unit_failures);
    return unit_failures > 255 ? 255 : (int)unit_failures;
}

/* A heap copy of exactly len bytes, so AddressSanitizer reports any read
 * past the end (malloc(0) gives a block with no readable byte). */
static inline void *exact_copy(const void *data, size_t len)
{
    void *copy = malloc(len);

    if (!copy && len) abort();
    if (len) memcpy(copy, data, len);
    return copy;
}

#endif /* WS2SEND_UNIT_TEST_H */
