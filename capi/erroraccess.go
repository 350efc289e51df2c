package main

/*
typedef const char cchar_t;
*/
import "C"

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// The error accessors read the members of an out_error document for C
// programs without a JSON parser. Member names are strings, as in the
// document itself, so that no second list of them exists.

// errorDoc decodes an out_error document.
func errorDoc(errorJSON *C.cchar_t) (map[string]json.RawMessage, error) {
	js, err := goString(errorJSON, "error_json")
	if err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &doc); err != nil || doc == nil {
		return nil, errArg("error_json is not a JSON object")
	}
	return doc, nil
}

//export mcp_oauth_error_code
func mcp_oauth_error_code(errorJSON *C.cchar_t) (rc C.int) {
	defer guard(&rc, nil)
	doc, err := errorDoc(errorJSON)
	if err != nil {
		return fail(nil, err)
	}
	var code int
	if json.Unmarshal(doc["code"], &code) != nil || code > 0 {
		return fail(nil, errArg("error_json has no code"))
	}
	return C.int(code)
}

//export mcp_oauth_error_member
func mcp_oauth_error_member(errorJSON, member *C.cchar_t, out **C.char) (rc C.int) {
	defer guard(&rc, nil)
	clearOut(out)
	if out == nil {
		return fail(nil, errArg("out is NULL"))
	}
	doc, err := errorDoc(errorJSON)
	if err != nil {
		return fail(nil, err)
	}
	name, err := goString(member, "member")
	if err != nil {
		return fail(nil, err)
	}
	raw, ok := doc[name]
	if !ok || bytes.Equal(raw, []byte("null")) {
		return statusOK
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		*out = C.CString(s)
		return statusOK
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&n) == nil {
		if i, err := n.Int64(); err == nil {
			*out = C.CString(strconv.FormatInt(i, 10))
		} else {
			*out = C.CString(n.String())
		}
		return statusOK
	}
	*out = C.CString(string(raw)) // an object or array member: its JSON text
	return statusOK
}
