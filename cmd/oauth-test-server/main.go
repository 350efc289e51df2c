// Command oauth-test-server runs the oauthtest authorization server as a
// process, for the C, Python and Node tests and for the demo.
//
// It prints exactly one line on stdout, the base URL of the server (for
// example http://127.0.0.1:40123), and serves until SIGINT or SIGTERM, or,
// with -watch-stdin, until its standard input reaches end of file, so that it
// dies with the test harness that started it. With -v it logs one line per
// request (method, path, status, duration; never tokens nor secrets) to
// stderr.
//
// Usage:
//
//	oauth-test-server [-addr 127.0.0.1:0] [-lifetime 1h] [-latency 0]
//	    [-refresh-for-client-credentials] [-client id:secret]... [-watch-stdin] [-v]
//
// Each -client registers a client; "id" or "id:" registers a public client.
// Without -client, the default clients of package oauthtest are registered.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/testserve"
)

func main() { testserve.Main(run) }

// config is the parsed command line.
type config struct {
	opts       oauthtest.Options
	watchStdin bool
}

// run starts the server as the command line asks, prints its URL to stdout
// and serves until ctx is done or, with -watch-stdin, stdin is exhausted. It
// returns the process exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return testserve.FlagExitCode(err)
	}
	s, err := oauthtest.Start(cfg.opts)
	if err != nil {
		fmt.Fprintln(stderr, "oauth-test-server:", err)
		return 1
	}
	defer s.Close()
	return testserve.Announce(ctx, s.URL, "oauth-test-server: writing URL", cfg.watchStdin, stdin, stdout, stderr)
}

// parseFlags parses the command line, reporting errors and usage to stderr.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	var clients clientFlag
	fs := flag.NewFlagSet("oauth-test-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.opts.Addr, "addr", "127.0.0.1:0", "listen `address`")
	fs.DurationVar(&cfg.opts.TokenLifetime, "lifetime", time.Hour, "access token lifetime; negative omits expires_in")
	fs.DurationVar(&cfg.opts.Latency, "latency", 0, "delay before answering each token request")
	fs.BoolVar(&cfg.opts.RefreshTokensForClientCredentials, "refresh-for-client-credentials", false, "also issue refresh tokens on client_credentials grants")
	fs.Var(&clients, "client", "register a client `id:secret` (repeatable; id or id: is a public client)")
	fs.BoolVar(&cfg.watchStdin, "watch-stdin", false, "exit when stdin reaches end of file")
	verbose := fs.Bool("v", false, "log requests (method, path, status) to stderr")
	if err := testserve.ParseFlags(fs, args); err != nil {
		return config{}, err
	}
	cfg.opts.Clients = clients
	if *verbose {
		cfg.opts.RequestLog = stderr
	}
	return cfg, nil
}

// clientFlag collects repeated -client flags.
type clientFlag []oauthtest.Client

func (c *clientFlag) String() string {
	ids := make([]string, len(*c))
	for i, cl := range *c {
		ids[i] = cl.ID
	}
	return strings.Join(ids, ",")
}

// Set parses "id:secret", "id:" or "id"; the last two are public clients.
func (c *clientFlag) Set(v string) error {
	id, secret, _ := strings.Cut(v, ":")
	if id == "" {
		return errors.New("client ID must not be empty")
	}
	*c = append(*c, oauthtest.Client{ID: id, Secret: secret})
	return nil
}
