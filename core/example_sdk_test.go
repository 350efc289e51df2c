package core_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"golang.org/x/oauth2"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// The official MCP Go SDK with this package's authorization: the
// [core.Transport] RoundTripper goes into the http.Client of the SDK's
// StreamableClientTransport (or SSEClientTransport). Discovery, the token
// request, refresh, a 401's single retry and a 403's step-up all happen
// inside it; the SDK sees plain HTTP.
func ExampleNewTransport_mcpGoSDK() {
	server, err := mcptest.Start(mcptest.Options{}) // a bearer-protected MCP server and its AS
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	url := server.StreamableURL() // e.g. https://mcp.example.com/mcp
	issuer := server.AS().URL     // the authorization server that issued the secret

	// A secret found its authorization server by discovery only with the
	// issuer that issued it: it is sent to that one and no other.
	cfg, err := core.ParseConfig([]byte(`{"server_url": "` + url + `",
		"client_id": "test-client", "client_secret": "test-secret",
		"issuer": "` + issuer + `"}`))
	if err != nil {
		log.Fatal(err)
	}
	manager, err := core.NewTokenManager(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer manager.Close()
	rt, err := core.NewTransport(manager, url, nil) // tokens go to url's origin only
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	client := mcp.NewClient(&mcp.Implementation{Name: "example", Version: "1.0.0"}, nil)
	session, err := client.Connect(ctx, &mcp.StreamableClientTransport{
		Endpoint:   url,
		HTTPClient: &http.Client{Transport: rt},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer session.Close()

	// write_note needs the mcp:write scope: the 403 is stepped up inside.
	res, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "write_note", Arguments: map[string]any{"text": "hi"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Content[0].(*mcp.TextContent).Text)
	// Output: saved note 1
}

// Any HTTP client through golang.org/x/oauth2: the manager as an
// oauth2.TokenSource (its tokens cached and refreshed by the manager, so no
// oauth2.ReuseTokenSource is needed). Unlike [core.NewTransport], a plain
// oauth2.Transport neither retries a 401 nor steps up a 403, and sends the
// token to every host the client talks to.
func ExampleTokenManager_OAuth2TokenSource() {
	server, err := mcptest.Start(mcptest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()

	cfg, err := core.ParseConfig([]byte(`{"token_url": "` + server.AS().URL + `/token",
		"client_id": "test-client", "client_secret": "test-secret", "scopes": ["mcp:read"]}`))
	if err != nil {
		log.Fatal(err)
	}
	manager, err := core.NewTokenManager(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer manager.Close()

	ctx := context.Background()
	httpClient := oauth2.NewClient(ctx, manager.OAuth2TokenSource(ctx))
	resp, err := httpClient.Get(server.AS().URL + "/protected")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output: 200 OK
}
