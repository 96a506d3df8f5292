/* Redis's serialization format as DUMP and RESTORE carry it: one RDB
 * object (type byte, then the value in RDB's string encoding), the RDB
 * version (2 bytes, little-endian) and Redis's CRC64 of everything before
 * it (8 bytes, little-endian). Only strings have a dkv counterpart; the
 * other RDB object types are recognised so that RESTORE can say which
 * one it was given. Pure: no server state, unit-tested and fuzzed. */
#ifndef DKV_RDB_H
#define DKV_RDB_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

#define RDB_VERSION 10           /* what Redis 7.0 writes and reads up to */
#define RDB_FOOTER_LEN 10        /* version + CRC64 */

/* Redis's crc64 (Jones polynomial, reflected, no final xor), continuing
 * from crc (0 to start). crc64 of "123456789" is 0xe9c6d914c4b8d9ca. */
uint64_t rdb_crc64(uint64_t crc, const void *p, size_t len);

/* Appends the DUMP payload of the string p[0..len) to out, encoded as
 * Redis encodes it: as an integer when it is the canonical form of one
 * that fits 32 bits, LZF-compressed when longer than 20 bytes and that
 * saves space, raw otherwise. */
void rdb_dump_string(const void *p, size_t len, struct buf *out);

/* Outcomes of rdb_restore_string. */
#define RDB_OK          0
#define RDB_ERR_FOOTER -1    /* too short, newer RDB version or bad CRC */
#define RDB_ERR_FORMAT -2    /* not a well-formed RDB object */
#define RDB_ERR_TYPE   -3    /* a valid object of a type dkv lacks */
#define RDB_ERR_SIZE   -4    /* the string would be longer than max_len */

/* Decodes a DUMP payload holding a string into out (reset first). Every
 * length is checked against the payload before it is used, and a
 * decompressed length against max_len before anything is allocated.
 * On RDB_ERR_TYPE, *type is the RDB object type byte. */
int rdb_restore_string(const void *payload, size_t len, size_t max_len,
                       struct buf *out, int *type);

/* The Redis data type an RDB object type byte holds ("list", "hash",
 * ...), NULL if the byte is no object type Redis 7.0 knows. */
const char *rdb_type_name(int type);

#endif
