package jsmsite

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jsmtf/terraform-provider-jsm/internal/testclock"
)

func TestTokenEndpoint(t *testing.T) {
	// The site's clock moves only when the test moves it: the token's
	// expiry is checked exactly, on either side of it.
	clock := testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	site, err := New(Config{Email: "admin@example.com", APIToken: "tok", ClientID: "cid", ClientSecret: "csecret",
		TokenLifetime: 300 * time.Millisecond, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Gateway(site.CloudID()))
	defer srv.Close()

	token := func(secret string) (int, map[string]any) {
		resp, err := http.PostForm(srv.URL+"/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"cid"}, "client_secret": {secret}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	get := func(path, tok string) int {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	if st, out := token("wrong"); st != http.StatusUnauthorized || out["error"] != "invalid_client" {
		t.Errorf("wrong secret: %d %v", st, out)
	}
	st, out := token("csecret")
	tok, _ := out["access_token"].(string)
	if st != http.StatusOK || tok == "" || out["token_type"] != "Bearer" || out["expires_in"] != float64(1) {
		t.Fatalf("token: %d %v", st, out)
	}
	gw := "/ex/jira/" + site.CloudID() + "/rest/servicedeskapi/servicedesk"
	if st := get(gw, tok); st != http.StatusOK {
		t.Errorf("through the gateway: %d", st)
	}
	if st := get("/rest/servicedeskapi/servicedesk", tok); st != http.StatusUnauthorized {
		t.Errorf("on the site URL: %d, want 401 (gateway only)", st)
	}
	if st := get(gw, strings.ToUpper(tok)); st != http.StatusUnauthorized {
		t.Errorf("an unknown token: %d", st)
	}
	clock.Advance(300*time.Millisecond - time.Nanosecond)
	if st := get(gw, tok); st != http.StatusOK {
		t.Errorf("a token 1 ns before its expiry: %d, want 200", st)
	}
	clock.Advance(time.Nanosecond)
	if st := get(gw, tok); st != http.StatusUnauthorized {
		t.Errorf("an expired token: %d, want 401", st)
	}
	if n := site.TokensIssued(); n != 1 {
		t.Errorf("%d tokens issued", n)
	}
}
