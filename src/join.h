/* Joining and leaving (Dynamo §4.9): a new node pulls its share of the
 * future ring from the current replicas before it serves, and a leaving
 * node pushes everything it holds to the ring without it before it goes;
 * afterwards, nodes hand off and drop the partitions they no longer
 * replicate. */
#ifndef DKV_JOIN_H
#define DKV_JOIN_H

#include "util.h"

struct client;

/* 1 if this node finished joining a ring before (kept in the store). */
int join_done_before(void);
/* Drives a join, a leave and the clean-up of partitions no longer ours
 * (server cron). */
void join_cron(void);
void join_info(struct buf *b);

/* DKV.JOIN host:port: join the ring a node at host:port is in. */
void dkv_join_command(struct client *c);
/* DKV.LEAVE: hand everything off, then exit. */
void dkv_leave_command(struct client *c);
/* DKV.FORGET id: remove a dead member for good. */
void dkv_forget_command(struct client *c);
/* Peer side: DKV.XFER <partition> <from> <count>. */
void dkv_xfer_command(struct client *c);

#endif
