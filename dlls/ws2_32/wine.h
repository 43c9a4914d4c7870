/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What ws2send knows about the Wine it runs on, if any.
 */
#ifndef WS2SEND_WINE_H
#define WS2SEND_WINE_H

#include <windows.h>

/* "8.0", "9.0-rc3", ...; NULL when not running on Wine. */
const char *wine_version(void);
/* Major version number, 0 when not running on Wine. */
unsigned int wine_major_version(void);

#endif /* WS2SEND_WINE_H */
