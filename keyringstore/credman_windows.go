package keyringstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// The Windows Credential Manager (wincred.h), called through advapi32: each
// entry is a generic credential of the user, persisted on this machine
// (CRED_PERSIST_LOCAL_MACHINE: not roamed), its target name
// "mcp-oauth/<hash of the key>", its blob the entry's JSON. A blob holds at
// most CRED_MAX_CREDENTIAL_BLOB_SIZE (2,560) bytes and an entry with a JWT
// access token and a DPoP key may hold more: the rest goes to the
// credentials "mcp-oauth/<hash>/1", "/2"…, written before the first one,
// whose comment counts the parts. The Credential Manager encrypts blobs
// with the user's logon credentials (DPAPI).

var (
	advapi32        = windows.NewLazySystemDLL("advapi32.dll")
	procCredWriteW  = advapi32.NewProc("CredWriteW")
	procCredReadW   = advapi32.NewProc("CredReadW")
	procCredDeleteW = advapi32.NewProc("CredDeleteW")
	procCredEnumW   = advapi32.NewProc("CredEnumerateW")
	procCredFree    = advapi32.NewProc("CredFree")
)

const (
	credTypeGeneric         = 1
	credPersistLocalMachine = 2
	credMaxBlob             = 5 * 512
	targetPrefix            = service + "/"
)

// credentialW is CREDENTIALW.
type credentialW struct {
	Flags              uint32
	Type               uint32
	TargetName         *uint16
	Comment            *uint16
	LastWritten        windows.Filetime
	CredentialBlobSize uint32
	CredentialBlob     *byte
	Persist            uint32
	AttributeCount     uint32
	Attributes         uintptr
	TargetAlias        *uint16
	UserName           *uint16
}

// credStore is a [core.Store] in the Credential Manager. Windows has no
// flock(2): as with the file store there, processes do not coordinate, and
// the store keeps no file.
type credStore struct{}

// credMu keeps an entry's parts from being read, in this process, while
// they are written.
var credMu sync.Mutex

var (
	_ core.Store        = (*credStore)(nil)
	_ core.StoreLister  = (*credStore)(nil)
	_ core.StoreDeleter = (*credStore)(nil)
)

func openNative(string) (core.Store, error) { return &credStore{}, nil }

func sessionID() string { return "" }

// read returns a credential's blob and comment; ok is false when it does
// not exist.
func read(target string) (blob []byte, comment string, ok bool, err error) {
	name, err := windows.UTF16PtrFromString(target)
	if err != nil {
		return nil, "", false, err
	}
	var cred *credentialW
	r, _, e := procCredReadW.Call(uintptr(unsafe.Pointer(name)), credTypeGeneric, 0, uintptr(unsafe.Pointer(&cred)))
	if r == 0 {
		if errors.Is(e, windows.ERROR_NOT_FOUND) {
			return nil, "", false, nil
		}
		return nil, "", false, fmt.Errorf("mcp-oauth: token store: CredReadW: %w", e)
	}
	defer procCredFree.Call(uintptr(unsafe.Pointer(cred)))
	blob = bytes.Clone(unsafe.Slice(cred.CredentialBlob, cred.CredentialBlobSize))
	return blob, windows.UTF16PtrToString(cred.Comment), true, nil
}

// write creates or replaces a credential.
func write(target, comment, user string, blob []byte) error {
	cred := credentialW{Type: credTypeGeneric, Persist: credPersistLocalMachine, CredentialBlobSize: uint32(len(blob))}
	var err error
	if cred.TargetName, err = windows.UTF16PtrFromString(target); err != nil {
		return err
	}
	if cred.Comment, err = windows.UTF16PtrFromString(comment); err != nil {
		return err
	}
	if cred.UserName, err = windows.UTF16PtrFromString(user); err != nil {
		return err
	}
	if len(blob) > 0 {
		cred.CredentialBlob = &blob[0]
	}
	if r, _, e := procCredWriteW.Call(uintptr(unsafe.Pointer(&cred)), 0); r == 0 {
		return fmt.Errorf("mcp-oauth: token store: CredWriteW: %w", e)
	}
	return nil
}

// remove deletes a credential; a missing one is not an error.
func remove(target string) error {
	name, err := windows.UTF16PtrFromString(target)
	if err != nil {
		return err
	}
	if r, _, e := procCredDeleteW.Call(uintptr(unsafe.Pointer(name)), credTypeGeneric, 0); r == 0 && !errors.Is(e, windows.ERROR_NOT_FOUND) {
		return fmt.Errorf("mcp-oauth: token store: CredDeleteW: %w", e)
	}
	return nil
}

