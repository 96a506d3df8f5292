/* Unit tests of util.c: Redis's number formats and glob matching, which
 * clients observe directly (INCR errors, INCRBYFLOAT output, KEYS). */
#include <string.h>
#include <limits.h>

#include "testhelp.h"
#include "../util.h"

static int
ll_ok(const char *s, long long want)
{
    long long v;
    return string2ll(s, strlen(s), &v) && v == want;
}

static int
ll_bad(const char *s)
{
    long long v;
    return !string2ll(s, strlen(s), &v);
}

static int
ld_is(long double v, const char *want)
{
    char buf[128];
    ld2string(buf, sizeof(buf), v);
    return strcmp(buf, want) == 0;
}

static int
match(const char *p, const char *s)
{
    return string_match(p, strlen(p), s, strlen(s), 0);
}

int
test_util(void)
{
    long long m;
    char buf[32];

    test_cond("string2ll accepts canonical integers",
              ll_ok("0", 0) && ll_ok("-1", -1) && ll_ok("123", 123) &&
              ll_ok("9223372036854775807", LLONG_MAX) &&
              ll_ok("-9223372036854775808", LLONG_MIN));
    test_cond("string2ll refuses what Redis refuses",
              ll_bad("") && ll_bad(" 1") && ll_bad("1 ") && ll_bad("+1") &&
              ll_bad("01") && ll_bad("-0") && ll_bad("1a") && ll_bad("-") &&
              ll_bad("9223372036854775808") &&
              ll_bad("-9223372036854775809"));
    test_cond("ll2string round-trips the extremes",
              ll2string(buf, sizeof(buf), LLONG_MIN) == 20 &&
              !strcmp(buf, "-9223372036854775808"));
    test_cond("ld2string prints INCRBYFLOAT results as Redis does",
              ld_is(10.5L, "10.5") && ld_is(3.0L, "3") &&
              ld_is(5000.0L, "5000") && ld_is(-0.25L, "-0.25"));
    test_cond("glob * ? [] and escapes",
              match("*", "anything") && match("h?llo", "hello") &&
              match("h[ae]llo", "hallo") && !match("h[ae]llo", "hillo") &&
              match("h[^e]llo", "hallo") && !match("h[^e]llo", "hello") &&
              match("h[a-b]llo", "hbllo") && match("h\\*llo", "h*llo") &&
              !match("h\\*llo", "hello") && match("user:*:name", "user:42:name"));
    test_cond("glob nocase", string_match("HELLO", 5, "hello", 5, 1));
    test_cond("memory units as redis.conf",
              parse_memory("1kb", &m) && m == 1024 &&
              parse_memory("1k", &m) && m == 1000 &&
              parse_memory("512MB", &m) && m == 512LL * 1024 * 1024 &&
              parse_memory("1gb", &m) && m == 1024LL * 1024 * 1024 &&
              !parse_memory("-1", &m) && !parse_memory("10xb", &m) &&
              !parse_memory("", &m));
    return 0;
}
