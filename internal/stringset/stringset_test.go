package stringset

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestValueEqual(t *testing.T) {
	unknownElem := Value{SetValue: basetypes.NewSetValueMust(basetypes.StringType{},
		[]attr.Value{basetypes.NewStringValue("a"), basetypes.NewStringUnknown()})}
	null := Value{SetValue: basetypes.NewSetNull(basetypes.StringType{})}
	unknown := Value{SetValue: basetypes.NewSetUnknown(basetypes.StringType{})}
	for _, c := range []struct {
		name string
		a    Value
		b    attr.Value
		want bool
	}{
		{"same elements, another order", NewValue([]string{"a", "b", "c"}), NewValue([]string{"c", "a", "b"}), true},
		{"one element differs", NewValue([]string{"a", "b", "c"}), NewValue([]string{"a", "b", "d"}), false},
		{"one more element", NewValue([]string{"a", "b"}), NewValue([]string{"a", "b", "c"}), false},
		{"both empty", NewValue(nil), NewValue([]string{}), true},
		{"empty and null", NewValue(nil), null, false},
		{"both null", null, null, true},
		{"null and unknown", null, unknown, false},
		{"both unknown", unknown, unknown, true},
		{"an unknown element, same", unknownElem, unknownElem, true},
		{"an unknown element against known ones", unknownElem, NewValue([]string{"a", "b"}), false},
		{"the framework's set of the same strings", NewValue([]string{"a"}), NewValue([]string{"a"}).SetValue, false},
	} {
		if got := c.a.Equal(c.b); got != c.want {
			t.Errorf("%s: Equal = %v, want %v", c.name, got, c.want)
		}
		if other, ok := c.b.(Value); ok {
			if got, _ := c.a.SetSemanticEquals(t.Context(), other); got != c.want {
				t.Errorf("%s: SetSemanticEquals = %v, want %v", c.name, got, c.want)
			}
		}
	}
}

func TestTypeValidate(t *testing.T) {
	set := func(elems ...tftypes.Value) tftypes.Value {
		return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, elems)
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	p := path.Root("account_ids")
	for _, c := range []struct {
		name  string
		in    tftypes.Value
		wantN int // errors
	}{
		{"distinct", set(str("a"), str("b")), 0},
		{"a duplicate", set(str("a"), str("b"), str("a")), 1},
		{"unknown elements are not duplicates", set(unknown, unknown, str("a")), 0},
		{"null set", tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, nil), 0},
		{"unknown set", tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, tftypes.UnknownValue), 0},
		{"a list is not this type", tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{str("a")}), 1},
		{"a set of numbers is not this type", tftypes.NewValue(tftypes.Set{ElementType: tftypes.Number}, nil), 1},
	} {
		diags := NewType().Validate(t.Context(), c.in, p)
		if diags.ErrorsCount() != c.wantN {
			t.Errorf("%s: %d errors, want %d: %v", c.name, diags.ErrorsCount(), c.wantN, diags)
		}
		for _, d := range diags {
			if pd, ok := d.(interface{ Path() path.Path }); !ok || !pd.Path().Equal(p) {
				t.Errorf("%s: the error does not name the attribute: %v", c.name, d)
			}
		}
	}
}

// The framework hands the resource values of the schema's type, and takes
// them back: the type must make this value type from Terraform's and say it
// is equal only to itself.
func TestTypeRoundTrip(t *testing.T) {
	ctx := t.Context()
	in := tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "x")})
	v, err := NewType().ValueFromTerraform(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	sv, ok := v.(Value)
	if !ok || !sv.Equal(NewValue([]string{"x"})) {
		t.Fatalf("ValueFromTerraform = %#v, want a Value of [x]", v)
	}
	if !sv.Type(ctx).Equal(NewType()) {
		t.Error("the value's type is not the schema's type")
	}
	out, err := sv.ToTerraformValue(ctx)
	if err != nil || !out.Equal(in) {
		t.Errorf("ToTerraformValue = %v, %v; want %v", out, err, in)
	}
	if NewType().Equal(basetypes.SetType{ElemType: basetypes.StringType{}}) {
		t.Error("the type equals the framework's set type")
	}
	if _, ok := NewType().ValueType(ctx).(Value); !ok {
		t.Error("ValueType is not a Value")
	}
	fromSet, diags := NewType().ValueFromSet(ctx, sv.SetValue)
	if diags.HasError() || !fromSet.(Value).Equal(sv) {
		t.Errorf("ValueFromSet = %v, %v", fromSet, diags)
	}
}
