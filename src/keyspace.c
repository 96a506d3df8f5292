/* The stored form of (database, key) pairs (see keyspace.h). */
#include "keyspace.h"

int
keyspace_needs_prefix(int db, const char *key, size_t klen)
{
    return db != 0 || (klen > 0 && key[0] == '\0');
}

void
keyspace_encode(int db, const char *key, size_t klen, struct buf *out)
{
    if (keyspace_needs_prefix(db, key, klen)) {
        buf_put_u8(out, 0);
        buf_put_u8(out, (uint8_t)db);
    }
    buf_append(out, key, klen);
}

int
keyspace_decode(const char *stored, size_t slen, const char **key,
                size_t *klen)
{
    int db = 0;

    /* A lone 0x00 is no encoding's output (only a key written before
     * databases existed): it reads as itself, in database 0. */
    if (slen >= 2 && stored[0] == '\0') {
        db = (unsigned char)stored[1];
        stored += 2;
        slen -= 2;
    }
    if (key) *key = stored;
    if (klen) *klen = slen;
    return db;
}
