/* Membership by gossip, and the ring over the members (see cluster.h).
 *
 * DESIGN
 * ------
 * Every node keeps a table of members: id, address, and a heartbeat
 * (gen, hb) that only the member itself advances: gen is its start time,
 * hb counts its gossip rounds. Once a second a node bumps its own hb and
 * does a push-pull exchange with one random other member (every fifth
 * round, or while it knows nobody, with a random seed instead, so nodes
 * joined through different seeds find each other): it sends its whole
 * table as DKV.GOSSIP and merges the table that comes back. Merging keeps,
 * per id, the newest (gen, hb) and its address. News reaches every node
 * in O(log S) rounds.
 *
 * Failure detection, by timeouts: every PROBE_MS a node PINGs every other
 * member over its link. A member was last heard from when its link last
 * answered us, or, while we have no link to it, when gossip last brought
 * a newer heartbeat of it. Heard within SUSPECT_AFTER_MS: up; within
 * DOWN_AFTER_MS: suspect; else down. A stopped or dead node is suspect after 2 s and
 * down after 4 s on every peer, and up again as soon as it answers. The
 * coordinator sends only to up members (sloppy quorum: stand-ins take
 * the place of the others). Down is only a status: the ring is built over
 * every known member, so a member that is down keeps its partitions
 * until DKV.LEAVE or DKV.FORGET removes it.
 *
 * Peer commands (only on connections that passed DKV.PEER):
 *   DKV.PEER <secret>        -> +OK; marks the connection as a peer. The
 *                               secret is cluster-secret, or requirepass
 *                               when that is empty, or anything when both
 *                               are empty (a trusted loopback cluster).
 *   DKV.GOSSIP <table>       -> bulk <table>: the receiver merges the
 *                               sender's table and answers with its own.
 *   table = lines "<id-hex> <host> <port> <gen> <hb>\n".
 *
 * DKV.MEMBERS answers one array per member: id, "host:port", status
 * (up, suspect, down; or joining, leaving for a live member changing
 * its place), partitions owned, partitions replicated (in how many
 * preference lists it is), our link to it (self/connected/disconnected),
 * and its join progress in percent (100 once it serves).
 *
 * Member states travel with the heartbeat (only a member changes its own
 * state): normal; joining (pulling its share of the future ring, not yet
 * serving); leaving (handing everything it holds to the ring without it);
 * left (gone: dropped from both rings). DKV.FORGET marks a dead member
 * left on its behalf, with a heartbeat generation no real one can beat. */
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "cluster.h"
#include "gossip.h"
#include "client.h"
#include "coord.h"
#include "handoff.h"
#include "ae.h"
#include "join.h"
#include "log.h"
#include "peer.h"
#include "server.h"
#include "store.h"
#include <hiredis/hiredis.h>

#define PROBE_MS          500
#define GOSSIP_MS         1000
#define SUSPECT_AFTER_MS  2000
#define DOWN_AFTER_MS     4000
#define SEED_EVERY        5      /* rounds between seed contacts */
#define MAX_MEMBERS     1024
#define MAX_SEEDS       64

_Static_assert(GOSSIP_MAX_STATE == STATE_LEFT, "gossip.h knows the states");

static void gossip_round(void);
static struct member *find_member(uint64_t id);

/* Liveness and grace periods run on the monotonic clock: a node whose
 * wall clock jumps (debug-clock-offset, NTP) must not see members die. */
static int64_t
mono_ms(void)
{
    return monotonic_us() / 1000;
}
static void gossip_to(struct peer *p);

static struct member **members;   /* every known member, sorted by id */
static int nmembers;
/* The ring requests use: normal and leaving members. The future ring:
 * normal and joining members, where a joining node pulls its share and
 * where writes also go while members join or leave. */
static struct ring ring, fring;
static struct member **ring_mem, **fring_mem;  /* ring index -> member */
static int self_index, fself_index;            /* -1: not in that ring */
static int nleft;                              /* left or forgotten */
/* The ring before the last switch, kept SWITCH_GRACE_MS: gossip takes a
 * moment to tell everyone, and until then requests reach both. */
static struct ring pring;
static struct member **pring_mem;
static int64_t switched_ms;
#define SWITCH_GRACE_MS 2000
static uint64_t rounds;

static struct {
    char host[64];
    int port;
} seeds[MAX_SEEDS];
static int nseeds;

static void rebuild_ring(void);
static void save_members(void);
static void encode_table(struct buf *b);
static int loading = 1;  /* until load_members: nothing to save yet */

