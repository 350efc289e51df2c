package main

/*
#include <stdint.h>
typedef const char cchar_t;
typedef struct mcp_oauth mcp_oauth;
typedef struct mcp_oauth_config mcp_oauth_config;
*/
import "C"

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"unsafe"

	pointer "github.com/mattn/go-pointer"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// configHandle is what an mcp_oauth_config* stands for: the members of a
// configuration document, set one by one from C without writing JSON. It
// validates nothing itself: mcp_oauth_new_from_config encodes the members
// as the JSON document mcp_oauth_new takes and hands it to the one decoder,
// core.ParseConfig, which names any unknown member or wrong type.
type configHandle struct {
	mu      sync.Mutex
	members map[string]any // string, float64, bool or []string
	closed  atomic.Bool
}

func (c *configHandle) closedFlag() *atomic.Bool { return &c.closed }
func (c *configHandle) release()                 {}
func (c *configHandle) cword() unsafe.Pointer    { return nil }

func configOf(c *C.mcp_oauth_config) (*configHandle, error) {
	if ch, ok := lookup[*configHandle](unsafe.Pointer(c)); ok {
		return ch, nil
	}
	return nil, core.ErrBadHandle
}

// setMember stores one member's value, replacing an earlier one (add
// appends to a string list instead).
func setMember(c *C.mcp_oauth_config, field *C.cchar_t, outErr **C.char, value func() (any, error), add bool) C.int {
	clearOut(outErr)
	ch, err := configOf(c)
	if err != nil {
		return fail(outErr, err)
	}
	name, err := goString(field, "field")
	if err != nil {
		return fail(outErr, err)
	}
	if name == "" {
		return fail(outErr, errArg("field is empty"))
	}
	v, err := value()
	if err != nil {
		return fail(outErr, err)
	}
	ch.mu.Lock()
	defer ch.mu.Unlock()
	if add {
		list, _ := ch.members[name].([]string)
		v = append(list, v.(string))
	}
	ch.members[name] = v
	return statusOK
}

//export mcp_oauth_config_new
func mcp_oauth_config_new(out **C.mcp_oauth_config) (rc C.int) {
	defer guard(&rc, nil)
	if out == nil {
		return fail(nil, errArg("out is NULL"))
	}
	*out = (*C.mcp_oauth_config)(pointer.Save(&configHandle{members: map[string]any{}}))
	return statusOK
}

//export mcp_oauth_config_set_string
func mcp_oauth_config_set_string(c *C.mcp_oauth_config, field, value *C.cchar_t, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	return setMember(c, field, outErr, func() (any, error) { return goString(value, "value") }, false)
}

//export mcp_oauth_config_add_string
func mcp_oauth_config_add_string(c *C.mcp_oauth_config, field, value *C.cchar_t, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	return setMember(c, field, outErr, func() (any, error) { return goString(value, "value") }, true)
}

//export mcp_oauth_config_set_number
func mcp_oauth_config_set_number(c *C.mcp_oauth_config, field *C.cchar_t, value C.double, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	return setMember(c, field, outErr, func() (any, error) {
		f := float64(value)
		if f != f || f > 1e300 || f < -1e300 { // NaN or ±Inf have no JSON form
			return nil, errArg("value is not a finite number")
		}
		return f, nil
	}, false)
}

//export mcp_oauth_config_set_bool
func mcp_oauth_config_set_bool(c *C.mcp_oauth_config, field *C.cchar_t, value C.int, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	return setMember(c, field, outErr, func() (any, error) { return value != 0, nil }, false)
}

//export mcp_oauth_config_free
func mcp_oauth_config_free(c *C.mcp_oauth_config) (rc C.int) {
	defer guard(&rc, nil)
	if c == nil {
		return statusOK
	}
	if !free[*configHandle](unsafe.Pointer(c)) {
		return fail(nil, core.ErrBadHandle)
	}
	return statusOK
}

//export mcp_oauth_new_from_config
func mcp_oauth_new_from_config(c *C.mcp_oauth_config, out **C.mcp_oauth, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	if out == nil {
		return fail(outErr, errArg("out is NULL"))
	}
	*out = nil
	ch, err := configOf(c)
	if err != nil {
		return fail(outErr, err)
	}
	ch.mu.Lock()
	doc, err := json.Marshal(ch.members)
	ch.mu.Unlock()
	if err != nil {
		return fail(outErr, err)
	}
	p, err := handleFromJSON(doc)
	if err != nil {
		return fail(outErr, err)
	}
	*out = (*C.mcp_oauth)(p)
	return statusOK
}

// handleFromJSON decodes a configuration document (core.ParseConfig, the
// one decoder) and registers a token manager for it.
func handleFromJSON(doc []byte) (unsafe.Pointer, error) {
	cfg, err := core.ParseConfig(doc)
	if err != nil {
		return nil, err
	}
	return newHandle(cfg)
}
