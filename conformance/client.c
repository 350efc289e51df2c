/* client.c — a client for the MCP conformance suite
 * (@modelcontextprotocol/conformance), built only on the public C ABI of
 * libmcp_oauth (include/mcp_oauth.h).
 *
 * Usage: conformance-client <server-url>
 *
 * The suite passes the scenario's name in MCP_CONFORMANCE_SCENARIO and its
 * settings (client ids, secrets, keys) in MCP_CONFORMANCE_CONTEXT, a flat JSON
 * object. The program builds the configuration a real user of the library
 * would write for that kind of client, connects to the MCP server, lists its
 * tools and calls one. Whenever the library answers
 * MCP_OAUTH_E_AUTHORIZATION_REQUIRED, it plays the user's browser: it starts
 * the authorization with mcp_oauth_authorize_begin(), GETs the authorization
 * URL without following the redirect (the suite's authorization server
 * approves at once with a 302) and hands the redirect's Location to
 * mcp_oauth_authorize_complete().
 *
 * The scenario name selects only the grant and the credentials used; all
 * OAuth behaviour is the library's. Exit status 0 on success, 1 on failure
 * (with a message on stderr), 2 on bad usage. */
#define _GNU_SOURCE
#include <mcp_oauth.h>

#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* The client ID metadata document URL this client publishes (SEP-991). The
 * suite's authorization server accepts it without fetching it. */
#define CLIENT_METADATA_URL "https://conformance-test.local/client-metadata.json"
/* Authorizations a single operation may need (first login plus step-ups). */
#define MAX_AUTHORIZATIONS 5

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("conformance-client: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* ------------------------------------------------------------------------
 * A growable string buffer.
 * ------------------------------------------------------------------------ */
typedef struct {
    char *s;
    size_t len, cap;
} buf;

static void buf_addn(buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap) cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) die("out of memory");
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void buf_add(buf *b, const char *s) { buf_addn(b, s, strlen(s)); }

/* buf_add_json_string appends s as a JSON string literal. */
static void buf_add_json_string(buf *b, const char *s) {
    buf_add(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"': buf_add(b, "\\\""); break;
        case '\\': buf_add(b, "\\\\"); break;
        case '\n': buf_add(b, "\\n"); break;
        case '\r': buf_add(b, "\\r"); break;
        case '\t': buf_add(b, "\\t"); break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                buf_add(b, esc);
            } else {
                buf_addn(b, (const char *)p, 1);
            }
        }
    }
    buf_add(b, "\"");
}

/* buf_add_member appends ,"name":"value" (without the comma for the first
 * member) when value is non-NULL. */
static void buf_add_member(buf *b, const char *name, const char *value) {
    if (!value) return;
    if (b->len > 1) buf_add(b, ",");
    buf_add_json_string(b, name);
    buf_add(b, ":");
    buf_add_json_string(b, value);
}

/* ------------------------------------------------------------------------
 * A reader for the flat context object: string members are decoded (all JSON
 * escapes, \u surrogate pairs included); members of other types are skipped.
 * ------------------------------------------------------------------------ */
#define MAX_MEMBERS 64
typedef struct {
    char *name[MAX_MEMBERS];
    char *value[MAX_MEMBERS]; /* decoded, or NULL for a member of another type */
    char *raw[MAX_MEMBERS];   /* the member's JSON text, for members of other types */
    int n;
} context;

static const char *skip_ws(const char *p) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

