/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>

#include "wine.h"

const char *wine_version(void)
{
    static const char *(CDECL *get_version)(void);
    static BOOL looked_up;

    if (!looked_up)
    {
        get_version = (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version");
        looked_up = TRUE;
    }
    return get_version ? get_version() : NULL;
}

unsigned int wine_major_version(void)
{
    const char *version = wine_version();

    return version ? strtoul(version, NULL, 10) : 0;
}
