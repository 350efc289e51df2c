package main

/*
#include <stdlib.h>
typedef struct mcp_oauth mcp_oauth;
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// deviceJSON renders a device authorization as documented for
// mcp_oauth_device_begin: never the device code.
func deviceJSON(d *core.DeviceAuthorization, now time.Time) string {
	js, _ := json.Marshal(struct {
		UserCode                string `json:"user_code"`
		VerificationURI         string `json:"verification_uri"`
		VerificationURIComplete string `json:"verification_uri_complete"`
		ExpiresIn               int64  `json:"expires_in"`
		Interval                int64  `json:"interval"`
	}{
		d.UserCode, d.VerificationURI, d.VerificationURIComplete,
		int64(max(d.ExpiresAt.Sub(now), 0) / time.Second), int64(d.Interval / time.Second),
	})
	return string(js)
}

//export mcp_oauth_device_begin
func mcp_oauth_device_begin(h *C.mcp_oauth, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	clearOut(outJSON)
	hd, err := handleOf(h)
	if err != nil {
		return fail(outErr, err)
	}
	if outJSON == nil {
		return fail(outErr, errArg("out_json is NULL"))
	}
	ctx := hd.calls.context()
	d, err := hd.mgr.BeginDeviceAuthorization(ctx)
	if err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	hd.deviceMu.Lock()
	hd.device = d // replaces an earlier pending authorization
	hd.deviceMu.Unlock()
	*outJSON = C.CString(deviceJSON(d, time.Now()))
	return statusOK
}

//export mcp_oauth_device_complete
func mcp_oauth_device_complete(h *C.mcp_oauth, timeoutSeconds C.int, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	hd, err := handleOf(h)
	if err != nil {
		return fail(outErr, err)
	}
	hd.deviceMu.Lock()
	d := hd.device
	hd.deviceMu.Unlock()
	if d == nil {
		return fail(outErr, errArg("no pending device authorization: call mcp_oauth_device_begin first"))
	}
	ctx := hd.calls.context()
	if timeoutSeconds > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(timeoutSeconds)*time.Second)
		defer cancel()
	}
	err = outcome(ctx, hd.mgr.CompleteDeviceAuthorization(ctx, d))
	if err == nil || !retryable(err) {
		hd.deviceMu.Lock()
		if hd.device == d {
			hd.device = nil
		}
		hd.deviceMu.Unlock()
	}
	if err != nil {
		return fail(outErr, err)
	}
	return statusOK
}

// retryable reports whether the device authorization stays pending after
// err, so that mcp_oauth_device_complete may be called again: after a
// timeout, a network failure, an HTTP error status or mcp_oauth_cancel.
// Approval, denial, expiry and other OAuth errors end it.
func retryable(err error) bool {
	var ne *core.NetworkError
	var se *core.ServerError
	return errors.As(err, &ne) || errors.As(err, &se) || errors.Is(err, errCancelled)
}
