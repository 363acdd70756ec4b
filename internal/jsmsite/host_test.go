package jsmsite

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestLoopbackHost(t *testing.T) {
	for host, ok := range map[string]bool{
		"localhost": true, "LocalHost:8089": true, "127.0.0.1": true, "127.0.0.1:0": true, "127.5.6.7:99": true,
		"[::1]": true, "[::1]:8089": true, "::1": true, "[::ffff:127.0.0.1]:80": true,
		"": false, "evil.example": false, "evil.example:8089": false, "127.0.0.1.evil.example": false,
		"localhost.evil.example": false, "10.0.0.1": false, "0.0.0.0:8089": false, "[::]:80": false, "[::2]": false,
		"127.1": false, "2130706433": false, "[fe80::1%lo0]:80": false, "localhost:8089:1": false,
	} {
		if got := LoopbackHost(host); got != ok {
			t.Errorf("LoopbackHost(%q) = %v, want %v", host, got, ok)
		}
	}
}

// A request addressed to another host (a web page that rebinds its own DNS
// name to 127.0.0.1 sends its own name) is refused with 421 and a message
// that says why, and changes nothing; loopback names with any port are
// served.
func TestSite_onlyLoopbackHosts(t *testing.T) {
	f := newFixture(t, Config{})
	o := f.site.AddOrganization("Acme")
	path := "/rest/servicedeskapi/organization/" + strconv.FormatInt(o.ID, 10)
	send := func(method, host string) (int, string) {
		req, _ := http.NewRequest(method, f.srv.URL+path, nil)
		req.Host = host
		req.SetBasicAuth(testEmail, testToken)
		resp, err := f.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, host := range []string{"evil.example", "evil.example:8089", "127.0.0.1.evil.example", "10.0.0.1:8089"} {
		st, body := send(http.MethodDelete, host)
		if st != http.StatusMisdirectedRequest || !strings.Contains(body, "loopback") || !strings.Contains(body, "DNS rebinding") {
			t.Errorf("Host %s: %d %s", host, st, body)
		}
		if _, ok := f.site.Organization(strconv.FormatInt(o.ID, 10)); !ok {
			t.Fatalf("a request addressed to %s deleted the organization", host)
		}
	}
	for _, host := range []string{"localhost", "localhost:9999", "127.0.0.1", "127.9.9.9:1", "[::1]:8089"} {
		if st, body := send(http.MethodGet, host); st != http.StatusOK {
			t.Errorf("Host %s: %d %s", host, st, body)
		}
	}
}
