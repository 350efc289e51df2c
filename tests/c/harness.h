/* harness.h — test support for the C tests: start the project's test
 * authorization server as a child process, and a minimal HTTP/1.1 client for
 * its control API and for following an authorization redirect headlessly. */
#ifndef MCP_OAUTH_TEST_HARNESS_H
#define MCP_OAUTH_TEST_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    int stdin_fd;   /* closing it makes the server exit (-watch-stdin) */
    char url[512];  /* the first line the server printed, e.g. http://127.0.0.1:40123 */
} test_server;

/* Starts $MCP_OAUTH_TEST_SERVER (default build/oauth-test-server) with
 * -watch-stdin and the given extra arguments (NULL-terminated). */
int server_start(test_server *s, const char *const extra_args[]);

/* Starts the program bin with -watch-stdin and extra_args; s->url receives
 * its first line of output. */
int server_start_bin(test_server *s, const char *bin, const char *const extra_args[]);
void server_stop(test_server *s);

/* http_request sends METHOD url with an optional JSON body and stores the
 * status, the Location header (if any) and the body (truncated). */
typedef struct {
    int status;
    char location[2048];
    char body[8192];
} http_response;
int http_request(const char *method, const char *url, const char *json_body, http_response *out);

/* json_int finds "key":<int> in a flat JSON text; -1 when absent. */
long json_int(const char *json, const char *key);

/* json_str copies the string value of "key" (without escapes) from a flat
 * JSON text, compact or indented, into out; returns 0, or -1 when absent. */
int json_str(const char *json, const char *key, char *out, size_t size);

#endif
