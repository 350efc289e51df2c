package main

import (
	"flag"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

// Environment variables read by the command.
const (
	envClientID     = "MCP_OAUTH_CLIENT_ID"
	envClientSecret = "MCP_OAUTH_CLIENT_SECRET"
	envIssuer       = "MCP_OAUTH_ISSUER"
	envStore        = "MCP_OAUTH_STORE"
	envAuthMethod   = "MCP_OAUTH_AUTH_METHOD"
	envPrivateKey   = "MCP_OAUTH_PRIVATE_KEY_FILE"
)

// defaultTimeout bounds a command that waits for no user.
const defaultTimeout = 30 * time.Second

// transportHTTP is the former name of --transport streamable_http, still
// accepted (deprecated): the library's names are the command's (docs/concepts.md,
// "One vocabulary").
const transportHTTP = "http"

// options are the flags every command accepts.
type options struct {
	json      bool
	timeout   time.Duration // 0: defaultTimeout
	store     string
	clientID  string
	secret    string
	issuer    string
	scope     string
	tokenURL  string
	transport string // "", "streamable_http", "sse", "auto" or "http" (the former name of streamable_http)
	dpop      bool   // DPoP-bound tokens (RFC 9449) even when the server does not ask
	// A workload identity JWT source (RFC 7523 §2.1, SEP-1933).
	workloadFile    string
	workloadCommand string
	headers         headerFlags // --header, repeatable: mcp_headers
	// verbose writes the library's events, at debug level, to stderr;
	// without it $MCP_OAUTH_LOG may name a level (core.LogEnv).
	verbose  bool
	logLevel string
	// How the client authenticates at the token endpoint (RFC 7591 §2), ""
	// for the library's default; and the file of its private_key_jwt key.
	authMethod     string
	privateKeyFile string

	// Flags of login only.
	addScope    string // scopes to ask for besides the server's, remembered
	noBrowser   bool
	redirectURI string
	device      bool
}

// setDefaults takes the defaults that come from the environment. The client
// secret is read from the environment by preference: a command-line argument
// is visible to every user of the machine (ps, /proc/PID/cmdline) and kept in
// shell history.
func (o *options) setDefaults(getenv func(string) string) {
	o.clientID = getenv(envClientID)
	o.secret = getenv(envClientSecret)
	o.issuer = getenv(envIssuer)
	o.store = getenv(envStore)
	o.logLevel = getenv(core.LogEnv)
	o.authMethod = getenv(envAuthMethod)
	o.privateKeyFile = getenv(envPrivateKey)
}

// logHandler is where the library's events go: stderr with --verbose
// (every event) or $MCP_OAUTH_LOG (from its level), else nowhere (nil).
func (o *options) logHandler(stderr io.Writer) slog.Handler {
	if o.verbose {
		return core.NewLineHandler(stderr, slog.LevelDebug)
	}
	if l, ok := core.ParseLogLevel(o.logLevel); ok {
		return core.NewLineHandler(stderr, l)
	}
	return nil
}

// register declares the global flags on fs, with the values already set as
// defaults (so that a flag given before the command is kept).
func (o *options) register(fs *flag.FlagSet) {
	fs.BoolVar(&o.json, "json", o.json, "machine-readable JSON output on stdout")
	fs.BoolVar(&o.verbose, "verbose", o.verbose, "tell on stderr what the library does (discovery, registration, token requests, refreshes, retries, HTTP exchanges), never a secret or token (default: $"+core.LogEnv+"'s level: debug, info, warn or error)")
	fs.BoolVar(&o.verbose, "v", o.verbose, "short for --verbose")
	fs.DurationVar(&o.timeout, "timeout", o.timeout, "bound on the command's network work (default 30s), or on the wait for a login (default 5m; --device: until the code expires)")
	fs.StringVar(&o.store, "store", o.store, "token store `directory`; keyring for the OS keyring (Secret Service), its locks in the default directory; or redis:// or rediss:// URL of a store shared by many hosts (default $"+envStore+", else $XDG_CONFIG_HOME/mcp-oauth or ~/.config/mcp-oauth)")
	fs.StringVar(&o.clientID, "client-id", o.clientID, "pre-registered client `id` (default $"+envClientID+"); with a secret, use the client_credentials grant")
	fs.StringVar(&o.secret, "client-secret", o.secret, "client `secret`; prefer $"+envClientSecret+": arguments are visible to other users and kept in shell history")
	fs.StringVar(&o.issuer, "issuer", o.issuer, "issuer `URL` of the authorization server that issued the client (default $"+envIssuer+"); required with a secret unless --token-url is given: the secret is sent to no other authorization server")
	fs.StringVar(&o.scope, "scope", o.scope, "space- or comma-separated `scopes` to request (default: the server's)")
	fs.StringVar(&o.authMethod, "auth-method", o.authMethod, "how the client authenticates at the token endpoint (`method`: client_secret_basic, client_secret_post, private_key_jwt or none; default $"+envAuthMethod+", else private_key_jwt with a key, client_secret_basic with a secret)")
	fs.StringVar(&o.privateKeyFile, "private-key-file", o.privateKeyFile, "PEM `file` of the client's private key for private_key_jwt (RFC 7523 §2.2) (default $"+envPrivateKey+"); with --client-id, the client_credentials grant")
	fs.StringVar(&o.tokenURL, "token-url", o.tokenURL, "token endpoint `URL` (default: discovered from the server)")
	fs.StringVar(&o.transport, "transport", o.transport, "MCP transport `mode`: streamable_http, sse or auto (try streamable_http, then sse; the default)")
	fs.BoolVar(&o.dpop, "dpop", o.dpop, "bind tokens to a key of this client (DPoP, RFC 9449) even when the server does not ask for it")
	fs.StringVar(&o.workloadFile, "workload-token-file", o.workloadFile, "authenticate as a workload: present the JWT in this `file` (re-read for every token) as a jwt-bearer grant")
	fs.Var(&o.headers, "header", "send this `\"Name: value\"` HTTP header on every request to the MCP server (repeatable; as curl -H); Authorization and the MCP transport's headers cannot be set")
	fs.StringVar(&o.workloadCommand, "workload-token-command", o.workloadCommand, "authenticate as a workload: run this `command` (split on spaces, no shell) and present the JWT it prints")
}

// check validates the flag values that do not depend on the command.
func (o *options) check() error {
	switch o.transport {
	case "", mcpclient.TransportStreamableHTTP, mcpclient.TransportSSE, mcpclient.TransportAuto, transportHTTP:
	default:
		return &usageError{msg: `--transport must be "streamable_http", "sse" or "auto"`}
	}
	if o.timeout < 0 {
		return &usageError{msg: "--timeout must not be negative"}
	}
	if o.tokenURL != "" && !o.clientCredentials() {
		return &usageError{msg: "--token-url applies to client credentials (--client-id with a secret) or a workload identity; a user login discovers its endpoints"}
	}
	if o.device && (o.secret != "" || o.privateKeyFile != "" || o.redirectURI != "" || o.noBrowser) {
		return &usageError{msg: "--device takes no client secret, --redirect-uri or --no-browser"}
	}
	if o.workloadFile != "" && o.workloadCommand != "" {
		return &usageError{msg: "give one of --workload-token-file and --workload-token-command"}
	}
	if (o.workloadFile != "" || o.workloadCommand != "") && (o.device || o.redirectURI != "" || o.noBrowser) {
		return &usageError{msg: "a workload identity takes no --device, --redirect-uri or --no-browser"}
	}
	if (o.secret != "" || o.privateKeyFile != "") && o.clientID == "" {
		return &usageError{msg: "a client secret or key needs a client id (--client-id or $" + envClientID + ")"}
	}
	return nil
}

// clientCredentials reports whether the command runs as a machine client,
// for CI: a confidential client with the client_credentials grant (RFC 6749
// §4.4), or a workload presenting its identity JWT (RFC 7523 §2.1).
func (o *options) clientCredentials() bool {
	return o.secret != "" || o.privateKeyFile != "" || o.workloadFile != "" || o.workloadCommand != ""
}

// scopes splits --scope.
func (o *options) scopes() []string { return splitScopes(o.scope) }

// splitScopes splits a space- or comma-separated list of scopes.
func splitScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
}

