/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ws2send's private WSAIoctl code for tests and diagnostics: which provider
 * served how many sends.  Any socket handle may be passed; Microsoft's and
 * Wine's ws2_32 reject the code, which tells a test that ws2send is not the
 * DLL it talks to.
 */
#ifndef WS2SEND_STATS_H
#define WS2SEND_STATS_H

/* _WSAIOR(IOC_VENDOR, 0x5753): vendor-defined, "WS" */
#define SIO_WS2SEND_GET_STATS 0x58005753

enum ws2send_provider_id
{
    WS2SEND_PROVIDER_HOST_FAST,
    WS2SEND_PROVIDER_WINE_AFD,
    WS2SEND_PROVIDER_HOST_API,
    WS2SEND_PROVIDER_COUNT
};

enum ws2send_entry_id
{
    WS2SEND_ENTRY_SEND,
    WS2SEND_ENTRY_SENDTO,
    WS2SEND_ENTRY_WSASEND,
    WS2SEND_ENTRY_WSASENDTO,
    WS2SEND_ENTRY_WSASENDMSG,
    WS2SEND_ENTRY_COUNT
};

struct ws2send_stats
{
    unsigned int size;          /* sizeof(struct ws2send_stats) */
    unsigned int version;       /* 1 */
    /* Calls that reached a provider, by entry point and provider.  Calls
     * rejected by argument checks before that are not counted. */
    unsigned int calls[WS2SEND_ENTRY_COUNT][WS2SEND_PROVIDER_COUNT];
    unsigned int extension_lookups;     /* WSASendMsg pointers handed out */
    unsigned int default_provider;      /* enum ws2send_provider_id */
};

/* Calls of one entry point, over all providers. */
static inline unsigned int ws2send_stats_entry_calls(const struct ws2send_stats *stats, enum ws2send_entry_id entry)
{
    unsigned int total = 0;

    for (unsigned int p = 0; p < WS2SEND_PROVIDER_COUNT; p++) total += stats->calls[entry][p];
    return total;
}

/* Calls one provider served, over all entry points. */
static inline unsigned int ws2send_stats_provider_calls(const struct ws2send_stats *stats,
                                                        enum ws2send_provider_id provider)
{
    unsigned int total = 0;

    for (unsigned int e = 0; e < WS2SEND_ENTRY_COUNT; e++) total += stats->calls[e][provider];
    return total;
}

#endif /* WS2SEND_STATS_H */