static int hex4(const char *p, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

static void add_utf8(buf *b, unsigned cp) {
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_addn(b, u, n);
}

/* parse_string decodes the JSON string literal at p (at its opening quote)
 * into *out (malloc'd) and returns the position after the closing quote, or
 * NULL when malformed. */
static const char *parse_string(const char *p, char **out) {
    if (*p != '"') return NULL;
    p++;
    buf b = {0};
    buf_add(&b, "");
    while (*p != '"') {
        if (*p == '\0' || (unsigned char)*p < 0x20) goto bad;
        if (*p != '\\') {
            buf_addn(&b, p++, 1);
            continue;
        }
        p++;
        switch (*p) {
        case '"': buf_add(&b, "\""); break;
        case '\\': buf_add(&b, "\\"); break;
        case '/': buf_add(&b, "/"); break;
        case 'b': buf_add(&b, "\b"); break;
        case 'f': buf_add(&b, "\f"); break;
        case 'n': buf_add(&b, "\n"); break;
        case 'r': buf_add(&b, "\r"); break;
        case 't': buf_add(&b, "\t"); break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(p + 1, &cp) != 0) goto bad;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (p[1] != '\\' || p[2] != 'u' || hex4(p + 3, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) goto bad;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p += 6;
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                goto bad;
            }
            if (cp == 0) goto bad; /* would truncate a C string */
            add_utf8(&b, cp);
            break;
        }
        default: goto bad;
        }
        p++;
    }
    *out = b.s;
    return p + 1;
bad:
    free(b.s);
    return NULL;
}

/* skip_value skips any JSON value at p and returns the position after it,
 * or NULL when malformed. Nesting is tracked by counting; strings inside are
 * skipped with their escapes. */
static const char *skip_value(const char *p) {
    int depth = 0;
    do {
        p = skip_ws(p);
        if (*p == '"') {
            char *s;
            if (!(p = parse_string(p, &s))) return NULL;
            free(s);
        } else if (*p == '{' || *p == '[') {
            depth++;
            p++;
        } else if (*p == '}' || *p == ']') {
            if (depth == 0) return NULL;
            depth--;
            p++;
        } else if (*p == ',' || *p == ':') {
            if (depth == 0) return NULL;
            p++;
        } else if (*p && strchr("-0123456789tfn", *p)) {
            while (*p && strchr("-+.0123456789eEtruefalsn", *p)) p++;
        } else {
            return NULL;
        }
    } while (depth > 0);
    return p;
}

static int parse_context(const char *json, context *ctx) {
    memset(ctx, 0, sizeof *ctx);
    const char *p = skip_ws(json);
    if (*p++ != '{') return -1;
    p = skip_ws(p);
    if (*p == '}') return *skip_ws(p + 1) ? -1 : 0;
    for (;;) {
        char *name = NULL;
        if (!(p = parse_string(skip_ws(p), &name))) return -1;
        p = skip_ws(p);
        if (*p++ != ':') {
            free(name);
            return -1;
        }
        p = skip_ws(p);
        if (*p == '"') {
            char *value = NULL;
            if (!(p = parse_string(p, &value)) || ctx->n == MAX_MEMBERS) {
                free(name);
                free(value);
                return -1;
            }
            ctx->name[ctx->n] = name;
            ctx->value[ctx->n++] = value;
        } else {
            const char *start = p;
            if (!(p = skip_value(p)) || ctx->n == MAX_MEMBERS) {
                free(name);
                return -1;
            }
            ctx->name[ctx->n] = name;
            ctx->raw[ctx->n++] = strndup(start, (size_t)(p - start));
        }
        p = skip_ws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p++ != '}') return -1;
        return *skip_ws(p) ? -1 : 0;
    }
}

/* ctx_get returns the string member `name`, or NULL (also for "" and for
 * members of other types). */
static const char *ctx_get(const context *ctx, const char *name) {
    for (int i = 0; i < ctx->n; i++) {
        if (strcmp(ctx->name[i], name) == 0) return ctx->value[i] && ctx->value[i][0] ? ctx->value[i] : NULL;
    }
    return NULL;
}

/* ctx_raw returns the JSON text of the non-string member `name`, or NULL. */
static const char *ctx_raw(const context *ctx, const char *name) {
    for (int i = 0; i < ctx->n; i++) {
        if (strcmp(ctx->name[i], name) == 0) return ctx->raw[i];
    }
    return NULL;
}

/* ------------------------------------------------------------------------
 * The headless "browser": one HTTP/1.1 GET, redirect not followed.
 * ------------------------------------------------------------------------ */

/* http_get GETs an http:// URL and returns the whole response, headers and
 * body (malloc'd, at most about 1 MiB), or NULL with a message in err. */
