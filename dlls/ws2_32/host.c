/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <windows.h>
#include <stdarg.h>
#include <stdlib.h>
#include <wchar.h>

#include "forward.h"
#include "host.h"
#include "log.h"

struct host_api host;
HMODULE ws2send_module;

static INIT_ONCE host_once = INIT_ONCE_STATIC_INIT;
static HMODULE host_module;

/* Wine keeps its PE builtins for each architecture in a directory of this
 * name below each of its DLL directories (Wine 7 and later; Wine 6 kept
 * them in the DLL directory itself). */
#ifdef _WIN64
#define PE_ARCH_DIR L"x86_64-windows"
#define PE_MACHINE IMAGE_FILE_MACHINE_AMD64
#define ARCH_NAME "x86_64"
#else
#define PE_ARCH_DIR L"i386-windows"
#define PE_MACHINE IMAGE_FILE_MACHINE_I386
#define ARCH_NAME "i686"
#endif

#define HOST_PATH_MAX 1024

/* Every ws2send build carries this resource (version.rc); Wine's and
 * Microsoft's ws2_32.dll do not. */
static BOOL is_ws2send(HMODULE module)
{
    return module == ws2send_module || FindResourceW(module, L"WS2SEND", (LPCWSTR)RT_RCDATA);
}

/* The search for the host: each candidate path and why it was passed over,
 * for the one error line if none is usable. */
struct host_search
{
    WCHAR path[HOST_PATH_MAX];
    WCHAR tried[2048];
    BOOL truncated;
};

/* Appends the strings (up to a NULL) to buf of size characters; FALSE,
 * with buf unchanged, if they do not fit. */
static BOOL append(WCHAR *buf, size_t size, ...)
{
    size_t len = wcslen(buf), start = len;
    const WCHAR *part;
    va_list args;

    va_start(args, size);
    while ((part = va_arg(args, const WCHAR *)))
    {
        size_t part_len = wcslen(part);

        if (len + part_len >= size)
        {
            buf[start] = 0;
            va_end(args);
            return FALSE;
        }
        memcpy(buf + len, part, (part_len + 1) * sizeof(WCHAR));
        len += part_len;
    }
    va_end(args);
    return TRUE;
}

static void note_tried(struct host_search *search, const WCHAR *path, const WCHAR *reason)
{
    const WCHAR *separator = search->tried[0] ? L"; " : L"";

    if (search->truncated) return;
    if (!append(search->tried, ARRAYSIZE(search->tried) - 4, separator, path, L" (", reason, L")", NULL))
    {
        wcscat(search->tried, L"...");
        search->truncated = TRUE;
    }
}

/* NULL if the system directory's ws2_32.dll may be the host: it exists and
 * is not a copy of ws2send.  Looked at as data, so that a copy of ws2send
 * never runs a second time in this process. */
static const WCHAR *check_system_copy(const WCHAR *path)
{
    HMODULE data;
    BOOL ws2send;

    if (GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES) return L"missing";
    if (!(data = LoadLibraryExW(path, NULL, LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE)))
        return L"unreadable";
    ws2send = is_ws2send(data);
    FreeLibrary(data);
    return ws2send ? L"ws2send itself" : NULL;
}

/* NULL if path is a Wine builtin PE file for this process' architecture.
 * Wine marks its builtins with "Wine builtin DLL" right after the DOS
 * header (its loader tells builtins from native DLLs by it); ws2send and
 * Microsoft's DLLs carry no such mark. */
static const WCHAR *check_wine_builtin(const WCHAR *path)
{
    static const char builtin_mark[] = "Wine builtin DLL";
    struct
    {
        IMAGE_DOS_HEADER dos;
        char mark[sizeof(builtin_mark)];
    } head;
    IMAGE_FILE_HEADER file_header;
    DWORD signature, got;
    const WCHAR *reason = NULL;
    HANDLE file;

    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) return L"missing";

    if (!ReadFile(file, &head, sizeof(head), &got, NULL) || got != sizeof(head)
        || head.dos.e_magic != IMAGE_DOS_SIGNATURE)
        reason = L"not a PE file";
    else if (memcmp(head.mark, builtin_mark, sizeof(builtin_mark)))
        reason = L"not a Wine builtin";
    else if (SetFilePointer(file, head.dos.e_lfanew, NULL, FILE_BEGIN) == INVALID_SET_FILE_POINTER
             || !ReadFile(file, &signature, sizeof(signature), &got, NULL) || got != sizeof(signature)
             || signature != IMAGE_NT_SIGNATURE
             || !ReadFile(file, &file_header, sizeof(file_header), &got, NULL) || got != sizeof(file_header))
        reason = L"not a PE file";
    else if (file_header.Machine != PE_MACHINE)
        reason = L"another architecture";
    CloseHandle(file);
    return reason;
}

