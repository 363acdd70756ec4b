// Package stringset is a set-of-strings attribute type that the framework
// compares in linear time.
//
// terraform-plugin-framework compares set values pairwise: its duplicate
// check (the type's Validate), value equality, and the semantic-equality pass
// it makes after every Read, Create and Update, which tries each element of
// the new set against each element of the prior one. For a membership of
// 1,000 account IDs that is a million comparisons each, a second or more of
// CPU at the end of a plan. These strings compare as a Go map does. The
// Terraform type is unchanged (a set of strings), and so is the state.
package stringset

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var (
	_ basetypes.SetTypable                    = Type{}
	_ basetypes.SetValuableWithSemanticEquals = Value{}
)

// Type is the attribute's CustomType; its ElementType must be a string.
type Type struct {
	basetypes.SetType
}

// NewType is the set-of-strings type.
func NewType() Type {
	return Type{SetType: basetypes.SetType{ElemType: basetypes.StringType{}}}
}

func (t Type) Equal(o attr.Type) bool {
	other, ok := o.(Type)
	return ok && t.SetType.Equal(other.SetType)
}

func (t Type) String() string {
	return "stringset.Type"
}

func (t Type) ValueType(context.Context) attr.Value {
	return Value{SetValue: basetypes.NewSetNull(basetypes.StringType{})}
}

func (t Type) ValueFromSet(_ context.Context, in basetypes.SetValue) (basetypes.SetValuable, diag.Diagnostics) {
	return Value{SetValue: in}, nil
}

func (t Type) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.SetType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	set, ok := v.(basetypes.SetValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return Value{SetValue: set}, nil
}

// Validate reports duplicate elements, as the framework's set type does, by
// their strings rather than pair by pair. Terraform never sends duplicates,
// so this is a check of the provider's own values.
func (t Type) Validate(_ context.Context, in tftypes.Value, p path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	if in.Type() == nil {
		return diags
	}
	if !in.Type().Equal(tftypes.Set{ElementType: tftypes.String}) {
		diags.AddAttributeError(p, "Set Type Validation Error",
			fmt.Sprintf("Expected a set of strings, got %s. This is always an error in the provider; please report it.", in.Type()))
		return diags
	}
	if !in.IsKnown() || in.IsNull() {
		return diags
	}
	var elems []tftypes.Value
	if err := in.As(&elems); err != nil {
		diags.AddAttributeError(p, "Set Type Validation Error", err.Error())
		return diags
	}
	seen := make(map[string]bool, len(elems))
	for _, e := range elems {
		var s string
		if !e.IsKnown() || e.IsNull() || e.As(&s) != nil {
			continue // only known values can be duplicates, as in the framework
		}
		if seen[s] {
			diags.AddAttributeError(p, "Duplicate Set Element",
				fmt.Sprintf("This attribute contains duplicate values of: %q", s))
		}
		seen[s] = true
	}
	return diags
}

// Value is a set of strings of Type.
type Value struct {
	basetypes.SetValue
}

// NewValue is a known set of the given strings, in any order.
func NewValue(elems []string) Value {
	vs := make([]attr.Value, len(elems))
	for i, s := range elems {
		vs[i] = basetypes.NewStringValue(s)
	}
	// NewSetValueMust checks each element's type, not duplicates.
	return Value{SetValue: basetypes.NewSetValueMust(basetypes.StringType{}, vs)}
}

func (v Value) Type(context.Context) attr.Type {
	return NewType()
}

// Equal compares the elements as strings, in linear time.
func (v Value) Equal(o attr.Value) bool {
	other, ok := o.(Value)
	if !ok {
		return false
	}
	a, aok := v.known()
	b, bok := other.known()
	if !aok || !bok {
		return v.SetValue.Equal(other.SetValue)
	}
	if len(a) != len(b) {
		return false
	}
	in := make(map[string]bool, len(a))
	for _, s := range a {
		in[s] = true
	}
	for _, s := range b {
		if !in[s] {
			return false
		}
	}
	return true
}

// SetSemanticEquals lets the framework keep the prior value when the two are
// equal, which spares it the pairwise pass over the elements.
func (v Value) SetSemanticEquals(_ context.Context, prior basetypes.SetValuable) (bool, diag.Diagnostics) {
	return v.Equal(prior), nil
}

// known returns the strings of a known set whose elements are all known; ok
// is false for anything else (null, unknown, an unknown element).
func (v Value) known() (elems []string, ok bool) {
	if v.IsNull() || v.IsUnknown() {
		return nil, false
	}
	for _, e := range v.Elements() {
		s, isString := e.(basetypes.StringValue)
		if !isString || s.IsNull() || s.IsUnknown() {
			return nil, false
		}
		elems = append(elems, s.ValueString())
	}
	return elems, true
}
