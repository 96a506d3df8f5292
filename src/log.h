/* Logging in Redis's line format ("pid:role dd Mon yyyy hh:mm:ss.mmm L msg")
 * and the two invariant checks, dkv_assert() and dkv_panic(), which print
 * file:line and abort. */
#ifndef DKV_LOG_H
#define DKV_LOG_H

enum log_level {
    LL_DEBUG = 0,
    LL_VERBOSE,
    LL_NOTICE,
    LL_WARNING
};

extern int log_verbosity;          /* messages below this level are dropped */
void log_set_file(const char *path);  /* NULL or "" = stdout */
void log_reopen(void);
void log_msg(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_panic_(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

#define log_debug(...)   do { if (log_verbosity <= LL_DEBUG) log_msg(LL_DEBUG, __VA_ARGS__); } while (0)
#define log_verbose(...) do { if (log_verbosity <= LL_VERBOSE) log_msg(LL_VERBOSE, __VA_ARGS__); } while (0)
#define log_notice(...)  log_msg(LL_NOTICE, __VA_ARGS__)
#define log_warn(...)    log_msg(LL_WARNING, __VA_ARGS__)

#define dkv_panic(...) log_panic_(__FILE__, __LINE__, __VA_ARGS__)
#define dkv_assert(e) \
    do { if (!(e)) log_panic_(__FILE__, __LINE__, "assertion failed: %s", #e); } while (0)

#endif
