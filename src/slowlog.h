/* The slow log (SLOWLOG): the last slowlog-max-len commands that took at
 * least slowlog-log-slower-than microseconds, with their arguments
 * trimmed as Redis trims them. */
#ifndef DKV_SLOWLOG_H
#define DKV_SLOWLOG_H

#include <stddef.h>

struct client;

/* Logs a command of usec microseconds if it is slow enough; c may be NULL
 * (a coordinated request whose client left). */
void slowlog_push(struct client *c, int argc, char **argv,
                  const size_t *argvlen, long long usec);
/* slowlog-max-len changed: drop the oldest entries past it. */
void slowlog_apply_max_len(void);

#endif