const struct ring *
cluster_ring(void)
{
    /* replicas is CONFIG SET-able: the lists follow it. */
    int want = server.replicas < ring.nmembers ? server.replicas
                                               : ring.nmembers;
    if (ring.nrep != want) rebuild_ring();
    return &ring;
}

struct member *
cluster_member(int i)
{
    return ring_mem[i];
}

int
cluster_self_index(void)
{
    return self_index;
}

const struct ring *
cluster_future_ring(void)
{
    cluster_ring();
    return &fring;
}

struct member *
cluster_future_member(int i)
{
    return fring_mem[i];
}

int
cluster_future_self_index(void)
{
    return fself_index;
}

const struct ring *
cluster_prev_ring(void)
{
    return pring.q ? &pring : NULL;
}

struct member *
cluster_prev_member(int i)
{
    return pring_mem[i];
}

int
cluster_changing(void)
{
    if (switched_ms && mono_ms() - switched_ms < SWITCH_GRACE_MS) return 1;
    for (int i = 0; i < nmembers; i++)
        if (members[i]->state == STATE_JOINING ||
            members[i]->state == STATE_LEAVING)
            return 1;
    return 0;
}

struct member *
cluster_self(void)
{
    for (int i = 0; i < nmembers; i++)
        if (members[i]->self) return members[i];
    return NULL;
}

int
cluster_active(void)
{
    return nmembers - nleft > 1;
}

void
cluster_set_self_state(int state, int progress)
{
    struct member *me = cluster_self();

    if (me->state == state && me->progress == progress) return;
    if (me->state != state)
        log_notice("This node is now %s", cluster_state_name(state));
    me->state = state;
    me->progress = progress;
    me->hb++;  /* newer: wins over what others hold */
    rebuild_ring();
    /* A change of state is told to everyone now, not by rumour, so the
     * nodes switch rings within a round trip of each other. */
    if (progress == 100 || state != STATE_JOINING)
        for (int i = 0; i < nmembers; i++)
            if (!members[i]->self && members[i]->state != STATE_LEFT)
                gossip_to(members[i]->peer);
}

/* A seed's address as a literal: names are resolved once, here (at
 * start-up or DKV.JOIN), never by a link reconnecting inside the loop. */
int
cluster_numeric_host(const char *name, char *out, size_t len)
{
    struct addrinfo hints, *res = NULL;
    int rc;

    if (gossip_host_ok(name)) {
        if (out != name) snprintf(out, len, "%s", name);
        return DKV_OK;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(name, NULL, &hints, &res) != 0 || res == NULL)
        return DKV_ERR;
    rc = getnameinfo(res->ai_addr, res->ai_addrlen, out, (socklen_t)len,
                     NULL, 0, NI_NUMERICHOST) == 0 ? DKV_OK : DKV_ERR;
    freeaddrinfo(res);
    return rc;
}

int
cluster_add_seed(const char *name, int port)
{
    struct member *me = cluster_self();
    char host[64];

    if (cluster_numeric_host(name, host, sizeof(host)) != DKV_OK) return DKV_ERR;

    if (port == me->port && strcmp(host, me->host) == 0) return DKV_ERR;
    for (int i = 0; i < nseeds; i++)
        if (seeds[i].port == port && strcmp(seeds[i].host, host) == 0)
            goto contact;
    if (nseeds == MAX_SEEDS || strlen(host) >= sizeof(seeds[0].host))
        return DKV_ERR;
    snprintf(seeds[nseeds].host, sizeof(seeds[nseeds].host), "%s", host);
    seeds[nseeds].port = port;
    nseeds++;
contact:
    gossip_to(peer_get(host, port));
    return DKV_OK;
}

int
cluster_forget(uint64_t id)
{
    struct member *m = find_member(id);

    if (m == NULL || m->state == STATE_LEFT) return 1;
    if (m->self) return 2;
    if (cluster_member_up(m)) return 3;
    log_notice("Forgetting member %016llx at %s:%d", (unsigned long long)id,
               m->host, m->port);
    /* On its behalf, with a heartbeat no real one can beat. */
    m->state = STATE_LEFT;
    m->gen = UINT64_MAX;
    m->hb = 0;
    rebuild_ring();
    return 0;
}

const char *
cluster_state_name(int state)
{
    static const char *names[] = { "normal", "joining", "leaving", "left" };
    return names[state];
}

