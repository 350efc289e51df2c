/* test_store.c — several processes sharing one token store through the
 * public header, on a directory (token_store_dir) and on Redis (token_store,
 * a redis-server started here on a free loopback port with a temporary
 * directory): processes started together on a cold store cause exactly one
 * token request, and a process killed while it holds the store's lock (its
 * token request hangs) does not block the next one for long: on a directory
 * the kernel drops its flock, on Redis its lease (5 s) expires.
 * The workers are this program re-run with "worker <config>" (posix_spawn
 * of /proc/self/exe: no fork of a process running the Go runtime). */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

/* store_config writes a client-credentials configuration whose store is
 * the JSON member store ("\"token_store_dir\":\"...\"" or a token_store). */
static void store_config(char *cfg, size_t size, const char *store) {
    snprintf(cfg, size,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\","
             "%s,\"http_timeout_seconds\":30}",
             as.url, store);
}

/* A store for one test: a fresh directory, or a database of its own on
 * the test's redis-server; member is its JSON configuration member. */
typedef struct {
    char dir[64];
    char member[700];
} test_store_t;

static void dir_store(test_store_t *st) {
    snprintf(st->dir, sizeof st->dir, "/tmp/mcp-oauth-store-XXXXXX");
    CHECK(mkdtemp(st->dir) != NULL);
    snprintf(st->member, sizeof st->member, "\"token_store_dir\":\"%s/tokens\"", st->dir);
}

static void dir_store_remove(test_store_t *st) {
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", st->dir);
    CHECK(system(rm) == 0);
}

/* --- redis-server ---------------------------------------------------- */

static pid_t redis_pid = -1;
static int redis_port;
static char redis_dir[64];

/* redis_pong reports whether a server answers PING on the port. */
static int redis_pong(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char buf[16] = "";
    int ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && write(fd, "PING\r\n", 6) == 6 &&
             read(fd, buf, sizeof buf - 1) > 0 && strncmp(buf, "+PONG", 5) == 0;
    if (fd >= 0) close(fd);
    return ok;
}

/* redis_start runs redis-server on a free loopback port: 0 when it
 * answers, 1 when redis-server is not installed, -1 on failure. */
static int redis_start(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    redis_port = ntohs(a.sin_port);
    close(fd); /* free now: redis-server takes it */
    snprintf(redis_dir, sizeof redis_dir, "/tmp/mcp-oauth-redis-XXXXXX");
    if (!mkdtemp(redis_dir)) return -1;
    char port[16], log[128];
    snprintf(port, sizeof port, "%d", redis_port);
    snprintf(log, sizeof log, "%s/log", redis_dir);
    char *argv[] = {"redis-server", "--port", port, "--bind", "127.0.0.1", "--dir", redis_dir,
                    "--save", "", "--appendonly", "no", "--logfile", log, NULL};
    if (posix_spawnp(&redis_pid, "redis-server", NULL, NULL, argv, environ) != 0) return 1;
    double deadline = now_s() + 10;
    while (!redis_pong(redis_port)) {
        int status;
        if (waitpid(redis_pid, &status, WNOHANG) == redis_pid) {
            redis_pid = -1;
            return WIFEXITED(status) && WEXITSTATUS(status) == 127 ? 1 : -1; /* 127: not found */
        }
        if (now_s() > deadline) return -1;
        usleep(10000);
    }
    return 0;
}

static void redis_stop(void) {
    if (redis_pid > 0) {
        kill(redis_pid, SIGKILL);
        waitpid(redis_pid, NULL, 0);
        redis_pid = -1;
        char rm[128];
        snprintf(rm, sizeof rm, "rm -rf %s", redis_dir);
        CHECK(system(rm) == 0);
    }
}

/* redis_store names database db of the test's redis-server. */
static void redis_store(test_store_t *st, int db) {
    st->dir[0] = 0;
    snprintf(st->member, sizeof st->member, "\"token_store\":\"redis://127.0.0.1:%d/%d\"", redis_port, db);
}

/* --- the tests --------------------------------------------------------- */

static void test_cold_store_one_request(const test_store_t *st, int workers) {
    char cfg[2048];
    store_config(cfg, sizeof cfg, st->member);
    control("/_test/reset", "{}");
    control("/_test/config", "{\"latency_ms\":300}"); /* the processes overlap */

    FILE *out = tmpfile();
    pid_t pids[2 * WORKERS];
    for (int i = 0; i < workers; i++) pids[i] = spawn(cfg, fileno(out));
    int ok = 0;
    for (int i = 0; i < workers; i++) ok += pids[i] > 0 && exit_code(pids[i]) == 0;
    CHECK(ok == workers);
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
    CHECK(lines == workers && same == workers);
    printf("%d processes on a cold %s store: %ld token request(s)\n", workers, st->dir[0] ? "directory" : "Redis",
           count("token"));
    control("/_test/reset", "{}");
}

/* test_killed_lock_holder: bound is how long the next process may take
 * (the holder's request would take 30 s). */
static void test_killed_lock_holder(const test_store_t *st, double bound) {
    char cfg[2048];
    store_config(cfg, sizeof cfg, st->member);
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
    CHECK(took < bound);
    CHECK(count("token") == 2);
    printf("after the lock holder was killed, the next process got its token in %.0f ms (%s store)\n", took * 1000,
           st->dir[0] ? "directory" : "Redis");
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "worker") == 0) return worker(argv[2]);
    if (server_start(&as, NULL) != 0) {
        fprintf(stderr, "cannot start the test authorization server\n");
        return 1;
    }
    test_store_t st;
    dir_store(&st);
    test_cold_store_one_request(&st, WORKERS);
    dir_store_remove(&st);
    dir_store(&st);
    test_killed_lock_holder(&st, 5);
    dir_store_remove(&st);

    /* The fleet: 2 hosts x 8 processes on Redis, each test its own database. */
    int r = redis_start();
    if (r == 1 && !getenv("MCP_OAUTH_REQUIRE_REDIS")) {
        printf("redis-server is not installed: Redis store tests skipped\n");
    } else {
        CHECK(r == 0);
        if (r == 0) {
            redis_store(&st, 1);
            test_cold_store_one_request(&st, 2 * WORKERS);
            redis_store(&st, 2);
            test_killed_lock_holder(&st, 10); /* the 5 s lease, with room for a loaded machine */
        }
        redis_stop();
    }
    server_stop(&as);
    printf("test_store: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
