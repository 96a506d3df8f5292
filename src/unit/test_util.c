/* Unit tests of util.c: Redis's number formats and glob matching, which
 * clients observe directly (INCR errors, INCRBYFLOAT output, KEYS). */
#include <string.h>
#include <limits.h>
#include <time.h>

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

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Milliseconds to match a pattern of n "a*" and a final "b" against 4096
 * 'a's (no match); *m gets the result. Exponential backtracking took 30 s
 * for n = 8. */
static double
glob_stars_ms(int n, int *m)
{
    static char pat[4096], str[4096];
    double t0;
    int len = 0;

    for (int i = 0; i < n && len < (int)sizeof(pat) - 3; i++) {
        pat[len++] = 'a';
        pat[len++] = '*';
    }
    pat[len++] = 'b';
    memset(str, 'a', sizeof(str));
    t0 = now_ms();
    *m = string_match(pat, len, str, sizeof(str), 0);
    return now_ms() - t0;
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
    test_cond("glob nocase", string_match("HELLO", 5, "hello", 5, 1) &&
              string_match("h[A-C]llo", 9, "hbllo", 5, 1) &&
              string_match("h[a-c]llo", 9, "HBLLO", 5, 1) &&
              !string_match("h[\\A]llo", 9, "hallo", 5, 1));
    test_cond("glob edge cases as Redis 7's stringmatchlen",
              match("a*", "a") && match("a**", "a") && !match("*a", "") &&
              !match("*", "") && !match("?", "") && match("", "") &&
              !match("", "a") && match("[a-]", "a") && match("[a-]", "_") &&
              !match("[a-]", "-") && match("[z-a]", "q") &&
              match("[abc", "c") && !match("[abc", "ab") &&
              match("\\", "\\") && match("a\\", "a\\") &&
              match("[\\]]", "]") && !match("[^]a]", "b") &&
              match("[^]a]", "ba]") && match("*[x]*", "aaxaa") &&
              match("a*b*c", "aXbYc") && !match("a*b*c", "aXbYd") &&
              match("*.txt", "dir/file.txt"));
    {
        int m8, m100, mdeep, ok;
        double t8 = glob_stars_ms(8, &m8), t100 = glob_stars_ms(100, &m100);
        double tdeep = glob_stars_ms(1500, &mdeep);
        static char pat[3000], str[1500];

        /* Redis's nesting cap: 1500 "a*" do not match 1500 'a's. */
        for (int i = 0; i < 1500; i++) {
            pat[2 * i] = 'a';
            pat[2 * i + 1] = '*';
        }
        memset(str, 'a', sizeof(str));
        ok = string_match(pat, sizeof(pat), str, sizeof(str), 0);
        test_cond("glob stars are polynomial (8 and 100 stars, 4 KB key)",
                  !m8 && !m100 && t8 < 100 && t100 < 100);
        test_cond("glob nesting capped as Redis 7 (1500 stars: no match, fast)",
                  !mdeep && tdeep < 100 && !ok);
    }
    test_cond("memory units as redis.conf",
              parse_memory("1kb", &m) && m == 1024 &&
              parse_memory("1k", &m) && m == 1000 &&
              parse_memory("512MB", &m) && m == 512LL * 1024 * 1024 &&
              parse_memory("1gb", &m) && m == 1024LL * 1024 * 1024 &&
              !parse_memory("-1", &m) && !parse_memory("10xb", &m) &&
              !parse_memory("", &m));
    return 0;
}
