package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// validity is a stored entry's token state in words.
func validity(st core.Status) string {
	var s string
	switch {
	case !st.HasToken:
		s = "no valid access token"
	case st.ExpiresAt == "":
		s = "access token without announced expiry"
	default:
		s = "access token valid until " + st.ExpiresAt
		if at, err := time.Parse(time.RFC3339, st.ExpiresAt); err == nil {
			s = "access token valid until " + at.Local().Format(time.RFC3339)
		}
	}
	if st.HasRefreshToken {
		return s + ", refresh token held"
	}
	return s + ", no refresh token"
}

var statusCommand = &command{
	name: "status", args: "[server-url]", summary: "list the stored credentials (never tokens or secrets)",
	run: func(_ context.Context, a *app, args []string) error {
		if err := wantArgs(args, 0, 1, "status [server-url]"); err != nil {
			return err
		}
		server := ""
		if len(args) == 1 {
			server = args[0]
		}
		_, creds, err := a.stored(server)
		if err != nil {
			return err
		}
		now := time.Now()
		infos := make([]core.Status, 0, len(creds))
		for _, c := range creds {
			infos = append(infos, core.StoredStatus(c, now))
		}
		if a.opts.json {
			return a.printJSON(map[string]any{"credentials": infos})
		}
		if len(infos) == 0 {
			_, err := fmt.Fprintln(a.stdout, "No stored credentials.")
			return err
		}
		for _, i := range infos {
			scopes := strings.Join(i.Scopes, " ")
			if scopes == "" {
				scopes = "(none)"
			}
			kind := "pre-registered"
			if i.ClientSource == core.ClientRegistered {
				kind = "registered dynamically"
			}
			fmt.Fprintf(a.stdout, "%s\n  issuer:  %s\n  client:  %s (%s)\n  scopes:  %s\n  token:   %s\n",
				shown(i.ServerURL), shown(i.Issuer), shown(i.ClientID), kind, shown(scopes), validity(i))
		}
		return nil
	},
}

var logoutCommand = &command{
	name: "logout", args: "[server-url]",
	summary: "delete the stored credentials of one server, or of all",
	run: func(_ context.Context, a *app, args []string) error {
		if err := wantArgs(args, 0, 1, "logout [server-url]"); err != nil {
			return err
		}
		server := ""
		if len(args) == 1 {
			server = args[0]
		}
		fs, creds, err := a.stored(server)
		if err != nil {
			return err
		}
		if server != "" && len(creds) == 0 {
			a.progress("No stored credentials for %s.", server)
		}
		deleter, ok := fs.(core.StoreDeleter)
		if !ok && len(creds) > 0 {
			return errors.New("this token store cannot delete its entries")
		}
		for _, c := range creds {
			if err := deleter.Delete(c.Key); err != nil {
				return err
			}
			a.progress("Removed the credentials for %s (issuer %s).", c.Key.ServerURL, c.Key.Issuer)
		}
		if server == "" { // all: the registrations too, kept per authorization server
			_, all, err := a.storeEntries()
			if err != nil {
				return err
			}
			for _, c := range all {
				if c.Key.ServerURL != "" || deleter == nil {
					continue
				}
				if err := deleter.Delete(c.Key); err != nil {
					return err
				}
			}
		}
		if a.opts.json {
			return a.printJSON(map[string]int{"removed": len(creds)})
		}
		return nil
	},
}
