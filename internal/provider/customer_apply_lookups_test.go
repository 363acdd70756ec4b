package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

const (
	routeUserSearch    = "GET /rest/api/3/user/search"
	routeMyPermissions = "GET /rest/api/3/mypermissions"
	routeAllUsers      = "GET /rest/api/3/users/search"
)

// Terraform plans each create twice in `terraform apply`: in the plan it
// shows, and again in the apply's walk just before creating it. Only the
// first looks the email up (applyWalk): 20 new customers cost 20 user
// searches, one permission check and one listing of the site's accounts,
// not twice that; and applying a saved plan looks nothing up. Terraform
// before 1.9 and OpenTofu do not tell the apply's walk apart.
func TestAccCustomerResource_applyLooksUpOnce(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	const n = 20
	emails := make([]string, n)
	for i := range emails {
		emails[i] = randomEmail(fmt.Sprintf("once%d", i))
	}
	config := func(names []string) string {
		return s.provider() + fmt.Sprintf(`
locals {
  emails = %s
}

resource "jsm_customer" "new" {
  count        = length(local.emails)
  email        = local.emails[count.index]
  display_name = "New Person"
}
`, hclList(names))
	}
	// want: the look-ups of one plan of k new customers on this site (a
	// page of accounts and the empty page that ends the listing).
	want := func(what string, k int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			searches, checks, pages := countRequests(site, routeUserSearch), countRequests(site, routeMyPermissions), countRequests(site, routeAllUsers)
			if searches != k || checks != min(k, 1) || pages != 2*min(k, 1) {
				return fmt.Errorf("%s: %d user searches, %d permission checks and %d account listing pages, want %d, %d and %d: %v",
					what, searches, checks, pages, k, min(k, 1), 2*min(k, 1), site.Requests())
			}
			return nil
		}
	}
	more := append(append([]string{}, emails...), randomEmail("saved1"), randomEmail("saved2"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{skipUnlessTerraform("1.9.0")},
		Steps: []resource.TestStep{
			{ // terraform apply: the plan walk, then the apply walk
				PreConfig: site.ResetRequests,
				Config:    config(emails),
				Check:     want("plan and apply of 20 new customers", n),
			},
			{ // terraform plan -out, then terraform apply of that plan
				PreConfig: site.ResetRequests,
				Config:    config(more),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(fmt.Sprintf("jsm_customer.new[%d]", n), plancheck.ResourceActionCreate),
				}},
				Check: want("a saved plan of 2 new customers, then its apply", 2),
			},
		},
	})
}

// The apply's walk sends no request for a create, and still refuses what
// costs none: a second resource declaring the same email.
func TestCustomerPredictCreate_applyWalk(t *testing.T) {
	s := newTestSite(t)
	site := s.local(t)
	if _, err := site.AddCustomer("Known Person", "known@example.com"); err != nil {
		t.Fatal(err)
	}
	r := &customerResource{client: s.client, run: &runState{}}
	plan := func(email string) customerResourceModel {
		return customerResourceModel{
			customerAccount: customerAccount{Email: types.StringValue(email), DisplayName: types.StringValue("Other Name")},
			AdoptExisting:   types.BoolValue(false), OnNameMismatch: types.StringValue(nameMismatchFail),
		}
	}
	site.ResetRequests()
	var d diag.Diagnostics
	r.predictCreate(context.Background(), plan("known@example.com"), true, false, &d)
	r.predictCreate(context.Background(), plan("new@example.com"), true, false, &d)
	if len(d) != 0 || site.RequestCount("", -1) != 0 {
		t.Errorf("the apply's walk: %s, %v", diagText(d), site.Requests())
	}
	r.predictCreate(context.Background(), plan("KNOWN@example.com"), true, false, &d)
	if !d.HasError() || !strings.Contains(diagText(d), "same email") {
		t.Errorf("a second resource with the email: %s", diagText(d))
	}
	if !applyWalk(fwresource.ModifyPlanClientCapabilities{DeferralAllowed: true}) || applyWalk(fwresource.ModifyPlanClientCapabilities{}) {
		t.Error("applyWalk does not follow DeferralAllowed")
	}
}
