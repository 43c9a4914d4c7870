/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <windows.h>
#include <wchar.h>

#include "forward.h"
#include "host.h"
#include "log.h"

struct host_api host;
HMODULE ws2send_module;

static INIT_ONCE host_once = INIT_ONCE_STATIC_INIT;
static HMODULE host_module;

/* Every ws2send build carries this resource (version.rc); Wine's and
 * Microsoft's ws2_32.dll do not. */
static BOOL is_ws2send(HMODULE module)
{
    return module == ws2send_module || FindResourceW(module, L"WS2SEND", (LPCWSTR)RT_RCDATA);
}

static HMODULE load_host(void)
{
    WCHAR path[MAX_PATH];
    HMODULE module;
    UINT len;

    len = GetSystemDirectoryW(path, MAX_PATH);
    if (!len || len + wcslen(L"\\ws2_32.dll") >= MAX_PATH)
    {
        ERR("cannot find the system directory (error %lu)", GetLastError());
        return NULL;
    }
    wcscpy(path + len, L"\\ws2_32.dll");

    if (!(module = LoadLibraryW(path)))
    {
        ERR("cannot load the host %ls (error %lu); every forwarded call will fail",
            path, GetLastError());
        return NULL;
    }
    if (is_ws2send(module))
    {
        /* ws2send was copied into the system directory: there is no builtin
         * to forward to.  Refuse rather than recurse into ourselves. */
        ERR("%ls is a copy of ws2send, not the system's ws2_32.dll. Keep ws2send beside the "
            "program (or in a prefix's system directory only with Wine's builtin reachable); "
            "every forwarded call will fail", path);
        if (module != ws2send_module) FreeLibrary(module);
        return NULL;
    }
    INFO("host is %ls", path);
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
