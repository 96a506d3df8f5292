/* libFuzzer target: the client request parser (resp_parse.c: hiredis's
 * reader for multibulk, ours for inline). Any bytes, fed in two chunks,
 * must give requests or a protocol error, never a crash or a leak, and
 * every argument must be as long as it says. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "resp_parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct req_parser p;
    size_t cut = size ? data[0] % (size + 1) : 0;

    reqp_init(&p, 1024 * 1024);
    reqp_feed(&p, (const char *)data, cut);
    for (int round = 0; round < 2; round++) {
        for (;;) {
            enum req_status st = reqp_next(&p);
            if (st != REQ_OK) break;
            for (int i = 0; i < p.argc; i++)
                if (strlen(p.argv[i]) > p.argvlen[i]) __builtin_trap();
        }
        if (round == 0) reqp_feed(&p, (const char *)data + cut, size - cut);
    }
    reqp_free(&p);
    return 0;
}
