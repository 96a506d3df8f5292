/* The wire form of a membership table (DKV.GOSSIP): one line per member,
 * "<id-hex> <host> <port> <gen> <hb> <state> <progress>\n". Parsing is
 * strict (every field checked, bounds included) because the table comes
 * from the network; what cluster.c does with a table is there.
 *
 * Pure module: no I/O, fuzzed by fuzz/fuzz_gossip.c. */
#ifndef DKV_GOSSIP_H
#define DKV_GOSSIP_H

#include <stddef.h>
#include <stdint.h>

#define GOSSIP_HOST_MAX 64      /* host bytes, NUL included */
#define GOSSIP_MAX_STATE 3      /* enum member_state's last value */
#define GOSSIP_LINE_MAX 160

struct gossip_entry {
    uint64_t id;
    char host[GOSSIP_HOST_MAX];
    int port;
    uint64_t gen;
    uint64_t hb;
    int state;
    int progress;
};

/* 1 when host is an IPv4 or IPv6 address literal. A member's address
 * must be one: a name would make the node resolve it, blocking its event
 * loop on DNS, at every reconnect (found by fuzz/fuzz_peer.c). */
int gossip_host_ok(const char *host);
/* Parses one line (without its '\n'); the host must pass gossip_host_ok.
 * DKV_OK or DKV_ERR. */
int gossip_parse_line(const char *p, size_t len, struct gossip_entry *e);
/* Formats e as one line with its '\n' into out (GOSSIP_LINE_MAX bytes);
 * returns its length. */
int gossip_format_line(const struct gossip_entry *e, char *out);

#endif
