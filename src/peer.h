/* Outbound links to other nodes: one persistent hiredis async connection
 * per peer address on the server's libevent loop (hiredis's libevent
 * adapter), pipelined, reconnecting with exponential backoff. Inbound peer
 * traffic arrives as ordinary client connections that authenticated with
 * DKV.PEER (see cluster.c); the commands it may send are documented in
 * cluster.c and coord.c.
 *
 * A call is `peer_send(peer, argv, fn, priv)`: fn runs exactly once, with
 * the reply, or with NULL when the link failed or was never up. The
 * caller owns its own deadline (coord.c's request-timeout); a link only
 * refuses new calls when it is down or has PEER_MAX_PENDING unanswered
 * ones (a stopped peer must not grow our memory without bound). */
#ifndef DKV_PEER_H
#define DKV_PEER_H

#include <stddef.h>
#include <stdint.h>

struct redisReply;
struct peer;

#define PEER_MAX_PENDING 20000

typedef void (*peer_reply_fn)(void *priv, struct redisReply *reply);

/* The link to host:port, created (and connecting) on first use. */
struct peer *peer_get(const char *host, int port);
/* Another link to p's address, `lane` > 0 (created on first use): the
 * receiver answers each connection in order, so traffic that waits on
 * other nodes (forwarded writes) must not share a link with traffic that
 * those nodes wait on (DKV.GETV/PUTV), or two nodes could wait on each
 * other until request-timeout. */
struct peer *peer_lane(const struct peer *p, int lane);
/* Sends one command; DKV_OK, or DKV_ERR when the link cannot take it now
 * (fn is then NOT called). */
int peer_send(struct peer *p, int argc, const char **argv,
              const size_t *argvlen, peer_reply_fn fn, void *priv);
/* 1 when the link is connected (perhaps with a backlog). */
int peer_connected(const struct peer *p);
/* 1 when the link is connected and keeping up. */
int peer_ready(const struct peer *p);
/* Unanswered calls, and when the link last received a reply, in
 * monotonic ms (0 = never). */
long peer_pending(const struct peer *p);
int64_t peer_last_reply_ms(const struct peer *p);
const char *peer_addr(const struct peer *p);
/* Writes what every link has buffered (before-sleep hook). */
void peer_flush_all(void);
/* Reconnects links that are down and due (server cron). */
void peer_cron(void);
/* Closes every link (shutdown); pending calls get NULL. */
void peer_close_all(void);

#endif
