/* check.h — the assertion macros and pass/fail counters shared by the C test
 * programs (each program includes it once). */
#ifndef MCP_OAUTH_TEST_CHECK_H
#define MCP_OAUTH_TEST_CHECK_H

#include <stdio.h>

#include "mcp_oauth.h"

static int passed, failed;

/* CHECK counts a condition. */
#define CHECK(cond)                                                        \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
        } else {                                                           \
            failed++;                                                      \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                  \
    } while (0)

/* CHECK_RC counts a call returning the wanted status code. */
#define CHECK_RC(expr, want)                                                              \
    do {                                                                                  \
        int rc_ = (expr);                                                                 \
        if (rc_ == (want)) {                                                              \
            passed++;                                                                     \
        } else {                                                                          \
            failed++;                                                                     \
            fprintf(stderr, "FAIL %s:%d: %s = %d (%s), want %d\n", __FILE__, __LINE__, #expr, \
                    rc_, mcp_oauth_strerror(rc_), (want));                                \
        }                                                                                 \
    } while (0)

#endif
