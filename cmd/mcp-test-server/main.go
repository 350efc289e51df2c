// Command mcp-test-server runs the mcptest bearer-protected MCP server and
// its oauthtest authorization server as a process, for tests of MCP clients
// written in any language.
//
// It prints exactly one JSON line on stdout,
//
//	{"mcp":"http://127.0.0.1:P/mcp","sse":"http://127.0.0.1:P/sse","as":"http://127.0.0.1:Q"}
//
// the Streamable HTTP endpoint, the HTTP+SSE endpoint and the base URL of
// the authorization server, whose /_test/ control API (see package
// oauthtest) is served there, and serves until SIGINT or SIGTERM, or, with
// -watch-stdin, until its standard input reaches end of file. The MCP
// server's counts are at GET /_test/mcp_counts on its own origin, and POST
// /_test/migrate_as there moves it to a new authorization server (answering
// {"as": URL}; see mcptest.Server.MigrateAS). With -v
// it logs one line per request (method, path, status, duration; never
// tokens nor secrets) to stderr.
//
// Usage:
//
//	mcp-test-server [-addr 127.0.0.1:0] [-as-addr 127.0.0.1:0] [-lifetime 1h]
//	    [-refresh-for-client-credentials] [-watch-stdin] [-v]
//	    [MCP server switches] [authorization server switches]
//
// The switches make the servers awkward in the ways MCP clients must cope
// with; see the fields of mcptest.Options and oauthtest.Options they set,
// listed by -help.
package main

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/testserve"
)

func main() { testserve.Main(run) }

// config is the parsed command line.
type config struct {
	opts       mcptest.Options
	watchStdin bool
}

// endpoints is the line printed on stdout.
type endpoints struct {
	MCP string `json:"mcp"`
	SSE string `json:"sse"`
	AS  string `json:"as"`
}

// run starts the servers as the command line asks, prints their endpoints
// to stdout and serves until ctx is done or, with -watch-stdin, stdin is
// exhausted. It returns the process exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return testserve.FlagExitCode(err)
	}
	s, err := mcptest.Start(cfg.opts)
	if err != nil {
		fmt.Fprintln(stderr, "mcp-test-server:", err)
		return 1
	}
	defer s.Close()
	line, _ := json.Marshal(endpoints{MCP: s.StreamableURL(), SSE: s.SSEURL(), AS: s.AS().URL}) // cannot fail
	return testserve.Announce(ctx, string(line), "mcp-test-server: writing endpoints", cfg.watchStdin, stdin, stdout, stderr)
}

