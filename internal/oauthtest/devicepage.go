package oauthtest

import (
	"errors"
	"html/template"
	"net/http"
	"time"
)

// verificationPage is the end-user verification page (RFC 8628 §3.3): a
// form for the user code, prefilled from verification_uri_complete, with
// approve and deny buttons.
var verificationPage = template.Must(template.New("device").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Device sign-in</title></head>
<body>
<h1>Connect a device</h1>
{{if .Message}}<p id="message">{{.Message}}</p>{{end}}
<form method="post" action="/device">
<label>Code shown on your device <input name="user_code" value="{{.UserCode}}" autocomplete="off" required></label>
<button name="action" value="approve">Approve</button>
<button name="action" value="deny">Deny</button>
</form>
</body></html>
`))

// verificationData fills verificationPage.
type verificationData struct {
	UserCode string
	Message  string
}

// handleVerificationPage serves GET /device: the form, with user_code
// filled in when the user followed verification_uri_complete.
func (s *Server) handleVerificationPage(w http.ResponseWriter, r *http.Request) {
	s.countVerification()
	writePage(w, http.StatusOK, verificationData{UserCode: r.URL.Query().Get("user_code")})
}

// handleVerificationSubmit serves POST /device: the user approves or denies
// the device authorization named by user_code (RFC 8628 §3.3).
func (s *Server) handleVerificationSubmit(w http.ResponseWriter, r *http.Request) {
	s.countVerification()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writePage(w, http.StatusBadRequest, verificationData{Message: "Malformed request."})
		return
	}
	userCode := r.PostForm.Get("user_code")
	var err error
	switch r.PostForm.Get("action") {
	case "approve":
		err = s.ApproveDevice(userCode)
	case "deny":
		err = s.DenyDevice(userCode)
	default:
		err = errors.New("choose approve or deny")
	}
	if err != nil {
		writePage(w, http.StatusBadRequest, verificationData{UserCode: userCode, Message: "Not done: " + err.Error() + "."})
		return
	}
	writePage(w, http.StatusOK, verificationData{Message: "Done: you may return to your device."})
}

// countVerification counts a request to the verification page.
func (s *Server) countVerification() {
	s.mu.Lock()
	s.counts.DeviceVerification++
	s.mu.Unlock()
}

// writePage renders the verification page with the given status.
func writePage(w http.ResponseWriter, status int, data verificationData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = verificationPage.Execute(w, data) // a write error means the client went away
}

// deviceRequest is the body of POST /_test/device: approve or deny the
// device authorization of a user code.
type deviceRequest struct {
	UserCode string `json:"user_code"`
	Action   string `json:"action"`
}

// handleDeviceControl serves POST /_test/device, the HTTP form of
// ApproveDevice and DenyDevice.
func (s *Server) handleDeviceControl(w http.ResponseWriter, r *http.Request) {
	var req deviceRequest
	if !decodeControl(w, r, &req) {
		return
	}
	var err error
	switch req.Action {
	case "approve":
		err = s.ApproveDevice(req.UserCode)
	case "deny":
		err = s.DenyDevice(req.UserCode)
	default:
		err = errors.New(`action must be "approve" or "deny"`)
	}
	if err != nil {
		writeControlError(w, err)
		return
	}
	writeOK(w)
}

// deviceConfig is the device part of POST /_test/config; absent fields are
// left unchanged.
type deviceConfig struct {
	DeviceAutoApprovePolls *int   `json:"device_auto_approve_polls"`
	DeviceSlowDownPolls    *int   `json:"device_slow_down_polls"`
	DeviceCodeLifetimeMS   *int64 `json:"device_code_lifetime_ms"`
	DeviceIntervalMS       *int64 `json:"device_interval_ms"`
}

// validate refuses negative counts and lifetimes.
func (c deviceConfig) validate() error {
	for _, n := range []*int{c.DeviceAutoApprovePolls, c.DeviceSlowDownPolls} {
		if n != nil && *n < 0 {
			return errors.New("device poll counts must not be negative")
		}
	}
	if c.DeviceCodeLifetimeMS != nil && *c.DeviceCodeLifetimeMS < 0 {
		return errors.New("device_code_lifetime_ms must not be negative")
	}
	return nil
}

// apply applies the fields set.
func (c deviceConfig) apply(s *Server) {
	if c.DeviceAutoApprovePolls != nil {
		s.SetDeviceAutoApprove(*c.DeviceAutoApprovePolls)
	}
	if c.DeviceSlowDownPolls != nil {
		s.SlowDownNext(*c.DeviceSlowDownPolls)
	}
	if c.DeviceCodeLifetimeMS != nil {
		s.SetDeviceCodeLifetime(time.Duration(*c.DeviceCodeLifetimeMS) * time.Millisecond)
	}
	if c.DeviceIntervalMS != nil {
		s.SetDeviceInterval(time.Duration(*c.DeviceIntervalMS) * time.Millisecond)
	}
}
