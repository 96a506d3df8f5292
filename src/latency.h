/* Per-command accounting for INFO commandstats/errorstats/latencystats and
 * LATENCY: a log-linear latency histogram per command (the bucket layout
 * of hdr_histogram with 2 significant digits over 1 ns .. 1 s, which is
 * what Redis 7 uses, so percentiles and LATENCY HISTOGRAM buckets read the
 * same as Redis's), and the count of error replies by their first word. */
#ifndef DKV_LATENCY_H
#define DKV_LATENCY_H

#include <stdint.h>

struct buf;
struct command;

#define LAT_HIST_SUB_HALF_MAG 7                  /* 2 significant digits */
#define LAT_HIST_SUB_HALF (1 << LAT_HIST_SUB_HALF_MAG)
#define LAT_HIST_BUCKETS 23                      /* covers up to 1e9 ns */
#define LAT_HIST_COUNTS ((LAT_HIST_BUCKETS + 1) * LAT_HIST_SUB_HALF)
#define LAT_HIST_MIN_NS 1LL
#define LAT_HIST_MAX_NS 1000000000LL             /* longer counts as 1 s */

/* 24 KB, allocated on a command's first call. */
struct latency_hist {
    long long total;
    long long counts[LAT_HIST_COUNTS];
};

/* Records one call of usec microseconds in cmd's histogram (when
 * latency-tracking is on). */
void latency_record(struct command *cmd, long long usec);
/* Counts one error reply by its code (the first word, as Redis does). */
void latency_count_error(const char *msg, size_t len);
/* INFO sections; CONFIG RESETSTAT. */
void latency_info_latencystats(struct buf *b);
void latency_info_errorstats(struct buf *b);
void latency_reset_stats(void);
/* Parses a latency-tracking-info-percentiles value ("50 99 99.9");
 * NULL if valid, else the reason. */
const char *latency_check_percentiles(const char *s);
void latency_apply_percentiles(void);

#endif