// parseFlags parses the command line, reporting errors and usage to stderr.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	o, as := &cfg.opts, &cfg.opts.AS
	fs := flag.NewFlagSet("mcp-test-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:0", "MCP server listen `address`")
	fs.StringVar(&as.Addr, "as-addr", "127.0.0.1:0", "authorization server listen `address`")
	fs.DurationVar(&as.TokenLifetime, "lifetime", time.Hour, "access token lifetime; negative omits expires_in")
	fs.BoolVar(&as.RefreshTokensForClientCredentials, "refresh-for-client-credentials", false, "also issue refresh tokens on client_credentials grants")
	fs.BoolVar(&cfg.watchStdin, "watch-stdin", false, "exit when stdin reaches end of file")
	verbose := fs.Bool("v", false, "log requests (method, path, status) to stderr")

	// MCP server switches.
	fs.BoolVar(&o.CoHostAS, "cohost-as", false, "serve the authorization server on the MCP server's origin (-as-addr is ignored)")
	fs.BoolVar(&o.NoPRM, "no-prm", false, "serve no protected resource metadata, as MCP 2025-03-26 servers")
	fs.StringVar(&o.PRMResource, "prm-resource", "", "announce this resource `URL` in the protected resource metadata instead of the server's")
	fs.BoolVar(&o.OmitResourceMetadata, "omit-resource-metadata", false, "leave resource_metadata out of WWW-Authenticate challenges")
	fs.BoolVar(&o.OmitChallengeScope, "omit-challenge-scope", false, "leave scope out of 401 challenges")
	fs.BoolVar(&o.OmitPRMScopes, "omit-prm-scopes", false, "leave scopes_supported out of the protected resource metadata")
	fs.BoolVar(&o.RequireResource, "require-resource", false, "refuse tokens issued without a resource indicator")
	fs.BoolVar(&o.DPoP, "dpop", false, "accept DPoP-bound tokens (RFC 9449) beside Bearer ones; the authorization server issues them")
	fs.BoolVar(&o.DPoPRequired, "dpop-required", false, "accept DPoP-bound tokens only (dpop_bound_access_tokens_required)")
	var dpopNonce bool
	fs.BoolVar(&dpopNonce, "dpop-nonce", false, "require DPoP nonces at the MCP server and the authorization server (RFC 9449 §8, §9)")
	fs.IntVar(&o.ToolsPageSize, "tools-page-size", 0, "serve tools/list in pages of `n` tools (default: one page)")

	// Authorization server switches.
	var scopes, locations string
	var noOfflineAccess bool
	fs.StringVar(&as.IssuerPath, "issuer-path", "", "give the issuer this `path`, e.g. /tenant1")
	fs.StringVar(&locations, "metadata-locations", "", "serve the metadata only at these comma-separated `locations`: oauth, oidc, oidc-append")
	fs.BoolVar(&as.NoMetadata, "no-as-metadata", false, "serve no authorization server metadata")
	fs.BoolVar(&as.OmitCodeChallengeMethods, "omit-pkce-methods", false, "leave code_challenge_methods_supported out of the metadata")
	fs.StringVar(&scopes, "scopes", "", "comma-separated `scopes` supported (default mcp:read,mcp:write,offline_access)")
	fs.BoolVar(&noOfflineAccess, "no-offline-access", false, "leave offline_access out of the supported scopes")
	fs.BoolVar(&as.DisableRegistration, "no-registration", false, "disable dynamic client registration")
	fs.BoolVar(&as.DisableClientIDMetadataDocuments, "no-cimd", false, "disable client ID metadata documents")
	var workloadKey string
	fs.StringVar(&workloadKey, "workload-key", "", "accept workload identity JWTs (jwt-bearer grant) signed by the public key in this PEM `file`")
	fs.StringVar(&as.WorkloadIdentityIssuer, "workload-issuer", "", "require this `iss` in workload identity JWTs")
	var withheld string
	fs.StringVar(&withheld, "withhold-scopes", "", "comma-separated `scopes` the authorization server never grants (left out of tokens silently)")
	fs.BoolVar(&as.IssueWorkloadTokens, "workload-tokens", false, "sign workload identity JWTs on POST /_test/workload_token of the authorization server, and trust them")

	if err := testserve.ParseFlags(fs, args); err != nil {
		return config{}, err
	}
	o.DPoPRequireNonce, as.DPoPRequireNonce = dpopNonce, dpopNonce
	as.WithheldScopes = splitList(withheld)
	if workloadKey != "" {
		key, err := readPublicKey(workloadKey)
		if err != nil {
			fmt.Fprintln(stderr, "mcp-test-server: -workload-key:", err)
			return config{}, err
		}
		as.WorkloadIdentityKey = key
	}
	for _, l := range splitList(locations) {
		as.MetadataLocations = append(as.MetadataLocations, oauthtest.MetadataLocation(l))
	}
	as.ScopesSupported = splitList(scopes)
	if noOfflineAccess {
		if as.ScopesSupported == nil {
			as.ScopesSupported = []string{mcptest.ScopeRead, mcptest.ScopeWrite}
		}
		as.ScopesSupported = slices.DeleteFunc(as.ScopesSupported, func(s string) bool { return s == "offline_access" })
	}
	if *verbose {
		o.RequestLog, as.RequestLog = stderr, stderr
	}
	return cfg, nil
}

// splitList splits a comma-separated list; "" yields nil.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// readPublicKey reads a PEM public key (PKIX "PUBLIC KEY").
func readPublicKey(path string) (crypto.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, errors.New("no PEM PUBLIC KEY block")
	}
	return x509.ParsePKIXPublicKey(block.Bytes)
}
