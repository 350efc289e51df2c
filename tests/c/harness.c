#define _GNU_SOURCE
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int server_start(test_server *s, const char *const extra_args[]) {
    const char *bin = getenv("MCP_OAUTH_TEST_SERVER");
    if (!bin) bin = "build/oauth-test-server";
    if (server_start_bin(s, bin, extra_args) != 0) return -1;
    return strncmp(s->url, "http://", 7) == 0 ? 0 : -1;
}

int server_start_bin(test_server *s, const char *bin, const char *const extra_args[]) {
    int in[2], out[2];
    if (pipe(in) || pipe(out)) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        const char *argv[32] = {bin, "-watch-stdin"};
        int n = 2;
        for (int i = 0; extra_args && extra_args[i] && n < 31; i++) argv[n++] = extra_args[i];
        argv[n] = NULL;
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    s->pid = pid;
    s->stdin_fd = in[1];
    size_t len = 0;
    char c;
    while (len + 1 < sizeof s->url && read(out[0], &c, 1) == 1 && c != '\n') s->url[len++] = c;
    s->url[len] = '\0';
    close(out[0]);
    return len > 0 ? 0 : -1;
}

void server_stop(test_server *s) {
    close(s->stdin_fd);
    int status;
    waitpid(s->pid, &status, 0);
}

int http_request(const char *method, const char *url, const char *json_body, http_response *out) {
    memset(out, 0, sizeof *out);
    char host[64];
    int port;
    char path[2048] = "/";
    if (sscanf(url, "http://%63[^:]:%d%2047s", host, &port, path) < 2) return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    inet_pton(AF_INET, host, &addr.sin_addr);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    char *req = NULL;
    const char *body = json_body ? json_body : "";
    int n = asprintf(&req,
                     "%s %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     method, path, host, port, strlen(body), body);
    if (n < 0 || write(fd, req, (size_t)n) != n) {
        free(req);
        close(fd);
        return -1;
    }
    free(req);
    static char buf[1 << 16];
    size_t len = 0;
    ssize_t r;
    while (len + 1 < sizeof buf && (r = read(fd, buf + len, sizeof buf - 1 - len)) > 0) len += (size_t)r;
    buf[len] = '\0';
    close(fd);
    sscanf(buf, "HTTP/1.%*d %d", &out->status);
    for (char *line = strstr(buf, "\r\n"); line && line[2] != '\r'; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "Location: ", 10) == 0) {
            char *end = strstr(line + 12, "\r\n");
            size_t l = end ? (size_t)(end - (line + 12)) : 0;
            if (l >= sizeof out->location) l = sizeof out->location - 1;
            memcpy(out->location, line + 12, l);
        }
    }
    char *b = strstr(buf, "\r\n\r\n");
    if (b) snprintf(out->body, sizeof out->body, "%s", b + 4);
    return 0;
}

long json_int(const char *json, const char *key) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

int json_str(const char *json, const char *key, char *out, size_t size) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    if (!p) return -1;
    p += strlen(pat);
    while (*p == ' ') p++; /* indented JSON, e.g. a token store entry */
    if (*p++ != '"') return -1;
    const char *end = strchr(p, '"');
    if (!end || (size_t)(end - p) >= size) return -1;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return 0;
}
