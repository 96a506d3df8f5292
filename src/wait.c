/* WAIT numreplicas timeout: the number of other nodes that acknowledged
 * every single-key write of the client's latest write command, waiting
 * (without blocking the loop) until there are numreplicas or the timeout
 * passed, as Redis's WAIT counts replicas that acknowledged the client's
 * last write.
 *
 * The coordinator gives each write command of a client a track
 * (wait_track_new, one per root request) and reports each of its key
 * writes' acknowledgements by other nodes (PUTV answers; for a write
 * forwarded to a replica, the W that replica waited for). A track counts,
 * for each k, how many of the command's key writes have at least k such
 * acknowledgements, so the answer is the largest k all of them reached.
 * On one node there are no other nodes: WAIT answers 0, after its
 * timeout when it asked for more, as a Redis without replicas does.
 *
 * Waiting is command_call's CALL_HELD (as for CLIENT PAUSE): the request
 * stays parsed, the client reads nothing more, and an acknowledgement on
 * its track or the timeout resumes it; WAIT then runs again. */
#include <stdint.h>
#include <stdlib.h>
#include <event2/event.h>

#include "wait.h"
#include "client.h"
#include "server.h"
#include "util.h"

#define WAIT_MAX_ACKS 16  /* at least a request's replicas (MAX_REP) */

struct write_track {
    int refs;
    uint64_t seq;                   /* the client's write commands, in order */
    struct client *c;               /* the client, while its command is in
                                       flight (writes register) */
    struct client *owner;           /* the client whose last_write this is
                                       (acks wake its WAIT), else NULL */
    long long writes;               /* key writes begun */
    long long at_least[WAIT_MAX_ACKS + 1]; /* key writes with >= k acks */
};

enum { WAIT_NONE = 0, WAIT_WAITING, WAIT_TIMED_OUT };

struct write_track *
wait_track_new(struct client *c)
{
    struct write_track *t = xcalloc(1, sizeof(*t));

    t->refs = 1;
    t->c = c;
    t->seq = ++c->write_seq;
    return t;
}

void
wait_track_unref(struct write_track *t)
{
    if (t && --t->refs == 0) free(t);
}

void
wait_track_forget_client(struct write_track *t)
{
    t->c = NULL;
}

void
wait_track_write(struct write_track *t)
{
    struct client *c = t->c;

    /* The client's latest write command is the latest that wrote. */
    if (t->writes == 0 && c &&
        (c->last_write == NULL || c->last_write->seq < t->seq)) {
        if (c->last_write) {
            c->last_write->owner = NULL;
            wait_track_unref(c->last_write);
        }
        c->last_write = t;
        t->owner = c;
        t->refs++;
    }
    t->writes++;
    t->at_least[0]++;
}

void
wait_track_ack(struct write_track *t, int from, int to)
{
    /* Acks keep coming after the command answered (past W): the client
     * is reached through the track it still calls its last write. */
    struct client *c = t->owner;

    if (to > WAIT_MAX_ACKS) to = WAIT_MAX_ACKS;
    for (int k = from + 1; k <= to; k++) t->at_least[k]++;
    if (c && c->wait_state == WAIT_WAITING && c->last_write == t)
        client_resume(c);
}

static int
acked(const struct client *c)
{
    const struct write_track *t = c->last_write;
    int k = 0;

    if (t == NULL) return 0;
    while (k < WAIT_MAX_ACKS && t->at_least[k + 1] == t->writes) k++;
    return k;
}

static void
wait_end(struct client *c)
{
    c->wait_state = WAIT_NONE;
    if (c->wait_timer) {
        event_free(c->wait_timer);
        c->wait_timer = NULL;
    }
}

void
wait_client_gone(struct client *c)
{
    wait_end(c);
    if (c->last_write) {
        c->last_write->owner = NULL;
        wait_track_unref(c->last_write);
        c->last_write = NULL;
    }
}

static void
timeout_cb(evutil_socket_t fd, short what, void *arg)
{
    struct client *c = arg;

    (void)fd;
    (void)what;
    c->wait_state = WAIT_TIMED_OUT;
    client_resume(c);
}

/* WAIT's arguments in Redis's order of checks; 0 when they do not parse
 * (the handler then says why). */
static int
parse(struct client *c, long long *n, long long *ms)
{
    return string2ll(c->argv[1], c->argvlen[1], n) &&
           string2ll(c->argv[2], c->argvlen[2], ms) && *ms >= 0;
}

int
wait_must_block(struct client *c)
{
    long long n, ms;

    if (c->argc != 3 || !parse(c, &n, &ms) || acked(c) >= n ||
        c->wait_state == WAIT_TIMED_OUT) {
        wait_end(c);
        return 0;
    }
    if (c->wait_state == WAIT_NONE) {
        c->wait_state = WAIT_WAITING;
        if (ms > 0) {
            struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
            c->wait_timer = evtimer_new(server.base, timeout_cb, c);
            evtimer_add(c->wait_timer, &tv);
        }
    }
    return 1;
}

void
wait_command(struct client *c)
{
    long long n, ms;

    if (!string2ll(c->argv[1], c->argvlen[1], &n)) {
        reply_not_integer(c);
        return;
    }
    if (parse_timeout_ms(c, c->argv[2], c->argvlen[2], &ms) != DKV_OK)
        return;
    /* Here after waiting, or at once (in EXEC, or enough acks already). */
    reply_ll(c, acked(c));
}