static char *http_get(const char *url, const char *accept, char *err, size_t errsize) {
    if (strncmp(url, "http://", 7) != 0) {
        snprintf(err, errsize, "URL is not http:// (%.200s)", url);
        return NULL;
    }
    const char *hp = url + 7;
    size_t hostport_len = strcspn(hp, "/?#");
    char hostport[256];
    if (hostport_len == 0 || hostport_len >= sizeof hostport) {
        snprintf(err, errsize, "bad host in authorization URL");
        return NULL;
    }
    memcpy(hostport, hp, hostport_len);
    hostport[hostport_len] = '\0';
    const char *path = hp + hostport_len;
    size_t path_len = strcspn(path, "#");

    char host[256], port[16] = "80";
    if (hostport[0] == '[') { /* [v6]:port */
        char *close = strchr(hostport, ']');
        if (!close) {
            snprintf(err, errsize, "bad IPv6 host in authorization URL");
            return NULL;
        }
        snprintf(host, sizeof host, "%.*s", (int)(close - hostport - 1), hostport + 1);
        if (close[1] == ':') snprintf(port, sizeof port, "%s", close + 2);
    } else {
        char *colon = strrchr(hostport, ':');
        if (colon) {
            snprintf(port, sizeof port, "%s", colon + 1);
            *colon = '\0';
        }
        snprintf(host, sizeof host, "%s", hostport);
    }

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        snprintf(err, errsize, "resolve %s: %s", host, gai_strerror(gai));
        return NULL;
    }
    int fd = -1;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        struct timeval tv = {.tv_sec = 15};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        snprintf(err, errsize, "cannot connect to %s", hostport);
        return NULL;
    }

    buf req = {0};
    buf_add(&req, "GET ");
    if (path_len == 0) buf_add(&req, "/");
    else if (path[0] == '?') {
        buf_add(&req, "/");
        buf_addn(&req, path, path_len);
    } else buf_addn(&req, path, path_len);
    buf_add(&req, " HTTP/1.1\r\nHost: ");
    buf_add(&req, hostport);
    buf_add(&req, "\r\nAccept: ");
    buf_add(&req, accept);
    buf_add(&req, "\r\nConnection: close\r\n\r\n");
    size_t off = 0;
    while (off < req.len) {
        ssize_t w = write(fd, req.s + off, req.len - off);
        if (w <= 0) {
            free(req.s);
            close(fd);
            snprintf(err, errsize, "write to %s failed", hostport);
            return NULL;
        }
        off += (size_t)w;
    }
    free(req.s);

    /* Read until the connection closes (Connection: close). */
    buf resp = {0};
    char chunk[4096];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r <= 0) break;
        buf_addn(&resp, chunk, (size_t)r);
        if (resp.len > (1u << 20)) break;
    }
    close(fd);
    if (!resp.s) snprintf(err, errsize, "no response from %s", hostport);
    return resp.s;
}

/* get_location GETs an http:// URL and returns the Location header of the
 * response (malloc'd), or NULL with a message in err. */
static char *get_location(const char *url, char *err, size_t errsize) {
    buf resp = {.s = http_get(url, "text/html", err, errsize)};
    if (!resp.s) return NULL;
    char *end = strstr(resp.s, "\r\n\r\n");
    if (end) end[2] = '\0';
    int status = 0;
    sscanf(resp.s, "HTTP/1.%*d %d", &status);
    char *loc = NULL;
    for (char *line = strstr(resp.s, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "Location:", 9) == 0) {
            const char *v = line + 11;
            while (*v == ' ' || *v == '\t') v++;
            loc = strndup(v, strcspn(v, "\r\n"));
            break;
        }
    }
    free(resp.s);
    if (!loc) snprintf(err, errsize, "authorization endpoint answered %d without a redirect", status);
    return loc;
}

/* ------------------------------------------------------------------------
 * Library calls.
 * ------------------------------------------------------------------------ */

/* The client's handles, released by fail_call on the way out. */
static mcp_oauth *g_auth;
static mcp_client *g_client;

