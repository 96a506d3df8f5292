/* LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the longest
 * common subsequence of two string values, as Redis 7.0 computes it (the
 * dynamic-programming table of LCS lengths, then a backtrack from its
 * corner that yields the subsequence and the matching ranges, last match
 * first). Missing keys are empty strings; a counter reads as its decimal
 * string.
 *
 * The table has (len1+1) x (len2+1) 32-bit cells: its size is computed
 * without overflow and refused past proto-max-bulk-len, as in Redis, so
 * the transient memory is at most proto-max-bulk-len and the time about
 * one table fill (proto-max-bulk-len / 4 cells). The table and backtrack
 * (lcs_compute) are apart from loading, so a coordinator that gathered
 * the two values itself can call the same code. */
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <stdint.h>

#include "client.h"
#include "commands.h"
#include "db.h"
#include "server.h"
#include "t_string.h"

static struct buf valbuf[2];  /* counters-to-strings scratch, one per key */

/* One matching range: a[astart..aend] equals b[bstart..bend]. */
struct lcs_range {
    uint32_t astart, aend, bstart, bend;
};

/* What lcs_compute gives: the subsequence (seq, len bytes; NULL when not
 * asked for) and the ranges at least minmatchlen long (NULL when not
 * asked for). */
struct lcs_result {
    uint32_t len;
    char *seq;
    struct lcs_range *ranges;
    uint32_t nranges;
};

/* Why lcs_compute refused: the table would pass max_table bytes. */
#define LCS_TOO_BIG (-2)

/* The LCS of a and b (lengths below 4 G, checked by the caller) with a
 * table of at most max_table bytes. Returns DKV_OK or LCS_TOO_BIG. */
static int
lcs_compute(const char *a, uint32_t alen, const char *b, uint32_t blen,
            long long max_table, int want_seq, int want_ranges,
            long long minmatchlen, struct lcs_result *out)
{
    uint64_t cells, bytes;
    uint32_t *lcs;
    uint32_t i, j, idx;
    uint32_t arange_start = alen, arange_end = 0;
    uint32_t brange_start = 0, brange_end = 0;
    size_t room = 0;

    memset(out, 0, sizeof(*out));
    /* Both factors fit 32 bits, so the product fits 64; the byte count
     * is checked. */
    cells = (uint64_t)(alen + 1ULL) * (blen + 1ULL);
    if (__builtin_mul_overflow(cells, sizeof(uint32_t), &bytes) ||
        bytes > (uint64_t)max_table || bytes > SIZE_MAX)
        return LCS_TOO_BIG;
    lcs = xmalloc((size_t)bytes);
#define LCS(A, B) lcs[(size_t)(B) + (size_t)(A) * (blen + 1)]
    for (i = 0; i <= alen; i++) {
        for (j = 0; j <= blen; j++) {
            if (i == 0 || j == 0) {
                LCS(i, j) = 0;
            } else if (a[i - 1] == b[j - 1]) {
                LCS(i, j) = LCS(i - 1, j - 1) + 1;
            } else {
                uint32_t l1 = LCS(i - 1, j), l2 = LCS(i, j - 1);
                LCS(i, j) = l1 > l2 ? l1 : l2;
            }
        }
    }
    idx = out->len = LCS(alen, blen);
    if (!want_seq && !want_ranges) goto done;
    if (want_seq) out->seq = xmalloc(idx ? idx : 1);
    /* The backtrack, Redis's exactly (the ranges it reports, including
     * how it cuts them, are part of the reply). */
    i = alen;
    j = blen;
    while (i > 0 && j > 0) {
        int emit = 0;
        if (a[i - 1] == b[j - 1]) {
            if (out->seq) out->seq[idx - 1] = a[i - 1];
            if (arange_start == alen) {
                arange_start = arange_end = i - 1;
                brange_start = brange_end = j - 1;
            } else if (arange_start == i && brange_start == j) {
                arange_start--;
                brange_start--;
            } else {
                emit = 1;
            }
            if (arange_start == 0 || brange_start == 0) emit = 1;
            idx--;
            i--;
            j--;
        } else {
            if (LCS(i - 1, j) > LCS(i, j - 1)) i--;
            else j--;
            if (arange_start != alen) emit = 1;
        }
        if (emit) {
            uint32_t mlen = arange_end - arange_start + 1;
            if (want_ranges && (minmatchlen == 0 || mlen >= minmatchlen)) {
                if (out->nranges == room) {
                    room = room ? room * 2 : 16;
                    out->ranges = xrealloc(out->ranges,
                                           room * sizeof(*out->ranges));
                }
                out->ranges[out->nranges++] = (struct lcs_range){
                    arange_start, arange_end, brange_start, brange_end };
            }
            arange_start = alen;
        }
    }
#undef LCS
done:
    free(lcs);
    return DKV_OK;
}

