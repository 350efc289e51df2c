// Package keyringstore is a [core.Store] in the OS keyring, as `gh` keeps
// its tokens: config token_store "keyring" (the CLI's --store keyring).
// Importing the package registers it (the C library, the CLI and the
// bindings import it).
//
// On Linux and the BSDs it speaks the freedesktop Secret Service API over
// the D-Bus session bus (gnome-keyring, KeePassXC, KWallet), with
// github.com/godbus/dbus/v5 for D-Bus and the Secret Service calls written
// here. Each entry — the client registration and the latest tokens of one
// MCP server, issuer and client, as JSON — is an item of the default
// keyring (alias "default", the login keyring) with the attributes
// service=mcp-oauth, entry=<hash of the key>, server_url, issuer and
// client_id, so `secret-tool lookup service mcp-oauth server_url URL`
// finds it. Secrets cross the bus encrypted (dhsession.go).
//
// The keyring has no locks: processes sharing it take the entry's
// flock(2) lock file in token_store_dir (default ~/.config/mcp-oauth), as
// the file store does, which holds no secret then.
//
// Where no Secret Service runs — no session bus (DBUS_SESSION_BUS_ADDRESS
// unset and no $XDG_RUNTIME_DIR/bus), or no org.freedesktop.secrets on it,
// running or activatable — the store is the file store of that directory,
// and one line on stderr says so. A keyring that is locked and could only
// be unlocked through a password prompt makes the store fail to open: a
// library cannot prompt for a process that may have no user before it.
//
// On Windows it is the Credential Manager (credman_windows.go): one generic
// credential per entry, "mcp-oauth/<hash of the key>", in parts past the
// 2,560 bytes a credential holds; there is always one, so no fall-back, and
// no lock (Windows has no flock(2), as for the file store there).
//
// The macOS Keychain needs cgo and the Security framework, which this
// pure-Go build has not: there Open fails with a configuration error naming
// token_store.
//
// Files:
//   - store.go: opening (the choice of the keyring, the fall-back to files
//     announced once), what the platforms share.
//   - secretstore.go: the entries in the Secret Service (Load, Save, List,
//     Delete), their attributes, the lock.
//   - secretservice.go: the Secret Service calls over D-Bus.
//   - dhsession.go: the session encryption (dh-ietf1024-sha256-aes128-cbc-pkcs7).
//   - credman_windows.go: the Credential Manager.
//   - keychain_darwin.go: the refusal on macOS.
package keyringstore