int
cluster_member_status(const struct member *m)
{
    int64_t heard, now = mono_ms();

    if (m->self) return MEMBER_UP;
    /* Our own probes decide while our link is up; gossip only speaks for
     * members we cannot reach ourselves. (Gossip alone would keep a
     * stopped node "heard" for as long as stale heartbeats still spread.) */
    heard = peer_connected(m->peer) ? peer_last_reply_ms(m->peer)
                                    : m->last_change_ms;
    /* A link that connected but has not answered yet (a node that just
     * started, before its first probe round) says nothing: gossip still
     * speaks. Taken as down, a joiner coordinating a forwarded write put
     * it on stand-ins, away from the replicas a reader asks. */
    if (heard == 0) heard = m->last_change_ms;
    if (now - heard < SUSPECT_AFTER_MS) return MEMBER_UP;
    if (now - heard < DOWN_AFTER_MS) return MEMBER_SUSPECT;
    return MEMBER_DOWN;
}

int
cluster_member_up(const struct member *m)
{
    return cluster_member_status(m) == MEMBER_UP;
}

const char *
cluster_status_name(int status)
{
    static const char *names[] = { "up", "suspect", "down" };
    return names[status];
}

/* One ring over the members whose state is in `states` (a bitmask);
 * never empty: with nobody in it, this node alone. */
static void
build_one(struct ring *r, struct member ***map, int *self_at, int states)
{
    uint64_t ids[MAX_MEMBERS];
    int n = 0;

    *map = xrealloc(*map, sizeof(**map) * (nmembers ? nmembers : 1));
    for (int i = 0; i < nmembers; i++)
        if (states & (1 << members[i]->state)) {
            ids[n] = members[i]->id;
            (*map)[n++] = members[i];
        }
    if (n == 0) {
        (*map)[0] = cluster_self();
        ids[n++] = (*map)[0]->id;
    }
    ring_free(r);
    ring_build(r, server.ring_size, ids, n, server.replicas);
    *self_at = -1;
    for (int i = 0; i < n; i++)
        if ((*map)[i]->self) *self_at = i;
}

static void
rebuild_ring(void)
{
    struct ring old = ring;
    struct member **old_mem = ring_mem;
    int same;

    nleft = 0;
    for (int i = 0; i < nmembers; i++)
        nleft += members[i]->state == STATE_LEFT;
    memset(&ring, 0, sizeof(ring));
    ring_mem = NULL;
    build_one(&ring, &ring_mem, &self_index,
              (1 << STATE_NORMAL) | (1 << STATE_LEAVING));
    same = old.q && old.nmembers == ring.nmembers &&
           memcmp(old.members, ring.members,
                  sizeof(uint64_t) * ring.nmembers) == 0;
    if (old.q && !same) {
        /* Members changed: keep the old lists for the grace period. */
        ring_free(&pring);
        free(pring_mem);
        pring = old;
        pring_mem = old_mem;
        switched_ms = mono_ms();
    } else {
        ring_free(&old);
        free(old_mem);
    }
    build_one(&fring, &fring_mem, &fself_index,
              (1 << STATE_NORMAL) | (1 << STATE_JOINING));
    save_members();
}

static struct member *
find_member(uint64_t id)
{
    int lo = 0, hi = nmembers - 1;

    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (members[mid]->id == id) return members[mid];
        if (members[mid]->id < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

static struct member *
add_member(uint64_t id, const char *host, int port, int self)
{
    struct member *m;
    int at;

    if (nmembers >= MAX_MEMBERS) return NULL;
    m = xcalloc(1, sizeof(*m));
    m->id = id;
    snprintf(m->host, sizeof(m->host), "%s", host);
    m->port = port;
    m->self = self;
    m->last_change_ms = mono_ms();
    if (!self) m->peer = peer_get(m->host, port);
    members = xrealloc(members, sizeof(*members) * (nmembers + 1));
    for (at = nmembers; at > 0 && members[at - 1]->id > id; at--)
        members[at] = members[at - 1];
    members[at] = m;
    nmembers++;
    rebuild_ring();
    if (!self && !loading)
        log_notice("Member %016llx at %s:%d joined the ring (%d members)",
                   (unsigned long long)id, host, port, nmembers);
    return m;
}

/* The address others reach us at: the first bind address (a wildcard
 * means loopback) and the port we listen on. */
static void
announce_addr(char *host, size_t len)
{
    const char *b = server.bind && server.bind[0] ? server.bind : "127.0.0.1";
    size_t n = strcspn(b, " ");

    if (n >= len) n = len - 1;
    memcpy(host, b, n);
    host[n] = '\0';
    if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "*") == 0 ||
        strcmp(host, "::") == 0 || strcmp(host, "-::*") == 0)
        snprintf(host, len, "127.0.0.1");
}