typedef const WCHAR *(*check_candidate)(const WCHAR *path);

/* Forms dir\sub\ws2_32.dll (sub may be empty) and checks it; TRUE if it is
 * usable, search->path then holds it. */
static BOOL try_candidate(struct host_search *search, const WCHAR *dir, const WCHAR *sub, check_candidate check)
{
    const WCHAR *reason;

    search->path[0] = 0;
    if (!append(search->path, ARRAYSIZE(search->path), dir,
                dir[0] && dir[wcslen(dir) - 1] != '\\' ? L"\\" : L"", sub, sub[0] ? L"\\" : L"",
                L"ws2_32.dll", NULL))
    {
        note_tried(search, dir, L"path too long");
        return FALSE;
    }
    if (!(reason = check(search->path))) return TRUE;
    note_tried(search, search->path, reason);
    return FALSE;
}

/* One of the directories Wine's loader puts into every process' environment
 * (WINEDLLDIR0, WINEBUILDDIR, ...), as a Win32 path; FALSE if unset.  Wine
 * gives them as NT paths: "\??\Z:\usr\lib\wine", or "\??\unix\..." when no
 * drive maps the directory. */
static BOOL wine_dir_variable(const WCHAR *name, WCHAR *dir, DWORD size)
{
    DWORD len = GetEnvironmentVariableW(name, dir, size);

    if (!len || len >= size) return FALSE;
    if (!wcsncmp(dir, L"\\??\\", 4))
    {
        if (dir[4] && dir[5] == ':')
            memmove(dir, dir + 4, (len - 3) * sizeof(WCHAR));   /* \??\Z:\x -> Z:\x */
        else
            dir[1] = '\\';                                      /* \??\unix -> \\?\unix */
    }
    return TRUE;
}

/* Removes the last count components of dir; FALSE if it has too few. */
static BOOL strip_components(WCHAR *dir, unsigned int count)
{
    while (count--)
    {
        WCHAR *slash;

        while (*dir && dir[wcslen(dir) - 1] == '\\') dir[wcslen(dir) - 1] = 0;
        if (!(slash = wcsrchr(dir, '\\')) || slash == dir) return FALSE;
        *slash = 0;
    }
    return TRUE;
}

/* Finds the host ws2_32.dll for this process' architecture.  Tried in order:
 *
 *  1. the system directory's ws2_32.dll, unless it is ws2send: ws2send beside
 *     a program (Wine's loader then gives its builtin for that path), and
 *     Windows;
 *  2. Wine run from its build tree: WINEBUILDDIR\dlls\ws2_32\<arch>-windows\
 *     and WINEBUILDDIR\dlls\ws2_32\;
 *  3. Wine's DLL directories, in the order its own loader searches them for
 *     builtins: WINEDLLDIR0, WINEDLLDIR1, ... (its own directory, then
 *     WINEDLLPATH), each with <arch>-windows\ (Wine 7 and later, Proton) and
 *     then without (Wine 6, WINEDLLPATH entries);
 *  4. if a program removed those variables from its environment: the library
 *     directories beside Wine's data directory WINEDATADIR (<prefix>\share\wine):
 *     <prefix>\lib\wine, lib64\wine, lib32\wine (upstream installs, Proton's
 *     files\lib\wine and files\lib64\wine), lib\x86_64-linux-gnu\wine and
 *     lib\i386-linux-gnu\wine (Debian and Ubuntu), each with <arch>-windows\.
 *
 * Every candidate from 2-4 must be a Wine builtin for this architecture, so
 * the search never returns ws2send (no recursion, no second copy) nor a DLL
 * of the other architecture.  Wine sets these variables in every process it
 * starts, after the parent's environment, so a program's child processes
 * have them too. */
