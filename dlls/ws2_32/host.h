/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The host ws2_32.dll: Wine's builtin under Wine, Microsoft's on Windows.
 * Loaded once, by full path from the system directory, on the first call
 * that needs it (never from DllMain).
 */
#ifndef WS2SEND_HOST_H
#define WS2SEND_HOST_H

#include <winsock2.h>
#include <mswsock.h>

/* The host's own versions of the functions ws2send implements, for the
 * host-api provider and for passing on what ws2send does not handle. */
struct host_api
{
    int (WINAPI *WSASend)(SOCKET, WSABUF *, DWORD, DWORD *, DWORD, WSAOVERLAPPED *,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    int (WINAPI *WSASendTo)(SOCKET, WSABUF *, DWORD, DWORD *, DWORD, const struct sockaddr *, int,
                            WSAOVERLAPPED *, LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    int (WINAPI *WSASendMsg)(SOCKET, WSAMSG *, DWORD, DWORD *, WSAOVERLAPPED *,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE);
    int (WINAPI *WSAIoctl)(SOCKET, DWORD, void *, DWORD, void *, DWORD, DWORD *, WSAOVERLAPPED *,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE);
};

extern struct host_api host;
extern HMODULE ws2send_module;

/* Binds the host once; every thread that calls it returns after binding. */
void host_bind(void);
/* TRUE once bound to a usable host ws2_32.dll. */
BOOL host_available(void);
/* One of the host's exports, or NULL. */
void *host_proc(const char *name);

#endif /* WS2SEND_HOST_H */
