/* libFuzzer target: the client context decoder (SET ... CONTEXT ctx). A
 * context that decodes must encode back to itself. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "version.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vclock vc;
    struct buf out;

    vclock_init(&vc);
    if (context_decode((const char *)data, size, &vc) == DKV_OK) {
        buf_init(&out);
        context_encode(&vc, &out);
        if (out.len != size || memcmp(out.p, data, size) != 0)
            __builtin_trap();
        buf_free(&out);
    }
    vclock_free(&vc);
    return 0;
}
