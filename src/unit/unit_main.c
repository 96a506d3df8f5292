/* Runner of the C unit tests of the pure modules: `dkv-unit [group]`.
 * Each group is one function; the last line is "unit: N passed, N failed"
 * which the Tcl runner adds to the suite's totals. */
#include <stdio.h>
#include <string.h>

#include "testhelp.h"

int unit_passed;
int unit_failed;
const char *unit_group = "";

int test_util(void);
int test_vclock(void);
int test_version(void);
int test_resp(void);
int test_ring(void);
int test_merkle(void);
int test_rdb(void);
int test_keyspace(void);

static const struct {
    const char *name;
    int (*fn)(void);
} groups[] = {
    { "util", test_util },
    { "vclock", test_vclock },
    { "version", test_version },
    { "resp", test_resp },
    { "ring", test_ring },
    { "merkle", test_merkle },
    { "rdb", test_rdb },
    { "keyspace", test_keyspace },
};

int
main(int argc, char **argv)
{
    int ran = 0;

    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
        if (argc > 1 && strcmp(argv[1], groups[i].name)) continue;
        unit_group = groups[i].name;
        groups[i].fn();
        ran++;
    }
    if (!ran) {
        fprintf(stderr, "no test group named %s\n", argv[1]);
        return 2;
    }
    printf("unit: %d passed, %d failed\n", unit_passed, unit_failed);
    return unit_failed ? 1 : 0;
}
