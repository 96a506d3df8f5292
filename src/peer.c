/* Outbound peer links over hiredis async + libevent (see peer.h).
 *
 * DESIGN
 * ------
 * Each link is one redisAsyncContext attached to server.base. hiredis
 * buffers commands and writes them when the socket is writable, so every
 * call of one loop iteration leaves in one write: the link is pipelined
 * for free. The first command on every connection is DKV.PEER with the
 * cluster secret; the inbound side refuses internal commands until then.
 *
 * hiredis owns the context's lifetime: after a failed connect or a
 * disconnect it calls our callback and then frees the context, and before
 * that it answers every pending callback with NULL. So a link only forgets
 * its context in those callbacks, and calls are counted down in exactly
 * one place (call_done).
 *
 * Left to the adapter, hiredis writes a link's buffer only when the loop
 * next reports the socket writable: one extra loop iteration and two
 * epoll_ctl calls per batch. Times kept here are monotonic (a wall-clock
 * jump must not make a member look dead or alive). peer_flush_all() writes every link's buffer
 * from the before-sleep hook instead, as net.c does for client replies. */
#include <stdlib.h>
#include <string.h>
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <hiredis/adapters/libevent.h>
#include <hiredis/sds.h>

#include "peer.h"
#include "server.h"
#include "log.h"
#include "util.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000

struct peer {
    char host[64];
    int port;
    int lane;                    /* 0: the main link; see peer_lane */
    char addr[80];               /* "host:port" for logs */
    redisAsyncContext *ac;       /* NULL while down */
    int connected;               /* connect callback said OK */
    int backoff_ms;
    int64_t next_attempt_ms;
    long pending;                /* calls awaiting a reply */
    int64_t last_reply_ms;
    struct peer *next;
};

struct call {
    struct peer *p;
    peer_reply_fn fn;
    void *priv;
};

static struct peer *peers;

static void peer_connect(struct peer *p);

static const char *
peer_secret(void)
{
    if (server.cluster_secret && server.cluster_secret[0])
        return server.cluster_secret;
    if (server.requirepass && server.requirepass[0])
        return server.requirepass;
    return "";
}

static void
call_done(redisAsyncContext *ac, void *r, void *privdata)
{
    struct call *call = privdata;
    struct peer *p = call->p;

    (void)ac;
    p->pending--;
    if (r) p->last_reply_ms = monotonic_us() / 1000;
    if (call->fn) call->fn(call->priv, r);
    free(call);
}

static void
hello_done(redisAsyncContext *ac, void *r, void *privdata)
{
    struct peer *p = privdata;
    redisReply *reply = r;

    if (reply && reply->type == REDIS_REPLY_ERROR) {
        /* Wrong secret: keep retrying slowly, loudly. */
        log_warn("Peer %s refused us: %s", p->addr, reply->str);
        redisAsyncDisconnect(ac);
    }
}

static void
schedule_retry(struct peer *p)
{
    p->ac = NULL;
    p->connected = 0;
    p->next_attempt_ms = monotonic_us() / 1000 + p->backoff_ms;
    p->backoff_ms = p->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
                                                       : p->backoff_ms * 2;
}

static void
connect_cb(const redisAsyncContext *ac, int status)
{
    struct peer *p = ac->data;

    if (status != REDIS_OK) {
        log_debug("Peer %s: connect failed: %s", p->addr, ac->errstr);
        schedule_retry(p);  /* hiredis frees ac after we return */
        return;
    }
    p->connected = 1;
    p->backoff_ms = BACKOFF_MIN_MS;
    log_verbose("Peer link to %s up", p->addr);
}

static void
disconnect_cb(const redisAsyncContext *ac, int status)
{
    struct peer *p = ac->data;

    (void)status;
    if (p->connected)
        log_verbose("Peer link to %s down: %s", p->addr,
                    ac->err ? ac->errstr : "closed");
    schedule_retry(p);
}

static void
peer_connect(struct peer *p)
{
    const char *secret = peer_secret();
    const char *argv[2] = { "DKV.PEER", secret };
    size_t argvlen[2] = { 8, strlen(secret) };
    redisAsyncContext *ac = redisAsyncConnect(p->host, p->port);

    if (ac == NULL) {
        schedule_retry(p);
        return;
    }
    if (ac->err) {
        log_debug("Peer %s: %s", p->addr, ac->errstr);
        redisAsyncFree(ac);
        schedule_retry(p);
        return;
    }
    ac->data = p;
    p->ac = ac;
    redisLibeventAttach(ac, server.base);
    redisAsyncSetConnectCallback(ac, connect_cb);
    redisAsyncSetDisconnectCallback(ac, disconnect_cb);
    /* Queued now, written first once connected. */
    redisAsyncCommandArgv(ac, hello_done, p, 2, argv, argvlen);
}

static struct peer *
get_lane(const char *host, int port, int lane)
{
    struct peer *p;

    for (p = peers; p; p = p->next)
        if (p->port == port && p->lane == lane && strcmp(p->host, host) == 0)
            return p;
    p = xcalloc(1, sizeof(*p));
    snprintf(p->host, sizeof(p->host), "%s", host);
    p->port = port;
    p->lane = lane;
    snprintf(p->addr, sizeof(p->addr), "%s:%d", host, port);
    p->backoff_ms = BACKOFF_MIN_MS;
    p->next = peers;
    peers = p;
    peer_connect(p);
    return p;
}

struct peer *
peer_get(const char *host, int port)
{
    return get_lane(host, port, 0);
}

struct peer *
peer_lane(const struct peer *p, int lane)
{
    return get_lane(p->host, p->port, lane);
}

int
peer_ready(const struct peer *p)
{
    return p->ac != NULL && p->connected && p->pending < PEER_MAX_PENDING;
}

int
peer_send(struct peer *p, int argc, const char **argv, const size_t *argvlen,
          peer_reply_fn fn, void *priv)
{
    struct call *call;

    /* While connecting, hiredis queues commands: let them queue too, so
     * the first requests after a start are not refused. */
    if (p->ac == NULL || p->pending >= PEER_MAX_PENDING) return DKV_ERR;
    call = xmalloc(sizeof(*call));
    call->p = p;
    call->fn = fn;
    call->priv = priv;
    if (redisAsyncCommandArgv(p->ac, call_done, call, argc, argv,
                              argvlen) != REDIS_OK) {
        free(call);
        return DKV_ERR;
    }
    p->pending++;
    return DKV_OK;
}

int
peer_connected(const struct peer *p)
{
    return p->ac != NULL && p->connected;
}

long
peer_pending(const struct peer *p)
{
    return p->pending;
}

int64_t
peer_last_reply_ms(const struct peer *p)
{
    return p->last_reply_ms;
}

const char *
peer_addr(const struct peer *p)
{
    return p->addr;
}

void
peer_cron(void)
{
    int64_t now = monotonic_us() / 1000;

    for (struct peer *p = peers; p; p = p->next)
        if (p->ac == NULL && now >= p->next_attempt_ms) peer_connect(p);
}

void
peer_flush_all(void)
{
    for (struct peer *p = peers; p; p = p->next)
        if (p->ac && p->connected && sdslen(p->ac->c.obuf) > 0)
            redisAsyncHandleWrite(p->ac);
}

void
peer_close_all(void)
{
    for (struct peer *p = peers; p; p = p->next) {
        if (p->ac) redisAsyncFree(p->ac);
        p->ac = NULL;
    }
}
