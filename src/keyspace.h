/* Databases (SELECT n) as part of a key's identity: the one place that
 * knows how a (database, key) pair becomes the bytes the ring hashes and
 * the store keeps, and back. Pure module: no I/O, unit-tested in
 * unit/test_keyspace.c.
 *
 * The stored form of a key of database 0 is the key itself, so existing
 * data and every key's position stay as they were; every other key is
 * byte 0x00, the database number (one byte), then the key. A database-0
 * key that itself begins with 0x00 is escaped the same way (0x00 0x00
 * key), so every stored form decodes to exactly one pair. Commands see
 * user keys rewritten to this form before they run (commands.c,
 * command_keys_to_db); what lists keys decodes and filters by database. */
#ifndef DKV_KEYSPACE_H
#define DKV_KEYSPACE_H

#include <stddef.h>
#include "util.h"

/* The number fits the one byte of the stored form. */
#define KEYSPACE_MAX_DBS 256

/* 1 when (db, key) is stored as something other than the key itself. */
int keyspace_needs_prefix(int db, const char *key, size_t klen);
/* Appends the stored form of (db, key) to out. */
void keyspace_encode(int db, const char *key, size_t klen, struct buf *out);
/* The database of a stored key; *key / *klen (when not NULL) are set to
 * the user key inside stored. */
int keyspace_decode(const char *stored, size_t slen, const char **key,
                    size_t *klen);

#endif