static BOOL find_host_path(struct host_search *search)
{
    static const WCHAR *const data_relative[] =
    {
        L"lib\\wine", L"lib64\\wine", L"lib32\\wine",
        L"lib\\x86_64-linux-gnu\\wine", L"lib\\i386-linux-gnu\\wine",
    };
    WCHAR dir[HOST_PATH_MAX], name[32], number[12];
    BOOL have_dll_dir = FALSE;
    UINT len;

    len = GetSystemDirectoryW(dir, ARRAYSIZE(dir));
    if (len && len < ARRAYSIZE(dir) && try_candidate(search, dir, L"", check_system_copy)) return TRUE;

    if (wine_dir_variable(L"WINEBUILDDIR", dir, ARRAYSIZE(dir)))
    {
        if (try_candidate(search, dir, L"dlls\\ws2_32\\" PE_ARCH_DIR, check_wine_builtin)) return TRUE;
        if (try_candidate(search, dir, L"dlls\\ws2_32", check_wine_builtin)) return TRUE;
    }

    for (unsigned int i = 0;; i++)
    {
        name[0] = 0;
        _ultow(i, number, 10);
        append(name, ARRAYSIZE(name), L"WINEDLLDIR", number, NULL);
        if (!wine_dir_variable(name, dir, ARRAYSIZE(dir))) break;
        have_dll_dir = TRUE;
        if (try_candidate(search, dir, PE_ARCH_DIR, check_wine_builtin)) return TRUE;
        if (try_candidate(search, dir, L"", check_wine_builtin)) return TRUE;
    }
    if (!have_dll_dir) note_tried(search, L"WINEDLLDIR0", L"not set");

    if (wine_dir_variable(L"WINEDATADIR", dir, ARRAYSIZE(dir)) && strip_components(dir, 2))
    {
        size_t prefix_len = wcslen(dir);

        for (unsigned int i = 0; i < ARRAYSIZE(data_relative); i++)
        {
            dir[prefix_len] = 0;
            if (append(dir, ARRAYSIZE(dir), L"\\", data_relative[i], NULL)
                && try_candidate(search, dir, PE_ARCH_DIR, check_wine_builtin))
                return TRUE;
        }
    }
    else note_tried(search, L"WINEDATADIR", L"not set");
    return FALSE;
}

static HMODULE load_host(void)
{
    struct host_search search = {0};
    HMODULE module;

    if (!find_host_path(&search))
    {
        ERR("cannot find Wine's builtin ws2_32.dll for " ARCH_NAME "; tried: %ls; every forwarded "
            "call will fail", search.tried);
        return NULL;
    }
    if (!(module = LoadLibraryW(search.path)))
    {
        ERR("cannot load the host %ls (error %lu); every forwarded call will fail", search.path, GetLastError());
        return NULL;
    }
    if (is_ws2send(module))
    {
        /* The loader handed back a module other than the file checked (one
         * of the same name already loaded): never forward to ourselves. */
        ERR("loading %ls gave ws2send itself, not Wine's builtin; every forwarded call will fail",
            search.path);
        if (module != ws2send_module) FreeLibrary(module);
        return NULL;
    }
    INFO("host is %ls", search.path);
    return module;
}

static BOOL CALLBACK bind_once(INIT_ONCE *once, void *param, void **context)
{
    host_module = load_host();
    forward_bind(host_module);
    if (host_module)
    {
        host.WSASend = (void *)GetProcAddress(host_module, "WSASend");
        host.WSASendTo = (void *)GetProcAddress(host_module, "WSASendTo");
        host.WSASendMsg = (void *)GetProcAddress(host_module, "WSASendMsg");
        host.WSAIoctl = (void *)GetProcAddress(host_module, "WSAIoctl");
    }
    return TRUE;
}

void host_bind(void)
{
    DWORD error = GetLastError();

    InitOnceExecuteOnce(&host_once, bind_once, NULL, NULL);
    SetLastError(error);
}

BOOL host_available(void)
{
    host_bind();
    return host_module != NULL;
}

void *host_proc(const char *name)
{
    host_bind();
    return host_module ? (void *)GetProcAddress(host_module, name) : NULL;
}