static void
parse_seeds(void)
{
    char *list, *save = NULL;
    struct member *me = cluster_self();

    if (server.seeds == NULL) return;
    list = xstrdup(server.seeds);
    for (char *s = strtok_r(list, ", ", &save); s && nseeds < MAX_SEEDS;
         s = strtok_r(NULL, ", ", &save)) {
        char *colon = strrchr(s, ':');
        long long port;
        if (colon == NULL || !string2ll(colon + 1, strlen(colon + 1), &port) ||
            port < 1 || port > 65535 || colon - s >= 64) {
            log_warn("Ignoring seed '%s': expected host:port", s);
            continue;
        }
        *colon = '\0';
        if (cluster_numeric_host(s, seeds[nseeds].host,
                         sizeof(seeds[nseeds].host)) != DKV_OK) {
            log_warn("Ignoring seed '%s': cannot resolve it", s);
            continue;
        }
        if ((int)port == me->port && strcmp(seeds[nseeds].host, me->host) == 0)
            continue;
        seeds[nseeds].port = (int)port;
        nseeds++;
    }
    free(list);
}

/* The member table survives a restart (meta "members", the gossip
 * format): a restarted node must not serve as a cluster of one, with R
 * and W capped to 1, before gossip reminds it of the others; that lost
 * acknowledged writes (found by utils/dkv-torture). Saved whenever the
 * ring's inputs change (members, states, addresses), not per heartbeat. */
static void
save_members(void)
{
    struct buf b;

    if (loading) return;
    buf_init(&b);
    encode_table(&b);  /* our own line too: load_members skips it */
    store_meta_put("members", b.p ? b.p : "", b.len);
    buf_free(&b);
}

/* Members start unheard (suspect): not used until a probe answers, so a
 * request right after the restart fails (NOQUORUM) instead of counting
 * on a member that may be dead. */
static void
load_members(void)
{
    struct buf b;
    const char *p, *end;

    buf_init(&b);
    if (store_meta_get("members", &b) != DKV_OK) goto out;
    for (p = b.p, end = b.p + b.len; p && p < end;) {
        const char *nl = memchr(p, '\n', end - p);
        struct gossip_entry e;
        struct member *m;
        if (nl == NULL) nl = end;
        if (gossip_parse_line(p, nl - p, &e) == DKV_OK &&
            e.id != server.me.node && find_member(e.id) == NULL &&
            (m = add_member(e.id, e.host, e.port, 0)) != NULL) {
            m->gen = e.gen;
            m->hb = e.hb;
            m->state = e.state;
            m->progress = e.progress;
            m->last_change_ms = mono_ms() - SUSPECT_AFTER_MS;
            m->logged_status = MEMBER_SUSPECT;
        }
        p = nl + 1;
    }
out:
    loading = 0;
    rebuild_ring();
    buf_free(&b);
}

void
cluster_init(void)
{
    char host[64];
    struct member *me;

    announce_addr(host, sizeof(host));
    me = add_member(server.me.node, host,
                    server.listen_port ? server.listen_port : server.port, 1);
    me->gen = (uint64_t)mstime();
    load_members();
    parse_seeds();
    /* A node that never finished joining a ring joins (pulls its share
     * first); one that did, or that has no seeds to join, serves now. */
    if (nseeds > 0 && !join_done_before()) {
        me->state = STATE_JOINING;
        rebuild_ring();
    }
    /* First contact now, not a second from now. */
    if (nseeds > 0) gossip_round();
}

/* ---- Gossip -------------------------------------------------------------- */

static void
encode_table(struct buf *b)
{
    char line[GOSSIP_LINE_MAX];

    for (int i = 0; i < nmembers; i++) {
        struct member *m = members[i];
        struct gossip_entry e = { m->id, "", m->port, m->gen, m->hb,
                                  m->state, m->progress };
        snprintf(e.host, sizeof(e.host), "%s", m->host);
        buf_append(b, line, gossip_format_line(&e, line));
    }
}

/* Merges a peer's table; a malformed line stops the merge (what came
 * before it stays) and is logged, never trusted. */
