package jsm

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite/contract"
)

// memURL is the base URL of the clients of handlerClient: a loopback host
// (ValidateBaseURL takes http there) that is never dialled.
const memURL = "http://127.0.0.1:9"

// handlerClient is an http.Client that serves every request with h in
// memory, through an httptest.ResponseRecorder: no socket, no connection
// pool, no goroutine left behind, so a test may run the client inside a
// testing/synctest bubble, where time is fake and moves only when every
// goroutine of the test waits. Its answers then take no time at all, and a
// test can tell to the nanosecond how long the client itself waited.
func handlerClient(h http.Handler) *http.Client {
	return &http.Client{Transport: handlerTransport{h}}
}

type handlerTransport struct{ h http.Handler }

// RoundTrip hands the request to the handler as a server would (its
// context is the request's, as a server's ends when the client hangs up)
// and, as a real transport does, gives up when the request's context ends
// first.
func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	in := req.Clone(req.Context())
	in.Body = http.NoBody
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		in.Body = io.NopCloser(bytes.NewReader(body))
	}
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:40000"
	in.Host = req.URL.Host
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.h.ServeHTTP(rec, in)
	}()
	select {
	case <-done:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// newMemSite is a local JSM site with the given faults, held to Atlassian's
// documents: served in memory (handlerClient) for tests in a synctest
// bubble, or through a socket (newFaultySite).
func newMemSite(t *testing.T, f jsmsite.Faults) *jsmsite.Site {
	t.Helper()
	site, err := jsmsite.New(jsmsite.Config{Email: tEmail, APIToken: tToken})
	if err != nil {
		t.Fatal(err)
	}
	contract.Enable(t, site)
	if err := site.SetFaults(f); err != nil {
		t.Fatal(err)
	}
	return site
}

// newMemClient is newRetryClient for a handler served in memory.
func newMemClient(t *testing.T, h http.Handler, cfg Config) (*Client, *rtWaits) {
	t.Helper()
	cfg.HTTPClient = handlerClient(h)
	return newRetryClient(t, memURL, cfg)
}
