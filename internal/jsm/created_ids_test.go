package jsm

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// An ID returned by a create goes to the state and later into paths: an
// answer whose ID is missing, not of its form, or that could walk a path
// (../x, a/b) is an error that names the call and the ID, cleaned, and
// says nothing was recorded.
func TestCreate_returnedIDsAreValidated(t *testing.T) {
	for _, bad := range []string{"", "../x", "a/b", "..", "a b", tToken + "\x1b[2J" + strings.Repeat("x", 5000)} {
		esc := strings.ReplaceAll(fmt.Sprintf("%q", bad), `\x1b`, `\u001b`)
		mux := http.NewServeMux()
		answer := func(pattern, body string) {
			mux.HandleFunc(pattern, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusCreated)
				fmt.Fprint(w, body)
			})
		}
		csm := strings.ReplaceAll(csmPrefix, CloudIDPlaceholder, "c1")
		answer("POST /rest/servicedeskapi/customer", `{"accountId":`+esc+`,"displayName":"A","emailAddress":"a@example.com"}`)
		answer("POST "+csm+"/product", `{"id":`+esc+`,"name":"P"}`)
		answer("POST "+csm+"/customer/qm:1/entitlement", `{"id":`+esc+`,"productId":"p1"}`)
		srv := rtServe(t, mux).URL
		c, _ := newRetryClient(t, srv, Config{NoRetries: true, CSMURL: srv + csmPrefix, CloudID: "c1"})
		ctx := context.Background()
		for name, call := range map[string]func() (any, error){
			"customer":    func() (any, error) { return c.CreateCustomer(ctx, "A", "a@example.com") },
			"product":     func() (any, error) { return c.CreateProduct(ctx, "P") },
			"entitlement": func() (any, error) { return c.CreateEntitlement(ctx, EntitlementOfCustomer, "qm:1", "p1") },
		} {
			got, err := call()
			if err == nil {
				t.Errorf("%s answered with the ID %.40q: no error, got %+v", name, bad, got)
				continue
			}
			msg := err.Error()
			if strings.Contains(msg, tToken) || strings.Contains(msg, "\x1b") || len(msg) > 1500 {
				t.Errorf("%s: the error is not cleaned: %.300s", name, msg)
			}
			if !strings.Contains(msg, "valid") && !strings.Contains(msg, "no entitlement id") {
				t.Errorf("%s: the error does not say the ID is invalid: %s", name, msg)
			}
		}
	}
}
