package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// usage writes the tool's help: commands, global flags, environment and
// exit codes.
func (a *app) usage(w io.Writer) {
	fmt.Fprint(w, `mcp-oauth obtains OAuth access tokens for MCP servers and calls their tools.

Usage:
  mcp-oauth [flags] <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %-32s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprint(w, `
Flags (accepted before or after the command):
`)
	fs := flag.NewFlagSet("mcp-oauth", flag.ContinueOnError)
	var o options
	o.register(fs)
	printDefaults(w, fs)
	fmt.Fprint(w, exitCodesHelp)
}

// exitCodesHelp documents the environment and the exit codes (see
// exitcodes.go).
var exitCodesHelp = fmt.Sprintf(`
Environment:
  %s, %s  client credentials for CI (the client_credentials grant);
      prefer them to --client-secret, which other users can see in the process list
  %s  issuer of the authorization server that issued them (--issuer)
  %s  token store directory
  BROWSER  command that opens the authorization URL (default: xdg-open with a display, open on macOS)

Progress and errors go to stderr; stdout carries only the result (for token: the token alone).

Exit codes:
  %d  success
  %d  failure
  %d  usage error (bad command line or configuration)
  %d  login required: no stored credentials, or the refresh token was rejected
  %d  authorization denied or expired
  %d  network error or server unreachable
  %d  MCP error: the server refused the request, or the tool reported an error
  %d  interrupted (SIGINT, SIGTERM)
`, envClientID, envClientSecret, envIssuer, envStore,
	exitOK, exitFailure, exitUsage, exitLoginNeeded, exitAuthDenied, exitUnreachable, exitMCPError, exitInterrupted)

// commandUsage writes a command's help.
func (a *app) commandUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: mcp-oauth %s [flags] %s\n\n%s%s.\n\nFlags:\n",
		c.name, c.args, strings.ToUpper(c.summary[:1]), c.summary[1:])
	printDefaults(w, fs)
	fmt.Fprintln(w, "\nRun 'mcp-oauth --help' for the environment and the exit codes.")
}

// printDefaults writes fs's flags with two dashes, as they are usually
// typed.
func printDefaults(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s", f.Name)
		if name != "" {
			fmt.Fprintf(w, " %s", name)
		}
		fmt.Fprintf(w, "\n      %s\n", usage)
	})
}
