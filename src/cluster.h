/* Membership and the ring it defines: who the members are (self, seeds,
 * and whoever gossip brings), whether each one is up, and the ring
 * recomputed whenever the member set changes. Also the membership
 * commands (DKV.MEMBERS, DKV.RING), the peer handshake (DKV.PEER) and the
 * gossip exchange (DKV.GOSSIP). */
#ifndef DKV_CLUSTER_H
#define DKV_CLUSTER_H

#include <stdint.h>
#include "ring.h"
#include "util.h"

struct peer;
struct client;

struct member {
    uint64_t id;            /* node id (server.me.node of that node) */
    char host[64];
    int port;
    uint64_t gen;           /* the node's start time: a restart is newer */
    uint64_t hb;            /* heartbeat, bumped by the node every round */
    int64_t last_change_ms; /* when (gen, hb) last advanced here */
    struct peer *peer;      /* link to it; NULL for self */
    int self;
    int logged_status;      /* last status the log announced */
    int state;              /* enum member_state, set by the member */
    int progress;           /* joining: percent of its share pulled */
};

enum member_status { MEMBER_UP = 0, MEMBER_SUSPECT, MEMBER_DOWN };
enum member_state { STATE_NORMAL = 0, STATE_JOINING, STATE_LEAVING,
                    STATE_LEFT };

void cluster_init(void);
/* Probes, gossip rounds and hint delivery (every server cron tick; each
 * on its own period). */
void cluster_cron(void);
/* 1 when this node knows other members: requests are coordinated. */
int cluster_active(void);
/* The ring requests use (normal and leaving members); member i of the
 * ring is cluster_member(i); this node's index, -1 if it is not in it. */
const struct ring *cluster_ring(void);
struct member *cluster_member(int i);
int cluster_self_index(void);
/* The ring after every join and leave in progress completes (normal and
 * joining members). */
const struct ring *cluster_future_ring(void);
struct member *cluster_future_member(int i);
int cluster_future_self_index(void);
/* The ring before the last change of members, for a few seconds after
 * it (NULL if none). */
const struct ring *cluster_prev_ring(void);
struct member *cluster_prev_member(int i);
/* 1 while some member joins or leaves, or just did (requests then also
 * reach the future and the previous replicas of their keys). */
int cluster_changing(void);
struct member *cluster_self(void);
void cluster_set_self_state(int state, int progress);
/* host as an IP literal, resolving a name (blocking: start-up and
 * DKV.JOIN only; links never resolve). DKV_ERR if it cannot. */
int cluster_numeric_host(const char *name, char *out, size_t len);
/* Adds a seed at run time (DKV.JOIN) and contacts it now. DKV_ERR if it
 * is this node, cannot be resolved, or the list is full. */
int cluster_add_seed(const char *host, int port);
/* Marks a dead member left for good: 0, or 1 unknown, 2 self, 3 up. */
int cluster_forget(uint64_t id);
const char *cluster_state_name(int state);
int cluster_member_up(const struct member *m);
int cluster_member_status(const struct member *m);
const char *cluster_status_name(int status);
/* INFO # Cluster lines (membership part). */
void cluster_info(struct buf *b);

void dkv_peer_command(struct client *c);
void dkv_gossip_command(struct client *c);
void dkv_members_command(struct client *c);
void dkv_ring_command(struct client *c);

#endif
