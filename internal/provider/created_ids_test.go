package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsmsite"
)

// A create answered with an ID that is not of its form (here ../x, which
// would later walk up a path) fails with an error that names it, and
// nothing reaches the state: once the site answers properly, the next apply
// plans a create, not an update or a replacement of a recorded object.
func TestAccCreate_badReturnedIDNeverReachesTheState(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	var bad atomic.Bool
	bad.Store(true)
	badAnswers := map[string]string{
		"POST /rest/servicedeskapi/customer":     `{"accountId":"../x","displayName":"Bad","emailAddress":"bad@example.com"}`,
		"POST " + jsmsite.CSMPrefix + "/product": `{"id":"../x","name":"Widget"}`,
	}
	site.Use(func(route string, next http.Handler) http.Handler {
		body, ok := badAnswers[route]
		if !ok {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !bad.Load() {
				next.ServeHTTP(w, r)
				return
			}
			jsmsite.MarkFault(r) // a bad answer on purpose: the contract leaves it alone
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, body)
		})
	})
	email := randomEmail("badid")
	cfg := s.csmProvider(t, "") + fmt.Sprintf(`
resource "jsm_customer" "c" {
  email        = %q
  display_name = "Bad"
}
resource "jsm_product" "w" {
  name = "Widget"
}
`, email)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ExpectError: regexp.MustCompile(`(?s)` + wrapped(`the answer holds no valid accountId ("../x"`) + `.*` +
					wrapped(`the answer holds no valid product ID`)),
			},
			{
				PreConfig: func() { bad.Store(false) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("jsm_product.w", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("jsm_customer.c", plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}
