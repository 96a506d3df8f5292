/* Command documentation for COMMAND DOCS (placeholder until the full
 * table lands). */
#include <string.h>
#include "cmd_docs.h"

static const struct cmd_arg get_args[] = {
    { .name = "key", .type = ARG_KEY },
    { 0 }
};

const struct cmd_doc cmd_docs_table[] = {
    { .name = "get", .summary = "Returns the string value of a key.",
      .since = "1.0.0", .group = "string", .complexity = "O(1)",
      .args = get_args },
    { 0 }
};

const struct cmd_doc *
cmd_docs_lookup(const char *name)
{
    for (const struct cmd_doc *d = cmd_docs_table; d->name; d++)
        if (!strcmp(d->name, name)) return d;
    return NULL;
}
