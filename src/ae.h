/* Merkle anti-entropy (Dynamo §4.7): replicas of a partition compare
 * their trees and exchange only the keys they disagree on. */
#ifndef DKV_AE_H
#define DKV_AE_H

#include <stdint.h>
#include "util.h"

struct client;

/* Starts an exchange every anti-entropy-interval seconds (server cron). */
void ae_cron(void);
/* Tombstones written before this were on every replica of every
 * partition this node replicates (0: not known yet). */
int64_t ae_synced_before(void);
void ae_info(struct buf *b);

/* DKV.MERKLE: this node's partition roots (client command). */
void dkv_merkle_command(struct client *c);

/* Peer side. */
void dkv_mroots_command(struct client *c);
void dkv_mtree_command(struct client *c);
void dkv_mleaves_command(struct client *c);
void dkv_mkeys_command(struct client *c);

#endif
