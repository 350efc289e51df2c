/* test_store.c — several processes sharing one token store (token_store_dir)
 * through the public header: 8 processes started together on a cold store
 * cause exactly one token request, and a process killed while it holds the
 * store's lock (its token request hangs) does not block the next one.
 * The workers are this program re-run with "worker <config>" (posix_spawn
 * of /proc/self/exe: no fork of a process running the Go runtime). */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

extern char **environ;

#define WORKERS 8

static test_server as;

/* worker gets one token and prints it: exit 0 on success. */
static int worker(const char *config) {
    mcp_oauth *h = NULL;
    char *tok = NULL, *err = NULL;
    int rc = mcp_oauth_new(config, &h, &err);
    if (rc == MCP_OAUTH_OK) rc = mcp_oauth_get_token(h, &tok, &err);
    if (rc == MCP_OAUTH_OK) printf("%s\n", tok);
    else fprintf(stderr, "worker: %s: %s\n", mcp_oauth_strerror(rc), err ? err : "");
    mcp_oauth_string_free(tok);
    mcp_oauth_string_free(err);
    mcp_oauth_free(h);
    return rc == MCP_OAUTH_OK ? 0 : 1;
}

static long count(const char *key) {
    http_response r;
    char url[1024];
    snprintf(url, sizeof url, "%s/_test/counts", as.url);
    if (http_request("GET", url, NULL, &r) != 0) return -1;
    return json_int(r.body, key);
}

static void control(const char *path, const char *body) {
    http_response r;
    char url[1024];
    snprintf(url, sizeof url, "%s%s", as.url, path);
    http_request("POST", url, body, &r);
}

/* spawn runs a worker whose stdout goes to out_fd (-1: inherited). */
static pid_t spawn(const char *config, int out_fd) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (out_fd >= 0) posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    char *argv[] = {"test_store", "worker", (char *)config, NULL};
    pid_t pid = -1;
    if (posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

static int exit_code(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void store_config(char *cfg, size_t size, const char *dir) {
    snprintf(cfg, size,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\","
             "\"token_store_dir\":\"%s\",\"http_timeout_seconds\":30}",
             as.url, dir);
}

static void test_cold_store_one_request(void) {
    char dir[] = "/tmp/mcp-oauth-store-XXXXXX", sub[600], cfg[2048];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(sub, sizeof sub, "%s/tokens", dir);
    store_config(cfg, sizeof cfg, sub);
    control("/_test/reset", "{}");
    control("/_test/config", "{\"latency_ms\":300}"); /* the processes overlap */

    FILE *out = tmpfile();
    pid_t pids[WORKERS];
    for (int i = 0; i < WORKERS; i++) pids[i] = spawn(cfg, fileno(out));
    int ok = 0;
    for (int i = 0; i < WORKERS; i++) ok += pids[i] > 0 && exit_code(pids[i]) == 0;
    CHECK(ok == WORKERS);
    CHECK(count("token") == 1);

    /* every process printed the same token */
    char line[4096], first[4096] = "";
    int lines = 0, same = 0;
    rewind(out);
    while (fgets(line, sizeof line, out)) {
        if (!lines++) snprintf(first, sizeof first, "%s", line);
        same += strcmp(line, first) == 0;
    }
    fclose(out);
    CHECK(lines == WORKERS && same == WORKERS);
    printf("%d processes on a cold store: %ld token request(s)\n", WORKERS, count("token"));
    control("/_test/reset", "{}");
    char rm[700];
    snprintf(rm, sizeof rm, "rm -rf %s", dir);
    CHECK(system(rm) == 0);
}

static void test_killed_lock_holder(void) {
    char dir[] = "/tmp/mcp-oauth-store-XXXXXX", sub[600], cfg[2048];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(sub, sizeof sub, "%s/tokens", dir);
    store_config(cfg, sizeof cfg, sub);
    control("/_test/reset", "{}");
    control("/_test/fail", "{\"count\":1,\"mode\":\"hang\"}");

    pid_t holder = spawn(cfg, -1);
    CHECK(holder > 0);
    double deadline = now_s() + 10;
    while (count("token") < 1 && now_s() < deadline) usleep(10000);
    CHECK(count("token") == 1); /* the holder's request hangs, under the lock */
    kill(holder, SIGKILL);
    CHECK(exit_code(holder) == -1);

    double start = now_s();
    int devnull = open("/dev/null", O_WRONLY);
    pid_t next = spawn(cfg, devnull);
    close(devnull);
    CHECK(next > 0 && exit_code(next) == 0);
    double took = now_s() - start;
    CHECK(took < 5); /* not the holder's 30 s timeout */
    CHECK(count("token") == 2);
    printf("after the lock holder was killed, the next process got its token in %.0f ms\n", took * 1000);
    char rm[700];
    snprintf(rm, sizeof rm, "rm -rf %s", dir);
    CHECK(system(rm) == 0);
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "worker") == 0) return worker(argv[2]);
    if (server_start(&as, NULL) != 0) {
        fprintf(stderr, "cannot start the test authorization server\n");
        return 1;
    }
    test_cold_store_one_request();
    test_killed_lock_holder();
    server_stop(&as);
    printf("test_store: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
