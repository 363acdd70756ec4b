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

// The CSM gateway takes a service account's token by default; with
// CSMAnswers.ServiceAccountRefusal it answers 401 or 403 to it, and still
// takes an OAuth access token. JSM's own API takes the token throughout.
func TestCSMServiceAccountRefusal(t *testing.T) {
	site, err := New(Config{Email: "admin@example.com", APIToken: "tok", ClientID: "cid", ClientSecret: "csecret", AccessToken: "oauth-3lo"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site.Gateway(site.CloudID()))
	defer srv.Close()
	resp, err := http.PostForm(srv.URL+"/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"cid"}, "client_secret": {"csecret"}})
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
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
	csm := strings.Replace(CSMPrefix, "{cloudId}", site.CloudID(), 1) + "/product"
	jsm := "/ex/jira/" + site.CloudID() + "/rest/servicedeskapi/servicedesk"
	if st := get(csm, out.AccessToken); st != http.StatusOK {
		t.Errorf("by default: %d", st)
	}
	for _, refusal := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		site.SetCSMAnswers(CSMAnswers{ServiceAccountRefusal: refusal})
		if st := get(csm, out.AccessToken); st != refusal {
			t.Errorf("refusal %d: the service account's token got %d", refusal, st)
		}
		if st := get(csm, "oauth-3lo"); st != http.StatusOK {
			t.Errorf("refusal %d: an OAuth access token got %d", refusal, st)
		}
		if st := get(jsm, out.AccessToken); st != http.StatusOK {
			t.Errorf("refusal %d: JSM's API refused the token: %d", refusal, st)
		}
	}
}
