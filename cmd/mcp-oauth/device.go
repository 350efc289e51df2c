package main

import (
	"context"
	"errors"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// errDeviceWaitTimeout: --timeout passed before the user approved.
var errDeviceWaitTimeout = errors.New("timed out waiting for the device authorization to be approved")

// loginDevice runs the device authorization grant (RFC 8628): the user
// code and the verification URI go to stderr, for the user to approve on
// any device, and the command polls the token endpoint until they decide or
// the code expires (or --timeout passes).
func loginDevice(ctx context.Context, a *app, m *core.TokenManager) error {
	if a.opts.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, a.opts.timeout)
		defer cancel()
	}
	err := m.AuthorizeDevice(ctx, func(d *core.DeviceAuthorization) error {
		a.progress("To authorize, visit\n\n  %s\n\nand enter the code\n\n  %s\n", d.VerificationURI, d.UserCode)
		if d.VerificationURIComplete != "" {
			a.progress("or open this URL, which carries the code:\n\n  %s\n", d.VerificationURIComplete)
		}
		a.progress("Waiting for the approval (the code expires at %s) ...", d.ExpiresAt.Local().Format(time.TimeOnly))
		return nil
	})
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return errDeviceWaitTimeout
	}
	return err
}
