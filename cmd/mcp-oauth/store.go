package main

import (
	"errors"
	"os"
	"path/filepath"
	"sort"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// storeDir is the token store directory: --store, $MCP_OAUTH_STORE, else
// $XDG_CONFIG_HOME/mcp-oauth, else ~/.config/mcp-oauth (XDG Base Directory
// Specification). core.FileStore creates it 0700 and refuses one that other
// users can read.
func (a *app) storeDir() (string, error) {
	if a.opts.store != "" {
		return a.opts.store, nil
	}
	if x := a.getenv("XDG_CONFIG_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "mcp-oauth"), nil
	}
	home := a.getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", errors.New("no token store: set --store, $" + envStore + " or $HOME")
		}
		home = h
	}
	return filepath.Join(home, ".config", "mcp-oauth"), nil
}

// stored lists the stored credentials, those of server only unless server
// is "", sorted by server then issuer. A missing store is empty. The
// registrations, kept once per authorization server (an entry without a
// server), are not listed themselves but shown with the credentials of
// each server that uses them.
func (a *app) stored(server string) (core.Store, []*core.StoredCredentials, error) {
	fs, all, err := a.storeEntries()
	if err != nil {
		return nil, nil, err
	}
	registered := map[core.StoreKey]string{}
	for _, c := range all {
		if c.Key.ServerURL == "" {
			registered[c.Key] = c.RegisteredClientID
		}
	}
	var out []*core.StoredCredentials
	for _, c := range all {
		if c.Key.ServerURL == "" || (server != "" && c.Key.ServerURL != server) {
			continue
		}
		if id := registered[core.StoreKey{Issuer: c.Key.Issuer, ClientID: c.Key.ClientID}]; id != "" && c.RegisteredClientID == "" {
			shown := *c
			shown.RegisteredClientID = id
			c = &shown
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Key.ServerURL != out[j].Key.ServerURL {
			return out[i].Key.ServerURL < out[j].Key.ServerURL
		}
		return out[i].Key.Issuer < out[j].Key.Issuer
	})
	return fs, out, nil
}

// storeEntries opens the store and lists every entry.
func (a *app) storeEntries() (core.Store, []*core.StoredCredentials, error) {
	dir, err := a.storeDir()
	if err != nil {
		return nil, nil, err
	}
	var fs core.Store = &core.FileStore{Dir: dir}
	if core.IsStoreURL(dir) {
		if fs, err = core.OpenStore(&core.Config{TokenStore: dir}); err != nil {
			return nil, nil, err
		}
	}
	lister, ok := fs.(core.StoreLister)
	if !ok {
		return nil, nil, errors.New("this token store cannot list its entries")
	}
	all, err := lister.List()
	return fs, all, err
}

// requireLogin fails with a loginRequiredError unless the store holds a
// token or a refresh token for server as the client in use (the user's
// login: no client id; client credentials: theirs, which can always get a
// token and need no login). It needs no network, so "not logged in" is told
// apart from "server unreachable".
func (a *app) requireLogin(server string) error {
	if a.opts.clientCredentials() {
		return nil
	}
	_, creds, err := a.stored(server)
	if err != nil {
		return err
	}
	for _, c := range creds {
		if c.Key.ClientID == a.opts.clientID && (c.RefreshToken != "" || c.AccessToken != "") {
			return nil
		}
	}
	return &loginRequiredError{server: server}
}
