package jsm

import (
	"net"
	"net/http"
	"time"
)

// NewHTTPClient returns an HTTP client with timeouts fit for a remote API:
// a hung connection must not hang a Terraform run.
func NewHTTPClient() *http.Client {
	// A fresh transport with http.DefaultTransport's settings (proxy from the
	// environment, HTTP/2), not a clone of a global another package may replace.
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.MaxIdleConnsPerHost = 16 // Terraform runs 10 operations at once by default
	t.ResponseHeaderTimeout = 60 * time.Second
	return &http.Client{Transport: t, Timeout: 2 * time.Minute}
}