static void
merge_table(const char *p, size_t len, const char *from)
{
    const char *end = p + len;
    int64_t now = mono_ms();

    while (p < end) {
        const char *nl = memchr(p, '\n', end - p);
        struct gossip_entry e;
        struct member *m;

        if (nl == NULL) nl = end;
        if (gossip_parse_line(p, nl - p, &e) != DKV_OK) {
            log_warn("Malformed gossip from %s; ignored", from);
            return;
        }
        m = find_member(e.id);
        if (m == NULL) {
            m = add_member(e.id, e.host, e.port, 0);
            if (m == NULL) return;
            m->gen = e.gen;
            m->hb = e.hb;
            m->state = e.state;
            m->progress = e.progress;
            rebuild_ring();
        } else if (!m->self &&
                   (e.gen > m->gen || (e.gen == m->gen && e.hb > m->hb))) {
            if (m->port != e.port || strcmp(m->host, e.host) != 0) {
                snprintf(m->host, sizeof(m->host), "%s", e.host);
                m->port = e.port;
                m->peer = peer_get(m->host, m->port);
                log_notice("Member %016llx moved to %s:%d",
                           (unsigned long long)e.id, m->host, m->port);
                save_members();
            }
            m->gen = e.gen;
            m->hb = e.hb;
            m->last_change_ms = now;
            m->progress = e.progress;
            if (m->state != e.state) {
                log_notice("Member %016llx is now %s",
                           (unsigned long long)e.id,
                           cluster_state_name(e.state));
                m->state = e.state;
                rebuild_ring();
            }
        }
        p = nl + 1;
    }
}

static void
gossip_reply(void *priv, struct redisReply *reply);

static void
gossip_to(struct peer *p)
{
    struct buf b;
    const char *argv[2] = { "DKV.GOSSIP", NULL };
    size_t argvlen[2] = { 10, 0 };

    buf_init(&b);
    encode_table(&b);
    argv[1] = b.p;
    argvlen[1] = b.len;
    peer_send(p, 2, argv, argvlen, gossip_reply, p);
    buf_free(&b);
}

static void
gossip_reply(void *priv, struct redisReply *reply)
{
    struct peer *p = priv;

    if (reply && reply->type == REDIS_REPLY_STRING)
        merge_table(reply->str, reply->len, peer_addr(p));
}

/* Probes every member and logs status changes. */
static void
probe(void)
{
    static const char *argv[1] = { "PING" };
    static const size_t argvlen[1] = { 4 };

    for (int i = 0; i < nmembers; i++) {
        struct member *m = members[i];
        int st;
        if (m->self || m->state == STATE_LEFT) continue;
        peer_send(m->peer, 1, argv, argvlen, NULL, NULL);
        st = cluster_member_status(m);
        if (st != m->logged_status) {
            log_notice("Member %016llx at %s:%d is %s", (unsigned long long)m->id,
                       m->host, m->port, cluster_status_name(st));
            m->logged_status = st;
        }
    }
}

void
cluster_cron(void)
{
    static int64_t last_probe, last_gossip;
    int64_t now = mono_ms();

    if (now - last_probe >= PROBE_MS) {
        last_probe = now;
        probe();
    }
    if (now - last_gossip >= GOSSIP_MS) {
        last_gossip = now;
        gossip_round();
    }
    handoff_cron();
    ae_cron();
    join_cron();
}

static void
gossip_round(void)
{
    struct member *me = cluster_self();
    struct member *pick[MAX_MEMBERS];
    int npick = 0;

    me->hb++;
    me->last_change_ms = mono_ms();
    rounds++;
    for (int i = 0; i < nmembers; i++)
        if (!members[i]->self && members[i]->state != STATE_LEFT &&
            cluster_member_up(members[i]))
            pick[npick++] = members[i];
    /* Nobody up: try the down ones too, they may be back. */
    if (npick == 0)
        for (int i = 0; i < nmembers; i++)
            if (!members[i]->self && members[i]->state != STATE_LEFT)
                pick[npick++] = members[i];
    if (nseeds > 0 && (npick == 0 || rounds % SEED_EVERY == 0)) {
        int s = rand() % nseeds;
        gossip_to(peer_get(seeds[s].host, seeds[s].port));
    } else if (npick > 0) {
        gossip_to(pick[rand() % npick]->peer);
    }
}

/* ---- Commands ------------------------------------------------------------ */

static const char *
expected_secret(void)
{
    if (server.cluster_secret && server.cluster_secret[0])
        return server.cluster_secret;
    if (server.requirepass && server.requirepass[0])
        return server.requirepass;
    return NULL;
}

