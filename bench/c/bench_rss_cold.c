/* bench_rss_cold.c — what loading libmcp_oauth costs a C process: memory and
 * start-up time. The library is loaded with dlopen, as a plugin or a
 * language binding would, so the figures include the Go runtime's start.
 *
 *   rss_kb <before dlopen> <after dlopen> <after the first token>
 *          <after 100 k cached get_token> <after 1 M cached get_token>
 *     VmRSS from /proc/self/status at each point, in KiB;
 *   rss_split_kb <file-backed> <anonymous>
 *     RssFile and RssAnon after 1 M calls: the library's mapped code and
 *     data against the Go runtime's heap and stacks;
 *   cold_start_us <median> <p10> <p90> <median from main()>
 *     over RUNS fresh processes: the time from just before fork() to the
 *     first token in hand in the child, which exec()s this program, dlopens
 *     the library, creates a handle and gets a client_credentials token from
 *     the local authorization server (loopback, no added latency); the last
 *     figure is the same time measured from the child's main().
 *
 * Usage: bench_rss_cold <library path> <authorization-server-url> */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 21

typedef int (*new_fn)(const char *, void **, char **);
typedef int (*get_token_fn)(void *, char **, char **);
typedef void (*string_free_fn)(char *);

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* status_kb reads one "<field>: <n> kB" line of /proc/self/status. */
static long status_kb(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, field, n) == 0 && line[n] == ':') kb = strtol(line + n + 1, NULL, 10);
    }
    if (f) fclose(f);
    return kb;
}

static long rss_kb(void) { return status_kb("VmRSS"); }

static int cmp(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* library is the loaded libmcp_oauth's functions this program calls. */
typedef struct {
    new_fn new_handle;
    get_token_fn get_token;
    string_free_fn string_free;
} library;

static library load(const char *path) {
    library l = {0};
    void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        fprintf(stderr, "bench_rss_cold: dlopen: %s\n", dlerror());
        exit(1);
    }
    l.new_handle = (new_fn)dlsym(so, "mcp_oauth_new");
    l.get_token = (get_token_fn)dlsym(so, "mcp_oauth_get_token");
    l.string_free = (string_free_fn)dlsym(so, "mcp_oauth_string_free");
    if (!l.new_handle || !l.get_token || !l.string_free) {
        fprintf(stderr, "bench_rss_cold: missing symbols\n");
        exit(1);
    }
    return l;
}

/* first_token creates a handle and gets its first token; the handle is kept
 * for the life of the process. */
static void *first_token(library l, const char *as_url) {
    char config[512], *tok = NULL, *err = NULL;
    void *h = NULL;
    snprintf(config, sizeof config,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\"}", as_url);
    if (l.new_handle(config, &h, &err) != 0 || l.get_token(h, &tok, &err) != 0) {
        fprintf(stderr, "bench_rss_cold: no first token: %s\n", err ? err : "");
        exit(1);
    }
    l.string_free(tok);
    return h;
}

static void get_tokens(library l, void *h, long n) {
    char *tok = NULL;
    for (long i = 0; i < n; i++) {
        if (l.get_token(h, &tok, NULL) != 0) exit(1);
        l.string_free(tok);
    }
}

static void rss(const char *lib, const char *as_url) {
    long before = rss_kb();
    library l = load(lib);
    long loaded = rss_kb();
    void *h = first_token(l, as_url);
    long first = rss_kb();
    get_tokens(l, h, 100000);
    long k100 = rss_kb();
    get_tokens(l, h, 900000);
    printf("rss_kb %ld %ld %ld %ld %ld\n", before, loaded, first, k100, rss_kb());
    printf("rss_split_kb %ld %ld\n", status_kb("RssFile"), status_kb("RssAnon"));
}

/* child is the fresh process of one cold start: it reports, on stdout, the
 * nanoseconds from the parent's fork() (t0) and from its own main() to its
 * first token. */
static int child(const char *lib, const char *as_url, long t0, long t_main) {
    first_token(load(lib), as_url);
    long t = now_ns();
    printf("%ld %ld\n", t - t0, t - t_main);
    return 0;
}

static void cold(char *self, const char *lib, const char *as_url) {
    long total[RUNS], in_main[RUNS];
    for (int i = 0; i < RUNS; i++) {
        int fds[2];
        if (pipe(fds) != 0) exit(1);
        char t0[32];
        snprintf(t0, sizeof t0, "%ld", now_ns());
        pid_t pid = fork();
        if (pid == 0) {
            dup2(fds[1], STDOUT_FILENO);
            close(fds[0]);
            close(fds[1]);
            execl("/proc/self/exe", self, "--child", lib, as_url, t0, (char *)NULL);
            _exit(127);
        }
        close(fds[1]);
        FILE *f = fdopen(fds[0], "r");
        int status = 0;
        if (!f || fscanf(f, "%ld %ld", &total[i], &in_main[i]) != 2) {
            fprintf(stderr, "bench_rss_cold: a cold-start child reported nothing\n");
            exit(1);
        }
        fclose(f);
        waitpid(pid, &status, 0);
    }
    qsort(total, RUNS, sizeof total[0], cmp);
    qsort(in_main, RUNS, sizeof in_main[0], cmp);
    printf("cold_start_us %.0f %.0f %.0f %.0f\n", total[RUNS / 2] / 1e3, total[RUNS / 10] / 1e3,
           total[RUNS * 9 / 10] / 1e3, in_main[RUNS / 2] / 1e3);
}

int main(int argc, char **argv) {
    long t_main = now_ns();
    if (argc == 5 && strcmp(argv[1], "--child") == 0) return child(argv[2], argv[3], atol(argv[4]), t_main);
    if (argc != 3) {
        fprintf(stderr, "usage: bench_rss_cold <library path> <authorization-server-url>\n");
        return 2;
    }
    rss(argv[1], argv[2]);
    fflush(stdout);
    cold(argv[0], argv[1], argv[2]);
    return 0;
}