static void fail_call(const char *what, int rc, char *err) {
    fprintf(stderr, "conformance-client: %s failed: %s (%d): %s\n", what, mcp_oauth_strerror(rc), rc,
            err ? err : "");
    mcp_oauth_string_free(err);
    mcp_client_close(g_client);
    mcp_oauth_free(g_auth);
    exit(1);
}

/* authorize runs one authorization code flow headlessly. */
static void authorize(mcp_oauth *auth) {
    char *url = NULL, *err = NULL, msg[512];
    int rc = mcp_oauth_authorize_begin(auth, NULL, &url, NULL, &err);
    if (rc != MCP_OAUTH_OK) fail_call("mcp_oauth_authorize_begin", rc, err);
    char *location = get_location(url, msg, sizeof msg);
    mcp_oauth_string_free(url);
    if (!location) die("authorization request: %s", msg);
    rc = mcp_oauth_authorize_complete(auth, location, &err);
    free(location);
    if (rc != MCP_OAUTH_OK) fail_call("mcp_oauth_authorize_complete", rc, err);
}

/* An MCP operation retried after each authorization the library asks for. */
typedef int (*operation)(mcp_client *c, const void *arg, char **out_json, char **out_error);

static int op_list_tools(mcp_client *c, const void *arg, char **out, char **err) {
    (void)arg;
    return mcp_client_list_tools(c, out, err);
}

/* A tool call: the tool's name and its arguments as a JSON object. */
typedef struct {
    const char *name, *args;
} tool_call;

static int op_call_tool(mcp_client *c, const void *arg, char **out, char **err) {
    const tool_call *call = arg;
    return mcp_client_call_tool(c, call->name, call->args, out, err);
}

static char *run(mcp_oauth *auth, mcp_client *c, const char *what, operation op, const void *arg) {
    for (int attempt = 0;; attempt++) {
        char *out = NULL, *err = NULL;
        int rc = op(c, arg, &out, &err);
        if (rc == MCP_OAUTH_OK) return out;
        if (rc != MCP_OAUTH_E_AUTHORIZATION_REQUIRED || attempt == MAX_AUTHORIZATIONS) fail_call(what, rc, err);
        mcp_oauth_string_free(err);
        authorize(auth);
    }
}

/* accept_elicitation answers every elicitation request as a user who
 * accepts the form as offered: with no values of its own, so each field gets
 * the schema's default (SEP-1034); a URL is accepted without being opened. */
static void accept_elicitation(void *userdata, mcp_elicitation *request, const char *request_json) {
    (void)userdata;
    char *err = NULL;
    fprintf(stderr, "conformance-client: elicitation %s\n", request_json);
    int rc = mcp_client_elicitation_reply(request, "{\"action\":\"accept\"}", &err);
    if (rc != MCP_OAUTH_OK) fprintf(stderr, "conformance-client: mcp_client_elicitation_reply: %s\n", err ? err : "");
    mcp_oauth_string_free(err);
}

static mcp_client *connect_client(mcp_oauth *auth, const char *server_url) {
    for (int attempt = 0;; attempt++) {
        mcp_client *c = NULL;
        char *err = NULL;
        int rc = mcp_client_connect(auth, server_url, "{\"client_name\":\"mcp-oauth-conformance\"}", &c, &err);
        if (rc == MCP_OAUTH_OK) rc = mcp_client_set_elicitation_callback(c, accept_elicitation, NULL, &err);
        if (rc == MCP_OAUTH_OK) return c;
        if (rc != MCP_OAUTH_E_AUTHORIZATION_REQUIRED || attempt == MAX_AUTHORIZATIONS)
            fail_call("mcp_client_connect", rc, err);
        mcp_oauth_string_free(err);
        authorize(auth);
    }
}

/* object_member finds member `name` of the JSON object at p and returns the
 * position of its value, or NULL (also for malformed JSON). */
static const char *object_member(const char *p, const char *name) {
    p = skip_ws(p);
    if (*p++ != '{') return NULL;
    p = skip_ws(p);
    if (*p == '}') return NULL;
    for (;;) {
        char *key = NULL;
        if (!(p = parse_string(skip_ws(p), &key))) return NULL;
        p = skip_ws(p);
        int match = strcmp(key, name) == 0;
        free(key);
        if (*p++ != ':') return NULL;
        p = skip_ws(p);
        if (match) return p;
        if (!(p = skip_value(p))) return NULL;
        p = skip_ws(p);
        if (*p++ != ',') return NULL;
    }
}