void
dkv_peer_command(struct client *c)
{
    const char *want = expected_secret();

    if (want && (strlen(want) != c->argvlen[1] ||
                 memcmp(want, c->argv[1], c->argvlen[1]) != 0)) {
        reply_error(c, "ERR invalid cluster secret");
        return;
    }
    c->flags |= CLIENT_PEER | CLIENT_AUTHENTICATED;
    reply_ok(c);
}

void
dkv_gossip_command(struct client *c)
{
    struct buf b;

    merge_table(c->argv[1], c->argvlen[1], c->addr);
    buf_init(&b);
    encode_table(&b);
    reply_bulk(c, b.p ? b.p : "", b.len);
    buf_free(&b);
}

static int
replicated_partitions(int idx)
{
    int n = 0;

    for (int p = 0; p < ring.q; p++) {
        const int *pl = ring_preflist(&ring, p);
        for (int i = 0; i < ring.nrep; i++) n += pl[i] == idx;
    }
    return n;
}

/* What DKV.MEMBERS says of a member: its liveness when that is not up,
 * else its state ("up" for a normal member). */
static const char *
member_word(const struct member *m)
{
    int st = cluster_member_status(m);

    if (st != MEMBER_UP) return cluster_status_name(st);
    return m->state == STATE_NORMAL ? "up" : cluster_state_name(m->state);
}

void
dkv_members_command(struct client *c)
{
    const struct ring *r = cluster_ring();

    reply_array_len(c, nmembers - nleft);
    for (int i = 0; i < nmembers; i++) {
        struct member *m = members[i];
        int at = ring_member_index(r, m->id);
        char id[17], addr[96];
        if (m->state == STATE_LEFT) continue;
        snprintf(id, sizeof(id), "%016llx", (unsigned long long)m->id);
        snprintf(addr, sizeof(addr), "%s:%d", m->host, m->port);
        reply_array_len(c, 7);
        reply_bulk_cstr(c, id);
        reply_bulk_cstr(c, addr);
        reply_bulk_cstr(c, member_word(m));
        reply_ll(c, at >= 0 ? r->owned[at] : 0);
        reply_ll(c, at >= 0 ? replicated_partitions(at) : 0);
        reply_bulk_cstr(c, m->self ? "self" :
                        peer_ready(m->peer) ? "connected" : "disconnected");
        reply_ll(c, m->state == STATE_JOINING ? m->progress : 100);
    }
}

void
dkv_ring_command(struct client *c)
{
    reply_array_len(c, ring.q);
    for (int p = 0; p < ring.q; p++) {
        const int *pl = ring_preflist(&ring, p);
        char start[17];
        snprintf(start, sizeof(start), "%016llx",
                 (unsigned long long)ring_partition_start(&ring, p));
        reply_array_len(c, 3);
        reply_ll(c, p);
        reply_bulk_cstr(c, start);
        reply_array_len(c, ring.nrep);
        for (int i = 0; i < ring.nrep; i++) {
            char id[17];
            snprintf(id, sizeof(id), "%016llx",
                     (unsigned long long)ring_mem[pl[i]]->id);
            reply_bulk_cstr(c, id);
        }
    }
}

void
cluster_info(struct buf *b)
{
    int up = 0;
    char line[1024];
    int n;

    for (int i = 0; i < nmembers; i++)
        up += members[i]->state != STATE_LEFT && cluster_member_up(members[i]);
    n = snprintf(line, sizeof(line),
                 "cluster_node_id:%016llx\r\ncluster_state:%s\r\n"
                 "cluster_changing:%d\r\n"
                 "cluster_members:%d\r\n"
                 "cluster_members_up:%d\r\ncluster_ring_size:%d\r\n"
                 "cluster_partitions_owned:%d\r\n"
                 "cluster_partitions_replicated:%d\r\n"
                 "cluster_replicas:%d\r\ncluster_read_quorum:%d\r\n"
                 "cluster_write_quorum:%d\r\n",
                 (unsigned long long)server.me.node,
                 cluster_state_name(cluster_self()->state), cluster_changing(),
                 nmembers - nleft,
                 up, ring.q, self_index >= 0 ? ring.owned[self_index] : 0,
                 self_index >= 0 ? replicated_partitions(self_index) : 0,
                 server.replicas, server.read_quorum, server.write_quorum);
    buf_append(b, line, n);
}
