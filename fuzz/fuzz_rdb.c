/* libFuzzer target: RESTORE's payload decoder (rdb.c), which reads bytes
 * any client sends. The CRC would stop the fuzzer at the door, so most
 * inputs get a valid footer appended (first byte even): what follows is
 * the RDB object itself. A string that decodes must dump and decode back
 * to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rdb.h"
#include "util.h"

#define FUZZ_MAX_LEN (1 << 20)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf in, out, enc, again;
    int type;

    if (size == 0) return 0;
    buf_init(&in);
    buf_init(&out);
    buf_init(&enc);
    buf_init(&again);
    buf_append(&in, data + 1, size - 1);
    if (!(data[0] & 1)) {
        uint64_t crc;
        buf_put_u8(&in, RDB_VERSION);
        buf_put_u8(&in, 0);
        crc = rdb_crc64(0, in.p, in.len);
        for (int i = 0; i < 8; i++) buf_put_u8(&in, (uint8_t)(crc >> (8 * i)));
    }
    if (rdb_restore_string(in.p, in.len, FUZZ_MAX_LEN, &out, &type) ==
        RDB_OK) {
        rdb_dump_string(out.p, out.len, &enc);
        if (rdb_restore_string(enc.p, enc.len, FUZZ_MAX_LEN, &again,
                               &type) != RDB_OK ||
            again.len != out.len ||
            (out.len && memcmp(again.p, out.p, out.len) != 0))
            __builtin_trap();
    }
    buf_free(&in);
    buf_free(&out);
    buf_free(&enc);
    buf_free(&again);
    return 0;
}
