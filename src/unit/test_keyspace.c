/* Unit tests of keyspace.c: every (database, key) pair has one stored
 * form and reads back as itself; database 0's ordinary keys are stored
 * unchanged (existing data and ring positions stay). */
#include <string.h>

#include "testhelp.h"
#include "../keyspace.h"

static int
round_trip(int db, const char *key, size_t klen)
{
    struct buf b;
    const char *k;
    size_t kl;
    int got, ok;

    buf_init(&b);
    keyspace_encode(db, key, klen, &b);
    got = keyspace_decode(b.p ? b.p : "", b.len, &k, &kl);
    ok = got == db && kl == klen && (klen == 0 || memcmp(k, key, klen) == 0);
    buf_free(&b);
    return ok;
}

static int
stored_is(int db, const char *key, size_t klen, const char *want,
          size_t wlen)
{
    struct buf b;
    int ok;

    buf_init(&b);
    keyspace_encode(db, key, klen, &b);
    ok = b.len == wlen && (wlen == 0 || memcmp(b.p, want, wlen) == 0);
    buf_free(&b);
    return ok;
}

int
test_keyspace(void)
{
    test_cond("db 0 keys are stored as themselves",
              stored_is(0, "foo", 3, "foo", 3) && stored_is(0, "", 0, "", 0) &&
              !keyspace_needs_prefix(0, "foo", 3));
    test_cond("other databases get 0x00 <db> before the key",
              stored_is(3, "foo", 3, "\0\3foo", 5) &&
              stored_is(255, "", 0, "\0\377", 2) &&
              keyspace_needs_prefix(1, "foo", 3));
    test_cond("a db 0 key starting with 0x00 is escaped",
              stored_is(0, "\0x", 2, "\0\0\0x", 4) &&
              keyspace_needs_prefix(0, "\0x", 2));
    test_cond("every form decodes back to its pair",
              round_trip(0, "foo", 3) && round_trip(0, "", 0) &&
              round_trip(0, "\0", 1) && round_trip(0, "\0\0", 2) &&
              round_trip(7, "", 0) && round_trip(7, "\0\7a", 3) &&
              round_trip(255, "key", 3) && round_trip(1, "\0", 1));
    test_cond("a key of db 1 and the db 0 key with its bytes differ",
              !stored_is(0, "\0\1k", 3, "\0\1k", 3));
    {
        const char *k;
        size_t kl;
        test_cond("a lone 0x00 (written before databases) is db 0's",
                  keyspace_decode("\0", 1, &k, &kl) == 0 && kl == 1);
    }
    return 0;
}