// timeoutOr is --timeout, or def when it was not given.
func (o *options) timeoutOr(def time.Duration) time.Duration {
	if o.timeout > 0 {
		return o.timeout
	}
	return def
}

// config builds the core configuration for server: discovery mode (token
// endpoint, registration and scopes found from the MCP server) unless
// --token-url is given, the authorization code grant unless client
// credentials are, and the token store dir. It fails only when the private
// key file cannot be read.
func (o *options) config(server, storeDir string) (*core.Config, error) {
	cfg := &core.Config{
		ServerURL:               server,
		ClientID:                o.clientID,
		ClientSecret:            o.secret,
		Issuer:                  o.issuer,
		TokenURL:                o.tokenURL,
		Scopes:                  o.scopes(),
		ClientName:              "mcp-oauth CLI",
		TokenStoreDir:           storeDir,
		GrantType:               core.GrantAuthorizationCode,
		TokenEndpointAuthMethod: o.authMethod,
	}
	if o.privateKeyFile != "" {
		pem, err := os.ReadFile(o.privateKeyFile)
		if err != nil {
			return nil, &usageError{msg: "--private-key-file: " + err.Error()}
		}
		cfg.PrivateKeyPEM = string(pem)
	}
	if core.IsStoreURL(storeDir) { // --store redis://… : shared by a fleet
		cfg.TokenStore, cfg.TokenStoreDir = storeDir, ""
	}
	if o.clientCredentials() {
		cfg.GrantType = core.GrantClientCredentials
	}
	if o.workloadFile != "" || o.workloadCommand != "" {
		cfg.GrantType = core.GrantJWTBearer
		cfg.WorkloadIdentityTokenFile = o.workloadFile
		cfg.WorkloadIdentityTokenCommand = strings.Fields(o.workloadCommand)
	}
	if o.dpop {
		cfg.DPoP = &o.dpop
	}
	cfg.MCPHeaders = o.headers
	if o.tokenURL != "" {
		cfg.Resource = server // RFC 8707: the token is for this server
	}
	timeout := o.timeoutOr(defaultTimeout)
	cfg.HTTPTimeoutSeconds = min(timeout.Seconds(), 3600)
	return cfg, nil
}

// headerFlags collects repeated --header flags.
type headerFlags []string

func (h *headerFlags) String() string { return strings.Join(*h, ", ") }

func (h *headerFlags) Set(v string) error {
	*h = append(*h, v)
	return nil
}
