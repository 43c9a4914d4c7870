/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Chooses the provider for this process once and counts what each served.
 */
#include <string.h>

#include "log.h"
#include "memory_probe.h"
#include "provider.h"
#include "send_gather.h"
#include "send_queue.h"
#include "socket_cache.h"

static const struct send_provider *default_provider;
static LONG calls[WS2SEND_ENTRY_COUNT][WS2SEND_PROVIDER_COUNT];
static LONG extension_lookups;

static BOOL CALLBACK choose_provider(INIT_ONCE *once, void *param, void **context)
{
    if (afd_available())
        default_provider = &provider_wine_afd;
    else
        default_provider = &provider_host_api;
    INFO("send provider: %s", default_provider->name);
    return TRUE;
}

static const struct send_provider *get_default_provider(void)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;

    InitOnceExecuteOnce(&once, choose_provider, NULL, NULL);
    return default_provider;
}

static void warn_control_dropped(const struct send_request *request)
{
    static LONG warned;

    if (!InterlockedExchange(&warned, 1))
        WARN("socket %#Ix: WSASendMsg control data cannot go through %s (overlapped, or no host "
             "route); sending without it, as Wine's builtin does. Further drops are not logged.",
             (ULONG_PTR)request->socket, default_provider->name);
}

/* Wine's driver has no field for control data; a UDP_SEND_MSG_SIZE batch
 * sent through it would leave as one large datagram.  Rather than change
 * what goes on the wire, the send fails as one Windows fails for want of
 * buffer space (a datagram a program must be ready to see dropped). */
static int refuse_segments(const struct send_request *request, int *error)
{
    static LONG warned;

    if (!InterlockedExchange(&warned, 1))
        WARN("socket %#Ix: a UDP_SEND_MSG_SIZE batch cannot take the host route (overlapped with "
             "a completion to post, the host buffer full, or no host route); failing it with "
             "WSAENOBUFS rather than sending it as one datagram. Further ones are not logged.",
             (ULONG_PTR)request->socket);
    *error = WSAENOBUFS;
    return SOCKET_ERROR;
}

/* A send through Wine's driver.  A stream send there can come back short
 * and have its rest held by ws2send, so stream sends take the socket's send
 * lock (the one host-fast takes) and go behind what is held. */
static int wine_send(const struct send_request *request, int *error)
{
    SRWLOCK *lock = NULL;
    UINT64 cookie = 0;
    BOOL listening = FALSE;
    int fd, type, ret;

    if ((fd = request->host_fd) < 0) fd = fast_get_fd(request->socket);
    if (fast_fd_type(fd, &type) && type == SOCK_STREAM)
    {
        /* A listening socket can never send, and Wine's driver would wait
         * for it forever: Windows answers not connected (sdk-api send). */
        listening = fast_fd_listening(fd);
        if (!listening && (cookie = fast_fd_cookie(fd)) && (lock = socket_cache_lock(request->socket)))
            AcquireSRWLockExclusive(lock);
    }
    if (fd != request->host_fd) fast_put_fd(fd);
    if (listening)
    {
        *error = WSAENOTCONN;
        return SOCKET_ERROR;
    }

    if (cookie && send_queue_gate(request, cookie, error))
        ret = SOCKET_ERROR;
    else
        ret = provider_wine_afd.send(request, error);
    /* Noted before the lock goes: a stream send of another thread waiting
     * for it must not write into the middle of this one. */
    fast_after_wine_send(request, ret, *error, lock != NULL);
    if (lock) ReleaseSRWLockExclusive(lock);
    return ret;
}

/* Wine's driver and the host's ws2_32 must never see a bad pointer, and a
 * stream send must fail before its first byte leaves: both are checked here.
 * Only a datagram the host takes skips the probe (fast_try_send). */
BOOL send_request_readable(const struct send_request *request)
{
    for (DWORD i = 0; i < request->count; i++)
    {
        const WSABUF *buffer = &request->buffers[i];

        if (!memory_readable(buffer->buf, buffer->len)) return FALSE;
    }
    return TRUE;
}

size_t send_request_bytes(const struct send_request *request)
{
    size_t total = 0;

    for (DWORD i = 0; i < request->count; i++) total += request->buffers[i].len;
    return total;
}

