/* Client networking: listeners, accepting (maxclients), reading requests
 * into the parser and dispatching them, and the before-sleep flush that
 * hands every pending reply to its socket after the store committed. */
#ifndef DKV_NET_H
#define DKV_NET_H

/* Binds every address of `bind` on `port`. DKV_ERR with a log line if
 * none could be bound. */
int net_listen(void);
void net_close_listeners(void);
/* Called once per event-loop iteration after the store's commit: writes
 * replies, frees clients marked for closing. */
void net_flush(void);
/* Runs the input of clients whose blocked request was answered (before
 * the store's commit, so their writes join this iteration's batch). */
void net_process_unblocked(void);
/* Idle timeouts; called from the server cron. */
void net_cron(void);
/* Closes every client (shutdown). */
void net_free_all_clients(void);

#endif