/* array_first returns the position of the first element of the JSON array
 * at p, or NULL when it is empty or not an array. */
static const char *array_first(const char *p) {
    if (!p || *(p = skip_ws(p)) != '[') return NULL;
    p = skip_ws(p + 1);
    return *p == ']' ? NULL : p;
}

/* array_next returns the position of the array element after the one at p,
 * or NULL after the last one (or on malformed JSON). */
static const char *array_next(const char *p) {
    if (!(p = skip_value(p))) return NULL;
    p = skip_ws(p);
    return *p == ',' ? skip_ws(p + 1) : NULL;
}

/* member_string returns the string member `name` of the object at p
 * (malloc'd), or NULL. */
static char *member_string(const char *p, const char *name) {
    char *out = NULL;
    p = object_member(p, name);
    return p && *p == '"' && parse_string(p, &out) ? out : NULL;
}

/* member_raw returns the JSON text of member `name` of the object at p
 * (malloc'd), or NULL. */
static char *member_raw(const char *p, const char *name) {
    const char *end;
    p = object_member(p, name);
    return p && (end = skip_value(p)) ? strndup(p, (size_t)(end - p)) : NULL;
}

/* call_tool calls one tool and prints its result. */
static void call_tool(mcp_oauth *auth, mcp_client *c, const char *name, const char *args) {
    tool_call call = {name, args ? args : "{}"};
    char *result = run(auth, c, "mcp_client_call_tool", op_call_tool, &call);
    printf("%s -> %s\n", name, result);
    mcp_oauth_string_free(result);
}

/* call_tools follows the scenario: the tool calls its context lists
 * (toolCalls: [{name, arguments}]), or the calls the scenario's description
 * asks for; by default the first tool listed, without arguments. */
static void call_tools(mcp_oauth *auth, mcp_client *c, const char *scenario, const context *ctx,
                       const char *tools_json) {
    const char *tools = object_member(tools_json, "tools");
    const char *calls = ctx_raw(ctx, "toolCalls");
    if (calls) {
        for (const char *e = array_first(calls); e; e = array_next(e)) {
            char *name = member_string(e, "name"), *args = member_raw(e, "arguments");
            if (!name) die("toolCalls: an entry without a name");
            call_tool(auth, c, name, args);
            free(name);
            free(args);
        }
    } else if (strcmp(scenario, "json-schema-ref-no-deref") == 0) {
        /* Listing is the scenario: the client must not fetch the $ref. */
    } else if (strcmp(scenario, "json-schema-2020-12-preservation") == 0) {
        /* Echo the focal tool's inputSchema, as received, through the echo tool. */
        char *schema = NULL;
        for (const char *e = array_first(tools); e && !schema; e = array_next(e)) {
            char *name = member_string(e, "name");
            if (name && strcmp(name, "json_schema_2020_12_tool") == 0) schema = member_raw(e, "inputSchema");
            free(name);
        }
        if (!schema) die("the server does not list json_schema_2020_12_tool");
        buf args = {0};
        buf_add(&args, "{\"schema\":");
        buf_add(&args, schema);
        buf_add(&args, "}");
        free(schema);
        call_tool(auth, c, "json_schema_echo", args.s);
        free(args.s);
    } else if (strcmp(scenario, "tools_call") == 0) {
        /* "add_numbers adds two numbers a and b". */
        call_tool(auth, c, "add_numbers", "{\"a\":5,\"b\":3}");
    } else if (strcmp(scenario, "sep-2322-client-request-state") == 0) {
        /* Every tool, one after the other: each tests one rule. */
        for (const char *e = array_first(tools); e; e = array_next(e)) {
            char *name = member_string(e, "name");
            if (name) call_tool(auth, c, name, "{}");
            free(name);
        }
    } else {
        char *name = member_string(array_first(tools), "name");
        if (name) call_tool(auth, c, name, "{}");
        else printf("the server offers no tools\n");
        free(name);
    }
}