static int send_with(const struct send_provider *provider, const struct send_request *request, int *error)
{
    int ret;

    if (provider == &provider_wine_afd && fast_try_send(request, &ret, error))
    {
        InterlockedIncrement(&calls[request->entry][WS2SEND_PROVIDER_HOST_FAST]);
        return ret;
    }
    if (!send_request_readable(request))
    {
        *error = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (provider == &provider_wine_afd)
    {
        if (request->control_segments) return refuse_segments(request, error);
        fast_before_wine_send(request);
        if (request->control) warn_control_dropped(request);
        InterlockedIncrement(&calls[request->entry][provider->id]);
        return wine_send(request, error);
    }
    InterlockedIncrement(&calls[request->entry][provider->id]);
    return provider->send(request, error);
}

/* More buffers than one host sendmsg takes: the same bytes in fewer. */
static int send_gathered(const struct send_provider *provider, const struct send_request *request, int *error)
{
    struct send_request fitted = *request;
    struct send_gather gather;
    int ret;

    /* Gathering copies from the buffers. */
    if (!send_request_readable(request))
    {
        *error = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if ((*error = gather_fit(request->buffers, request->count, &gather))) return SOCKET_ERROR;
    fitted.buffers = gather.buffers;
    fitted.count = gather.count;
    ret = send_with(provider, &fitted, error);
    gather_done(&gather, request, ret && *error == WSA_IO_PENDING);
    return ret;
}

int provider_send(const struct send_request *request, int *error)
{
    const struct send_provider *provider = get_default_provider();

    if (TRACE_ON())
        TRACE("socket %#Ix, %lu buffers, flags %#lx, overlapped %p, completion %p, control %lu bytes",
              (ULONG_PTR)request->socket, request->count, request->flags,
              request->overlapped, request->completion, request->control_len);

    /* Windows takes any number of buffers; only Linux' sendmsg limits them. */
    if (provider == &provider_wine_afd && gather_needed(request))
        return send_gathered(provider, request, error);
    return send_with(provider, request, error);
}

void provider_count_extension_lookup(void)
{
    InterlockedIncrement(&extension_lookups);
}

static void copy_counts(struct ws2send_stats *stats)
{
    memset(stats, 0, sizeof(*stats));
    stats->size = sizeof(*stats);
    stats->version = 1;
    for (unsigned int e = 0; e < WS2SEND_ENTRY_COUNT; e++)
        for (unsigned int p = 0; p < WS2SEND_PROVIDER_COUNT; p++)
            stats->calls[e][p] = calls[e][p];
}

void provider_get_stats(struct ws2send_stats *stats)
{
    copy_counts(stats);
    stats->extension_lookups = extension_lookups;
    stats->default_provider = get_default_provider()->id;
}

void provider_log_summary(void)
{
    struct ws2send_stats stats;
    unsigned int per_entry[WS2SEND_ENTRY_COUNT], total = 0;

    if (log_level < LOG_INFO) return;
    copy_counts(&stats);
    for (unsigned int e = 0; e < WS2SEND_ENTRY_COUNT; e++)
        total += per_entry[e] = ws2send_stats_entry_calls(&stats, e);
    if (!total) return;
    INFO("sends: %u on the host, %u through Wine's driver, %u through the host's ws2_32 "
         "(send %u, sendto %u, WSASend %u, WSASendTo %u, WSASendMsg %u)",
         ws2send_stats_provider_calls(&stats, WS2SEND_PROVIDER_HOST_FAST),
         ws2send_stats_provider_calls(&stats, WS2SEND_PROVIDER_WINE_AFD),
         ws2send_stats_provider_calls(&stats, WS2SEND_PROVIDER_HOST_API),
         per_entry[WS2SEND_ENTRY_SEND], per_entry[WS2SEND_ENTRY_SENDTO], per_entry[WS2SEND_ENTRY_WSASEND],
         per_entry[WS2SEND_ENTRY_WSASENDTO], per_entry[WS2SEND_ENTRY_WSASENDMSG]);
}

int provider_socket_type(SOCKET s, int *type)
{
    int fd = fast_get_fd(s), len = sizeof(*type);
    BOOL known = fast_fd_type(fd, type);

    /* Under Wine the host descriptor answers without a server round trip;
     * elsewhere the host's getsockopt knows every socket. */
    fast_put_fd(fd);
    if (known) return 0;
    if (getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)type, &len))
        return WSAGetLastError();
    return 0;
}
