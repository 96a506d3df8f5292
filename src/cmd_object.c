/* Introspection of one key: OBJECT (ENCODING, REFCOUNT, FREQ, IDLETIME,
 * HELP) and MEMORY (USAGE, DOCTOR, HELP). In a cluster they are
 * coordinated like GET (their table rows name the key: argv[2] for the
 * containers), so they describe the merged value, not one replica's.
 *
 * OBJECT ENCODING answers what Redis would choose for the value's bytes:
 * "int" for an integer string2ll accepts in at most 20 characters, else
 * "embstr" up to 44 bytes, else "raw". dkv keeps every value as bytes in
 * a version set, so a value Redis would have turned raw by APPEND or
 * SETRANGE still reads as its bytes suggest. MEMORY USAGE is what the key
 * costs the store: its encoded version set (clocks, siblings, tombstones)
 * plus the key and Berkeley DB's per-record overhead. dkv keeps no access
 * times or LFU counters: FREQ answers Redis's own refusal (no LFU policy,
 * which is true here) and IDLETIME is refused naming dkv. */
#include <string.h>
#include <strings.h>

#include "client.h"
#include "commands.h"
#include "db.h"
#include "server.h"
#include "t_string.h"
#include "util.h"
#include "version.h"

#define EMBSTR_MAX 44           /* Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT */
#define INT_ENCODING_MAX 20     /* longest string Redis tries as a long */
/* A BDB btree leaf item: two item headers and index slots, page share. */
#define STORE_RECORD_OVERHEAD 32

/* Loads the key at argv[i]; 1 with s filled and the value in p/len when
 * it is live, 0 when it replied (nil or an error). */
static int
load_live(struct client *c, int i, struct vset *s, struct buf *tmp,
          const char **p, size_t *len)
{
    const struct version *winner;

    if (kv_load(c, c->argv[i], c->argvlen[i], s) != DKV_OK) return 0;
    if (!db_value(s, server.now_ms, tmp, p, len, &winner)) {
        reply_null(c);
        vset_free(s);
        return 0;
    }
    return 1;
}

static const char *
encoding_of(const char *p, size_t len)
{
    long long v;

    if (len <= INT_ENCODING_MAX && string2ll(p, len, &v)) return "int";
    return len <= EMBSTR_MAX ? "embstr" : "raw";
}

void
object_command(struct client *c)
{
    const char *sub = c->argv[1];
    struct vset s;
    struct buf tmp;
    const char *p;
    size_t len;

    if (!strcasecmp(sub, "help")) {
        static const char *const help[] = {
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to "
            "store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key> (dkv keeps "
            "none: refused).",
            "IDLETIME <key>",
            "    Refused: dkv does not track key access times.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated "
            "with the specified",
            "    <key> (always 1 in dkv: values are not shared).",
            "HELP",
            "    Prints this help.",
        };
        if (subcommand_arity_ok(c, 2))
            reply_help(c, help, sizeof(help) / sizeof(help[0]));
        return;
    }
    if (strcasecmp(sub, "encoding") && strcasecmp(sub, "refcount") &&
        strcasecmp(sub, "freq") && strcasecmp(sub, "idletime")) {
        reply_subcommand_unknown(c);
        return;
    }
    if (!subcommand_arity_ok(c, 3)) return;
    buf_init(&tmp);
    if (!load_live(c, 2, &s, &tmp, &p, &len)) {
        buf_free(&tmp);
        return;
    }
    if (!strcasecmp(sub, "encoding")) {
        reply_bulk_cstr(c, encoding_of(p, len));
    } else if (!strcasecmp(sub, "refcount")) {
        reply_ll(c, 1);
    } else if (!strcasecmp(sub, "freq")) {
        reply_error(c, "ERR An LFU maxmemory policy is not selected, access "
                    "frequency not tracked. Please note that when switching "
                    "between policies at runtime LRU and LFU data will take "
                    "some time to adjust.");
    } else {
        reply_error(c, "ERR dkv does not track key access times (OBJECT "
                    "IDLETIME)");
    }
    buf_free(&tmp);
    vset_free(&s);
}

void
memory_command(struct client *c)
{
    const char *sub = c->argv[1];

    if (!strcasecmp(sub, "usage")) {
        struct vset s;
        struct buf tmp, enc;
        const char *p;
        size_t len;
        long long samples;

        if (!subcommand_arity_ok(c, -3)) return;
        /* SAMPLES counts nested elements in Redis; strings have none. */
        if (c->argc != 3 &&
            (c->argc != 5 || strcasecmp(c->argv[3], "samples") ||
             !string2ll(c->argv[4], c->argvlen[4], &samples))) {
            if (c->argc == 5 && !strcasecmp(c->argv[3], "samples"))
                reply_not_integer(c);
            else
                reply_syntax_error(c);
            return;
        }
        buf_init(&tmp);
        if (!load_live(c, 2, &s, &tmp, &p, &len)) {
            buf_free(&tmp);
            return;
        }
        buf_init(&enc);
        vset_encode(&s, &enc);
        reply_ll(c, (long long)(enc.len + c->argvlen[2] +
                                STORE_RECORD_OVERHEAD));
        buf_free(&enc);
        buf_free(&tmp);
        vset_free(&s);
    } else if (!strcasecmp(sub, "doctor")) {
        static const char text[] =
            "dkv has no memory doctor: memory is the store's cache "
            "(cache-size, INFO memory store_cache_size) plus bounded "
            "per-client buffers; MEMORY USAGE <key> shows what a key costs.";
        if (subcommand_arity_ok(c, 2))
            reply_verbatim(c, text, sizeof(text) - 1, "txt");
    } else if (!strcasecmp(sub, "stats") || !strcasecmp(sub, "purge") ||
               !strcasecmp(sub, "malloc-stats")) {
        reply_errorf(c, "ERR dkv does not offer MEMORY %s (see INFO memory)",
                     sub);
    } else if (!strcasecmp(sub, "help")) {
        static const char *const help[] = {
            "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR",
            "    Return memory problems reports.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value (in "
            "dkv: its record in the store).",
            "HELP",
            "    Prints this help.",
        };
        if (subcommand_arity_ok(c, 2))
            reply_help(c, help, sizeof(help) / sizeof(help[0]));
    } else {
        reply_subcommand_unknown(c);
    }
}
