/* The Dynamo coordinator (paper §4.5-4.6): every keyspace command a client
 * sends to a node of a multi-node ring runs here as a request state
 * machine over the key's preference list, plus the replica side of it
 * (DKV.GETV, DKV.PUTV) and the cluster-wide keyspace commands (SCAN, KEYS,
 * DBSIZE, FLUSHDB/FLUSHALL). */
#ifndef DKV_COORD_H
#define DKV_COORD_H

#include "util.h"

struct client;
struct command;
struct creq;

/* Takes over c's current command when the ring has other members: 1 if
 * it did (the answer joins c's replies in order when ready), 0 to run it
 * locally. */
int coord_dispatch(struct client *c, const struct command *cmd);
/* With requests of c in flight, may c's next command (cmd, NULL if
 * unknown) start now? Only a single-key command on a key none of them
 * touches, up to COORD_MAX_INFLIGHT: a pipeline of independent commands
 * overlaps, everything else waits its turn. */
#define COORD_MAX_INFLIGHT 64
int coord_may_start(struct client *c, const struct command *cmd);
/* Starts the writes that waited for their key (before-sleep hook). */
void coord_run_ready(void);
/* c is going away: its requests finish without it. */
void coord_client_gone(struct client *c);
/* CLIENT REPLY SKIP: the latest coordinated request answers nothing. */
void coord_silence_last(struct client *c);
/* INFO # Cluster: request counters. */
void coord_info(struct buf *b);

/* Replica side, peer connections only. */
void dkv_getv_command(struct client *c);
void dkv_putv_command(struct client *c);
void dkv_fwd_command(struct client *c);
void dkv_scanp_command(struct client *c);
void dkv_countp_command(struct client *c);
void dkv_flushp_command(struct client *c);

#endif
