/* Configuration: one table of directives (name, type, field in struct
 * server, default, bounds, runtime-settable) read from the config file and
 * `--directive value` arguments exactly as redis-server does, and served to
 * CONFIG GET / SET / REWRITE. */
#ifndef DKV_CONFIG_H
#define DKV_CONFIG_H

#include <stddef.h>

/* Sets every default, then reads argv as redis-server does:
 * `dkv-server [file] [--name value ...]` (also `-` for stdin). On an
 * unknown directive, a bad value or a value out of bounds it prints
 *   *** FATAL CONFIG FILE ERROR (dkv) ***
 *   Reading the configuration file, at line N
 *   >>> 'the line'
 *   reason
 * to stderr and exits(1). `--help`/`--version` print and exit(0). */
void config_load(int argc, char **argv);

/* CONFIG GET: fn is called with each directive whose name matches the
 * glob pattern (case-insensitive), in table order. */
typedef void (*config_get_fn)(void *priv, const char *name,
                              const char *value);
void config_get(const char *pattern, config_get_fn fn, void *priv);

/* CONFIG SET name value: validates, applies (calling the directive's apply
 * hook, e.g. loglevel changes the logger). Returns 0 or -1 with err filled
 * with the text after "ERR " that Redis would send, e.g.
 * "Unknown option or number of arguments for CONFIG SET - 'foo'". */
int config_set(const char *name, const char *value, char *err,
               size_t errlen);

/* CONFIG REWRITE: rewrites the config file in place, keeping comments and
 * unknown-to-us lines, updating or appending changed directives. */
int config_rewrite(char *err, size_t errlen);

#endif
