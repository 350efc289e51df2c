/* test_elicit.c — elicitation through the C ABI's callback
 * (mcp_client_set_elicitation_callback, mcp_client_elicitation_reply)
 * against the project's test MCP server, whose tool "ask" sends an
 * elicitation request (a form with defaults, or a URL) and returns the
 * answer it got. Built with -fsanitize=address. */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

static const char *mcp_server_bin(void) {
    const char *bin = getenv("MCP_OAUTH_MCP_TEST_SERVER");
    return bin ? bin : "build/mcp-test-server";
}

/* What a callback saw and how it answers. */
typedef struct {
    const char *answer;  /* response_json to reply with at once, or NULL */
    char *request_json;  /* a copy of the last request */
    int calls;
    int first_reply_rc;  /* the misuse checks' results, see misuse_reply */
    int second_reply_rc;
    mcp_elicitation *kept; /* when answer is NULL: answered later by a thread */
} seen;

static void record(seen *s, const char *request_json) {
    free(s->request_json);
    s->request_json = strdup(request_json);
    s->calls++;
}

static void answer_now(void *userdata, mcp_elicitation *request, const char *request_json) {
    seen *s = userdata;
    record(s, request_json);
    s->first_reply_rc = mcp_client_elicitation_reply(request, s->answer, NULL);
}

/* misuse_reply replies with malformed JSON (the request stays pending), then
 * accepts, then replies once more (the request is gone). */
static void misuse_reply(void *userdata, mcp_elicitation *request, const char *request_json) {
    seen *s = userdata;
    record(s, request_json);
    s->first_reply_rc = mcp_client_elicitation_reply(request, "{\"action\":\"perhaps\"}", NULL);
    CHECK_RC(mcp_client_elicitation_reply(request, "{\"action\":\"accept\",\"content\":{\"name\":\"late\"}}", NULL),
             MCP_OAUTH_OK);
    s->second_reply_rc = mcp_client_elicitation_reply(request, "{\"action\":\"decline\"}", NULL);
}

static void *reply_later(void *arg) {
    seen *s = arg;
    CHECK_RC(mcp_client_elicitation_reply(s->kept, "{\"action\":\"cancel\"}", NULL), MCP_OAUTH_OK);
    return NULL;
}

static pthread_t replier;

/* keep_for_later returns at once; a thread of the test answers. */
static void keep_for_later(void *userdata, mcp_elicitation *request, const char *request_json) {
    seen *s = userdata;
    record(s, request_json);
    s->kept = request;
    CHECK(pthread_create(&replier, NULL, reply_later, s) == 0);
}

/* ask calls the tool ask and returns its result (free it). */
static char *ask(mcp_client *c, const char *args) {
    char *out = NULL, *err = NULL;
    int rc = mcp_client_call_tool(c, "ask", args, &out, &err);
    CHECK_RC(rc, MCP_OAUTH_OK);
    if (rc != MCP_OAUTH_OK) fprintf(stderr, "ask: %s\n", err);
    mcp_oauth_string_free(err);
    return out;
}

int main(void) {
    test_server srv;
    if (server_start_bin(&srv, mcp_server_bin(), NULL) != 0) {
        fprintf(stderr, "cannot start %s\n", mcp_server_bin());
        return 2;
    }
    char mcp[256], as[256], cfg[1024];
    if (json_str(srv.url, "mcp", mcp, sizeof mcp) || json_str(srv.url, "as", as, sizeof as)) {
        fprintf(stderr, "unexpected first line: %s\n", srv.url);
        return 2;
    }
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\","
             "\"issuer\":\"%s\"}", mcp, as);
    mcp_oauth *auth = NULL;
    CHECK_RC(mcp_oauth_new(cfg, &auth, NULL), MCP_OAUTH_OK);
    mcp_client *c = NULL;
    CHECK_RC(mcp_client_connect(auth, mcp, NULL, &c, NULL), MCP_OAUTH_OK);
    char *out;

    /* No callback: declined at once, never a time-out. */
    out = ask(c, "{}");
    CHECK(out && strstr(out, "\\\"action\\\":\\\"decline\\\""));
    mcp_oauth_string_free(out);

    /* Form mode, answered in the callback: omitted fields get defaults. */
    seen s = {.answer = "{\"action\":\"accept\",\"content\":{\"name\":\"C\"}}"};
    CHECK_RC(mcp_client_set_elicitation_callback(c, answer_now, &s, NULL), MCP_OAUTH_OK);
    out = ask(c, "{}");
    CHECK(s.calls == 1 && s.first_reply_rc == MCP_OAUTH_OK);
    CHECK(s.request_json && strstr(s.request_json, "\"mode\":\"form\"") &&
          strstr(s.request_json, "\"requestedSchema\"") && strstr(s.request_json, "\"default\":\"anonymous\""));
    CHECK(out && strstr(out, "\\\"name\\\":\\\"C\\\"") && strstr(out, "\\\"count\\\":3"));
    mcp_oauth_string_free(out);

    /* A NULL answer declines. */
    s.answer = NULL;
    out = ask(c, "{}");
    CHECK(out && strstr(out, "\\\"action\\\":\\\"decline\\\""));
    mcp_oauth_string_free(out);

    /* URL mode, answered later from another thread. */
    seen later = {0};
    CHECK_RC(mcp_client_set_elicitation_callback(c, keep_for_later, &later, NULL), MCP_OAUTH_OK);
    out = ask(c, "{\"url\":\"https://example.com/connect\"}");
    pthread_join(replier, NULL);
    CHECK(later.request_json && strstr(later.request_json, "\"mode\":\"url\"") &&
          strstr(later.request_json, "\"url\":\"https://example.com/connect\""));
    CHECK(out && strstr(out, "\\\"action\\\":\\\"cancel\\\""));
    mcp_oauth_string_free(out);
    /* The answered request is gone. */
    CHECK_RC(mcp_client_elicitation_reply(later.kept, "{\"action\":\"accept\"}", NULL), MCP_OAUTH_E_BAD_HANDLE);

    /* Misuse: a malformed answer leaves the request pending; a second answer
     * and unknown requests are BAD_HANDLE; NULL callback declines again. */
    seen bad = {0};
    CHECK_RC(mcp_client_set_elicitation_callback(c, misuse_reply, &bad, NULL), MCP_OAUTH_OK);
    out = ask(c, "{}");
    CHECK_RC(bad.first_reply_rc, MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(bad.second_reply_rc, MCP_OAUTH_E_BAD_HANDLE);
    CHECK(out && strstr(out, "\\\"name\\\":\\\"late\\\""));
    mcp_oauth_string_free(out);
    CHECK_RC(mcp_client_elicitation_reply(NULL, NULL, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_elicitation_reply((mcp_elicitation *)(uintptr_t)0x7fffffff, NULL, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_set_elicitation_callback(NULL, answer_now, &s, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_set_elicitation_callback((mcp_client *)auth, answer_now, &s, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_set_elicitation_callback(c, NULL, NULL, NULL), MCP_OAUTH_OK);
    out = ask(c, "{}");
    CHECK(out && strstr(out, "\\\"action\\\":\\\"decline\\\""));
    mcp_oauth_string_free(out);

    free(s.request_json);
    free(later.request_json);
    free(bad.request_json);
    mcp_client_close(c);
    mcp_oauth_free(auth);
    server_stop(&srv);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
