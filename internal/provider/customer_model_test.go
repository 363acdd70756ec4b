package provider

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/jsmtf/terraform-provider-jsm/internal/jsm"
)

// A Read that finds nothing new skips writing the state, so equal must see a
// change in any one attribute, including one added to the model later.
func TestCustomerAccountEqual(t *testing.T) {
	u := &jsm.User{AccountID: "qm:1", AccountType: "customer", Email: "a@example.com", DisplayName: "A", Active: true,
		TimeZone: "UTC", Links: jsm.UserLinks{Self: "https://x/user?accountId=qm:1", AvatarURLs: map[string]string{"16x16": "https://x/a.png"}}}
	var a, b customerAccount
	if d := a.setFromUser(t.Context(), u); d.HasError() {
		t.Fatal(d)
	}
	if d := b.setFromUser(t.Context(), u); d.HasError() {
		t.Fatal(d)
	}
	if !a.equal(b) {
		t.Fatal("two reads of the same account differ")
	}
	changed := map[reflect.Type]attr.Value{
		reflect.TypeFor[types.String](): types.StringValue("other"),
		reflect.TypeFor[types.Bool]():   types.BoolValue(false),
		reflect.TypeFor[types.Object](): types.ObjectNull(linksAttrTypes),
	}
	v := reflect.ValueOf(&b).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		c, ok := changed[f.Type]
		if !ok {
			t.Fatalf("field %s: no changed value for type %s in this test", f.Name, f.Type)
		}
		old := v.Field(i).Interface()
		v.Field(i).Set(reflect.ValueOf(c))
		if a.equal(b) {
			t.Errorf("a change of %s is not seen", f.Name)
		}
		v.Field(i).Set(reflect.ValueOf(old))
	}
	if !a.equal(b) {
		t.Fatal("restoring every field left a difference")
	}
}