// partsPrefix starts the first credential's comment, which counts the
// parts.
const partsPrefix = "mcp-oauth entry, parts="

// load reads the entry whose first credential is target.
func load(target string) ([]byte, bool, error) {
	data, comment, ok, err := read(target)
	if err != nil || !ok {
		return nil, ok, err
	}
	n, err := strconv.Atoi(strings.TrimPrefix(comment, partsPrefix))
	if err != nil || n < 1 {
		return nil, true, errors.New("mcp-oauth: token store: a Credential Manager entry of mcp-oauth is corrupt")
	}
	for i := 1; i < n; i++ {
		part, _, ok, err := read(target + "/" + strconv.Itoa(i))
		if err != nil {
			return nil, true, err
		}
		if !ok {
			return nil, true, errors.New("mcp-oauth: token store: a Credential Manager entry of mcp-oauth misses a part")
		}
		data = append(data, part...)
	}
	return data, true, nil
}

func (s *credStore) Load(k core.StoreKey) (*core.StoredCredentials, error) {
	credMu.Lock()
	defer credMu.Unlock()
	data, ok, err := load(targetPrefix + entryName(k))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, core.ErrNotStored
	}
	return decode(data, &k)
}

// Save writes the parts after the first, then the first (which names how
// many there are), then removes parts a longer entry left.
func (s *credStore) Save(c *core.StoredCredentials) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	credMu.Lock()
	defer credMu.Unlock()
	target := targetPrefix + entryName(c.Key)
	var parts [][]byte
	for len(data) > credMaxBlob {
		parts, data = append(parts, data[:credMaxBlob]), data[credMaxBlob:]
	}
	parts = append(parts, data)
	for i := len(parts) - 1; i >= 1; i-- {
		if err := write(target+"/"+strconv.Itoa(i), "mcp-oauth entry part", c.Key.ServerURL, parts[i]); err != nil {
			return err
		}
	}
	if err := write(target, partsPrefix+strconv.Itoa(len(parts)), c.Key.ServerURL, parts[0]); err != nil {
		return err
	}
	return removeParts(target, len(parts))
}

// removeParts deletes the parts of target from the from-th on.
func removeParts(target string, from int) error {
	for i := from; ; i++ {
		name := target + "/" + strconv.Itoa(i)
		_, _, ok, err := read(name)
		if err != nil || !ok {
			return err
		}
		if err := remove(name); err != nil {
			return err
		}
	}
}

func (s *credStore) Delete(k core.StoreKey) error {
	credMu.Lock()
	defer credMu.Unlock()
	target := targetPrefix + entryName(k)
	if err := remove(target); err != nil {
		return err
	}
	return removeParts(target, 1)
}

// List reads every entry (CredEnumerateW on "mcp-oauth/*", the parts left
// out).
func (s *credStore) List() ([]*core.StoredCredentials, error) {
	filter, err := windows.UTF16PtrFromString(targetPrefix + "*")
	if err != nil {
		return nil, err
	}
	var count uint32
	var creds **credentialW
	r, _, e := procCredEnumW.Call(uintptr(unsafe.Pointer(filter)), 0, uintptr(unsafe.Pointer(&count)), uintptr(unsafe.Pointer(&creds)))
	if r == 0 {
		if errors.Is(e, windows.ERROR_NOT_FOUND) {
			return nil, nil
		}
		return nil, fmt.Errorf("mcp-oauth: token store: CredEnumerateW: %w", e)
	}
	var targets []string
	for _, c := range unsafe.Slice(creds, count) {
		if t := windows.UTF16PtrToString(c.TargetName); !strings.Contains(strings.TrimPrefix(t, targetPrefix), "/") {
			targets = append(targets, t)
		}
	}
	procCredFree.Call(uintptr(unsafe.Pointer(creds)))
	credMu.Lock()
	defer credMu.Unlock()
	var out []*core.StoredCredentials
	for _, t := range targets {
		if data, ok, err := load(t); err == nil && ok {
			if c, err := decode(data, nil); err == nil {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// Lock is a no-op, as the file store's on Windows.
func (s *credStore) Lock(context.Context, core.StoreKey, time.Duration) (func(), error) {
	return func() {}, nil
}