/* scenario_issuer returns (malloc'd) the first authorization server the
 * protected resource metadata of server_url names (path-inserted well-known
 * URL, then the root one), or NULL. A scenario hands over client credentials
 * without saying who issued them, while the library sends a secret or key
 * only to the configured issuer; the driver plays the user who knows it.
 * (Taking it from the MCP server is exactly what a real client must not do:
 * here the server is the suite's, the party that issued the credentials.) */
static char *scenario_issuer(const char *server_url) {
    const char *hp = strncmp(server_url, "http://", 7) == 0 ? server_url + 7 : NULL;
    if (!hp) return NULL;
    size_t origin_len = (size_t)(hp - server_url) + strcspn(hp, "/?#");
    const char *path = server_url + origin_len;
    size_t path_len = strcspn(path, "?#");
    while (path_len > 0 && path[path_len - 1] == '/') path_len--;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (attempt == 1 && path_len == 0) break;
        buf url = {0};
        buf_addn(&url, server_url, origin_len);
        buf_add(&url, "/.well-known/oauth-protected-resource");
        if (attempt == 0) buf_addn(&url, path, path_len);
        char err[256];
        char *resp = http_get(url.s, "application/json", err, sizeof err);
        free(url.s);
        if (!resp) continue;
        int status = 0;
        sscanf(resp, "HTTP/1.%*d %d", &status);
        const char *body = strstr(resp, "\r\n\r\n");
        const char *p = status == 200 && body ? object_member(body + 4, "authorization_servers") : NULL;
        char *issuer = NULL;
        if (p && *p == '[') {
            p = skip_ws(p + 1);
            if (*p == '"') parse_string(p, &issuer);
        }
        free(resp);
        if (issuer) return issuer;
    }
    return NULL;
}

static int op_list_skills(mcp_client *c, const void *arg, char **out, char **err) {
    (void)arg;
    return mcp_client_list_skills(c, out, err);
}

/* use_skills plays a host of the skills extension (SEP-2640): it lists the
 * skills and, unless the scenario is about listing alone, loads each. A skill
 * the library refuses to load (a file failed verification) is reported and
 * left unloaded, as a host must; the scenario goes on. */
static void use_skills(mcp_oauth *auth, mcp_client *c, const char *scenario) {
    static char *skills; /* static: still reachable when a failure exits */
    skills = run(auth, c, "mcp_client_list_skills", op_list_skills, NULL);
    printf("skills: %s\n", skills);
    if (strcmp(scenario, "sep-2640-client-no-prefetch") != 0) {
        for (const char *e = array_first(object_member(skills, "skills")); e; e = array_next(e)) {
            char *uri = member_string(e, "uri"), *out = NULL, *err = NULL;
            if (!uri) continue;
            int rc = mcp_client_load_skill(c, uri, &out, &err);
            if (rc == MCP_OAUTH_OK) printf("loaded %s: %s\n", uri, out);
            else if (rc == MCP_OAUTH_E_PROTOCOL) printf("refused to load %s: %s\n", uri, err);
            else fail_call("mcp_client_load_skill", rc, err);
            mcp_oauth_string_free(out);
            mcp_oauth_string_free(err);
            free(uri);
        }
    }
    mcp_oauth_string_free(skills);
}

/* ------------------------------------------------------------------------
 * Configuration: what a user of the library would write.
 * ------------------------------------------------------------------------ */

