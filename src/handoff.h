/* Hinted handoff (Dynamo §4.6): a stand-in that accepted a write for a
 * replica that was not up keeps a hint naming that owner, in Berkeley DB
 * next to the data (so hints survive the stand-in's restart), and hands
 * the key's versions to the owner once it is up again, then drops the
 * hint - and its own copy, when it is not a replica of the key itself. */
#ifndef DKV_HANDOFF_H
#define DKV_HANDOFF_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

/* Counts the hints kept in the store (startup). */
void handoff_init(void);
/* Records that key's versions (already stored here) belong to owner. */
int handoff_add(uint64_t owner, const char *key, size_t klen);
/* Delivers hints to owners that are up (every cron tick, batched). */
void handoff_cron(void);
long long handoff_pending(void);
/* INFO # Cluster lines. */
void handoff_info(struct buf *b);

#endif