static void
lcs_reply(struct client *c, const struct lcs_result *r, int getlen,
          int getidx, int withmatchlen)
{
    if (getidx) {
        reply_map_len(c, 2);
        reply_bulk_cstr(c, "matches");
        reply_array_len(c, r->nranges);
        for (uint32_t k = 0; k < r->nranges; k++) {
            const struct lcs_range *m = &r->ranges[k];
            reply_array_len(c, 2 + withmatchlen);
            reply_array_len(c, 2);
            reply_ll(c, m->astart);
            reply_ll(c, m->aend);
            reply_array_len(c, 2);
            reply_ll(c, m->bstart);
            reply_ll(c, m->bend);
            if (withmatchlen) reply_ll(c, m->aend - m->astart + 1);
        }
        reply_bulk_cstr(c, "len");
        reply_ll(c, r->len);
    } else if (getlen) {
        reply_ll(c, r->len);
    } else {
        reply_bulk(c, r->seq, r->len);
    }
}

void
lcs_command(struct client *c)
{
    struct vset s[2];
    const char *p[2];
    size_t len[2];
    long long minmatchlen = 0;
    int getlen = 0, getidx = 0, withmatchlen = 0, loaded = 0, rc;
    struct lcs_result r;

    /* Redis looks the keys up before it parses the options. */
    for (; loaded < 2; loaded++) {
        int k = loaded;
        if (kv_load(c, c->argv[1 + k], c->argvlen[1 + k], &s[k]) != DKV_OK)
            goto out;
        if (!db_value(&s[k], server.now_ms, &valbuf[k], &p[k], &len[k],
                      NULL)) {
            p[k] = "";
            len[k] = 0;
        }
    }
    for (int j = 3; j < c->argc; j++) {
        const char *opt = c->argv[j];
        int moreargs = c->argc - 1 - j;

        if (!strcasecmp(opt, "idx")) {
            getidx = 1;
        } else if (!strcasecmp(opt, "len")) {
            getlen = 1;
        } else if (!strcasecmp(opt, "withmatchlen")) {
            withmatchlen = 1;
        } else if (!strcasecmp(opt, "minmatchlen") && moreargs) {
            j++;
            if (kv_parse_ll(c, c->argv[j], c->argvlen[j], &minmatchlen) !=
                DKV_OK)
                goto out;
            if (minmatchlen < 0) minmatchlen = 0;
        } else {
            reply_syntax_error(c);
            goto out;
        }
    }
    if (getidx && getlen) {
        reply_error(c, "ERR If you want both the length and indexes, "
                    "please just use IDX.");
        goto out;
    }
    if (len[0] >= UINT32_MAX - 1 || len[1] >= UINT32_MAX - 1) {
        reply_error(c, "ERR String too long for LCS");
        goto out;
    }
    rc = lcs_compute(p[0], (uint32_t)len[0], p[1], (uint32_t)len[1],
                     server.proto_max_bulk_len, getidx || !getlen, getidx,
                     minmatchlen, &r);
    if (rc == LCS_TOO_BIG) {
        reply_error(c, "ERR Insufficient memory, transient memory for LCS "
                    "exceeds proto-max-bulk-len");
        goto out;
    }
    lcs_reply(c, &r, getlen, getidx, withmatchlen);
    free(r.seq);
    free(r.ranges);
out:
    for (int k = 0; k < loaded; k++) vset_free(&s[k]);
}
