/* The C unit tests' whole framework: test_cond() prints one "[ok]" or
 * "[err]" line per check and counts; unit_main.c prints the totals. */
#ifndef DKV_TESTHELP_H
#define DKV_TESTHELP_H

#include <stdio.h>

extern int unit_passed;
extern int unit_failed;
extern const char *unit_group;

#define test_cond(descr, cond) do {                                       \
    if (cond) {                                                           \
        unit_passed++;                                                    \
        printf("[ok] %s: %s\n", unit_group, descr);                       \
    } else {                                                              \
        unit_failed++;                                                    \
        printf("[err] %s: %s (%s:%d)\n", unit_group, descr, __FILE__,     \
               __LINE__);                                                 \
    }                                                                     \
} while (0)

#endif
