/* Transactions (t_multi.c): MULTI/EXEC/DISCARD/WATCH/UNWATCH, and what
 * command_call and the coordinator need to queue a client's commands
 * between MULTI and EXEC and to run them. */
#ifndef DKV_T_MULTI_H
#define DKV_T_MULTI_H

struct client;
struct command;
struct buf;

/* 1 while c is between MULTI and EXEC/DISCARD. */
int multi_queuing(const struct client *c);
/* Queues c's current command (already checked: known, arity, auth) and
 * replies +QUEUED, or refuses it (the transaction then fails). */
void multi_queue(struct client *c, const struct command *cmd);
/* c's command was refused before it could be queued (unknown, arity,
 * NOAUTH): if c is queuing, EXEC will answer EXECABORT. */
void multi_refused(struct client *c);
/* 1 if EXEC must wait for CLIENT PAUSE: one of its commands would. */
int multi_exec_paused(struct client *c);
/* On a cluster: the keys c's EXEC reads and may write (its watched keys
 * and every queued command's, in stored form, each u32 length + bytes)
 * appended to keys; 0 when EXEC is to be answered by its handler alone
 * (no MULTI, EXECABORT). */
int multi_exec_keys(struct client *c, struct buf *keys);
/* c goes away or RESETs: drops its queue and watches. */
void multi_free(struct client *c);

void multi_command(struct client *c);
void exec_command(struct client *c);
void discard_command(struct client *c);
void watch_command(struct client *c);
void unwatch_command(struct client *c);

#endif
