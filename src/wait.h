/* WAIT (wait.c): how many other nodes acknowledged a client's latest
 * write command, and the command that waits for enough of them without
 * blocking the loop. */
#ifndef DKV_WAIT_H
#define DKV_WAIT_H

struct client;
struct write_track;

/* A write command of c starts (the coordinator's root request): its
 * track, one reference for the caller. */
struct write_track *wait_track_new(struct client *c);
/* One single-key write of that command begins: 0 other acks so far. */
void wait_track_write(struct write_track *t);
/* That write went from `from` to `to` acknowledgements by other nodes. */
void wait_track_ack(struct write_track *t, int from, int to);
void wait_track_unref(struct write_track *t);
/* The track's command answered, or its client is going away: no more of
 * its writes register with the client. */
void wait_track_forget_client(struct write_track *t);
/* c goes away: its track forgets it, its timer goes. */
void wait_client_gone(struct client *c);
/* command_call, before WAIT runs: 1 while it must wait (held; resumed
 * by an acknowledgement or its timeout), 0 to answer now. */
int wait_must_block(struct client *c);
void wait_command(struct client *c);

#endif
