/* Logging in Redis's line format and the invariant checks (see log.h).
 * One line per event; the file is reopened by path on every open so that
 * a rotated log file is picked up by log_reopen(). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

int log_verbosity = LL_NOTICE;
static char *log_path;   /* NULL = stdout */
static FILE *log_fp;

void
log_set_file(const char *path)
{
    free(log_path);
    log_path = (path && path[0]) ? xstrdup(path) : NULL;
    log_reopen();
}

void
log_reopen(void)
{
    if (log_fp && log_fp != stdout) fclose(log_fp);
    log_fp = NULL;
    if (log_path) log_fp = fopen(log_path, "a");
    if (log_fp == NULL) log_fp = stdout;
}

static void
log_line(FILE *fp, int level, const char *msg)
{
    static const char marks[] = {
        [LL_DEBUG] = '.', [LL_VERBOSE] = '-', [LL_NOTICE] = '*',
        [LL_WARNING] = '#',
    };
    struct timeval tv;
    struct tm tm;
    char ts[64];
    int off;

    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    off = (int)strftime(ts, sizeof(ts), "%d %b %Y %H:%M:%S.", &tm);
    snprintf(ts + off, sizeof(ts) - off, "%03d", (int)(tv.tv_usec / 1000));
    fprintf(fp, "%d:M %s %c %s\n", (int)getpid(), ts, marks[level], msg);
    fflush(fp);
}

void
log_msg(int level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (level < log_verbosity) return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (log_fp == NULL) log_fp = stdout;
    log_line(log_fp, level, msg);
}

void
log_panic_(const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    char full[1200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(full, sizeof(full), "=== ASSERTION FAILED === %s:%d: %s",
             file, line, msg);
    if (log_fp == NULL) log_fp = stdout;
    log_line(log_fp, LL_WARNING, full);
    if (log_fp != stdout) log_line(stderr, LL_WARNING, full);
    abort();
}
