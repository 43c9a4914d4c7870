/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <windows.h>

#include "api.h"
#include "host.h"
#include "provider.h"
#include "send_queue.h"
#include "log.h"
#include "version.h"

/* Findable with strings(1) or a hex viewer in any copy of the DLL. */
const char ws2send_version_string[] = "ws2send " WS2SEND_VERSION;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    switch (reason)
    {
    case DLL_PROCESS_ATTACH:
        /* Loader lock held: nothing here may load a DLL. The host binds on
         * the first call that needs it. */
        ws2send_module = instance;
        log_init();
        memory_probe_attach();
        INFO("%s loaded", ws2send_version_string);
        break;
    case DLL_PROCESS_DETACH:
        /* Unloaded by FreeLibrary: nothing of ours may stay reachable (the
         * module is pinned while ws2send holds bytes, so no FreeLibrary
         * gets here with any).  The process is ending: what the peers can
         * still take goes out, as Windows' kernel would send it. */
        if (!reserved) memory_probe_detach();
        else
        {
            log_process_exiting();
            send_queue_flush_at_exit();
            provider_log_stats();
        }
        break;
    case DLL_THREAD_DETACH:
        afd_thread_detach();
        break;
    }
    return TRUE;
}