static char *build_config(const char *scenario, const char *server_url, const context *ctx) {
    buf b = {0};
    buf_add(&b, "{");
    buf_add_member(&b, "server_url", server_url);
    buf_add_member(&b, "client_name", "mcp-oauth-conformance");

    if (strncmp(scenario, "auth/client-credentials", 23) == 0) {
        /* A machine client with static credentials: a secret or a key. */
        buf_add_member(&b, "grant_type", "client_credentials");
        buf_add_member(&b, "client_id", ctx_get(ctx, "client_id"));
        buf_add_member(&b, "client_secret", ctx_get(ctx, "client_secret"));
        buf_add_member(&b, "private_key_pem", ctx_get(ctx, "private_key_pem"));
        buf_add_member(&b, "signing_alg", ctx_get(ctx, "signing_algorithm"));
        char *issuer = scenario_issuer(server_url);
        buf_add_member(&b, "issuer", issuer);
        free(issuer);
    } else if (strcmp(scenario, "auth/wif-jwt-bearer") == 0) {
        /* Workload identity federation (SEP-1933): the workload's JWT is
         * the grant (RFC 7523 §2.1). */
        buf_add_member(&b, "client_id", ctx_get(ctx, "client_id"));
        buf_add_member(&b, "workload_identity_token", ctx_get(ctx, "valid_jwt"));
    } else if (strncmp(scenario, "auth/cross-app-access", 21) == 0 ||
               strcmp(scenario, "auth/enterprise-managed-authorization") == 0) {
        /* Enterprise-managed authorization (SEP-990): an ID token from the
         * enterprise IdP, exchanged for an ID-JAG, then for an access
         * token at the MCP server's authorization server. */
        buf_add_member(&b, "grant_type", "jwt_bearer");
        buf_add_member(&b, "client_id", ctx_get(ctx, "client_id"));
        buf_add_member(&b, "client_secret", ctx_get(ctx, "client_secret"));
        if (ctx_get(ctx, "client_secret")) {
            char *issuer = scenario_issuer(server_url);
            buf_add_member(&b, "issuer", issuer);
            free(issuer);
        }
        buf_add_member(&b, "idp_token_endpoint", ctx_get(ctx, "idp_token_endpoint"));
        buf_add_member(&b, "idp_client_id", ctx_get(ctx, "idp_client_id"));
        buf_add_member(&b, "idp_client_secret", ctx_get(ctx, "idp_client_secret"));
        buf_add_member(&b, "idp_id_token", ctx_get(ctx, "idp_id_token"));
    } else {
        /* An interactive client: authorization code with PKCE. It
         * publishes a client ID metadata document, and uses pre-registered
         * credentials when it has them. */
        buf_add_member(&b, "grant_type", "authorization_code");
        buf_add_member(&b, "client_metadata_url", CLIENT_METADATA_URL);
        buf_add_member(&b, "client_id", ctx_get(ctx, "client_id"));
        buf_add_member(&b, "client_secret", ctx_get(ctx, "client_secret"));
        if (ctx_get(ctx, "client_secret")) {
            char *issuer = scenario_issuer(server_url);
            buf_add_member(&b, "issuer", issuer);
            free(issuer);
        }
    }
    buf_add(&b, "}");
    return b.s;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s <mcp-server-url>\n", argv[0]);
        return 2;
    }
    const char *server_url = argv[argc - 1];
    const char *scenario = getenv("MCP_CONFORMANCE_SCENARIO");
    const char *context_json = getenv("MCP_CONFORMANCE_CONTEXT");
    if (!scenario) scenario = "";
    context ctx;
    if (parse_context(context_json && *context_json ? context_json : "{}", &ctx) != 0)
        die("MCP_CONFORMANCE_CONTEXT is not a flat JSON object");

    char *config = build_config(scenario, server_url, &ctx);
    mcp_oauth *auth = NULL;
    char *err = NULL;
    int rc = mcp_oauth_new(config, &auth, &err);
    free(config);
    if (rc != MCP_OAUTH_OK) fail_call("mcp_oauth_new", rc, err);
    g_auth = auth;

    mcp_client *c = connect_client(auth, server_url);
    g_client = c;
    if (strncmp(scenario, "sep-2640-", 9) == 0) {
        use_skills(auth, c, scenario);
    } else {
        static char *tools; /* static: still reachable when a failure exits */
        tools = run(auth, c, "mcp_client_list_tools", op_list_tools, NULL);
        call_tools(auth, c, scenario, &ctx, tools);
        mcp_oauth_string_free(tools);
    }
    mcp_client_close(c);
    mcp_oauth_free(auth);
    for (int i = 0; i < ctx.n; i++) {
        free(ctx.name[i]);
        free(ctx.value[i]);
        free(ctx.raw[i]);
    }
    return 0;
}
