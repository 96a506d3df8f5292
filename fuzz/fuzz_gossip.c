/* libFuzzer target: the membership table peers send (DKV.GOSSIP). Each
 * line either parses strictly or is refused; a parsed line formats back
 * to a line that parses to the same entry. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gossip.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;

    while (p < end) {
        const char *nl = memchr(p, '\n', end - p);
        struct gossip_entry e, f;
        char line[GOSSIP_LINE_MAX];
        int n;

        if (nl == NULL) nl = end;
        if (gossip_parse_line(p, nl - p, &e) == DKV_OK) {
            n = gossip_format_line(&e, line);
            if (n <= 1 || n >= GOSSIP_LINE_MAX ||
                gossip_parse_line(line, n - 1, &f) != DKV_OK ||
                f.id != e.id || f.port != e.port || f.gen != e.gen ||
                f.hb != e.hb || f.state != e.state ||
                f.progress != e.progress || strcmp(f.host, e.host) != 0)
                __builtin_trap();
        }
        p = nl + 1;
    }
    return 0;
}
