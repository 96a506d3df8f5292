/* Membership table lines (see gossip.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gossip.h"
#include "util.h"

/* A number in base, the whole field, no sign, no spaces, in range. */
static int
parse_u64(const char *s, size_t len, int base, uint64_t *out)
{
    char tmp[32], *end;

    if (len == 0 || len >= sizeof(tmp)) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        int ok = (c >= '0' && c <= '9') ||
                 (base == 16 && ((c >= 'a' && c <= 'f') ||
                                 (c >= 'A' && c <= 'F')));
        if (!ok) return 0;
    }
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    *out = strtoull(tmp, &end, base);
    return *end == '\0';
}

int
gossip_host_ok(const char *host)
{
    unsigned char addr[16];

    return inet_pton(AF_INET, host, addr) == 1 ||
           inet_pton(AF_INET6, host, addr) == 1;
}

int
gossip_parse_line(const char *p, size_t len, struct gossip_entry *e)
{
    const char *f[7], *end = p + len;
    size_t flen[7];
    int nf = 0;
    uint64_t port, state, progress;

    for (const char *q = p; q <= end && nf < 8;) {
        const char *sp = memchr(q, ' ', end - q);
        if (sp == NULL) sp = end;
        if (nf == 7) return DKV_ERR;  /* an eighth field */
        f[nf] = q;
        flen[nf++] = sp - q;
        if (sp == end) break;
        q = sp + 1;
    }
    if (nf != 7 || !parse_u64(f[0], flen[0], 16, &e->id) ||
        flen[1] == 0 || flen[1] >= GOSSIP_HOST_MAX ||
        memchr(f[1], '\0', flen[1]) || memchr(f[1], '\n', flen[1]) ||
        !parse_u64(f[2], flen[2], 10, &port) || port < 1 || port > 65535 ||
        !parse_u64(f[3], flen[3], 10, &e->gen) ||
        !parse_u64(f[4], flen[4], 10, &e->hb) ||
        !parse_u64(f[5], flen[5], 10, &state) || state > GOSSIP_MAX_STATE ||
        !parse_u64(f[6], flen[6], 10, &progress) || progress > 100)
        return DKV_ERR;
    memcpy(e->host, f[1], flen[1]);
    e->host[flen[1]] = '\0';
    if (!gossip_host_ok(e->host)) return DKV_ERR;
    e->port = (int)port;
    e->state = (int)state;
    e->progress = (int)progress;
    return DKV_OK;
}

int
gossip_format_line(const struct gossip_entry *e, char *out)
{
    return snprintf(out, GOSSIP_LINE_MAX, "%016llx %s %d %llu %llu %d %d\n",
                    (unsigned long long)e->id, e->host, e->port,
                    (unsigned long long)e->gen, (unsigned long long)e->hb,
                    e->state, e->progress);
}
