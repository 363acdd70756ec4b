package provider

import (
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
)

func docs(kv ...string) map[string]jsontypes.Normalized {
	m := map[string]jsontypes.Normalized{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = jsontypes.NewNormalizedValue(kv[i+1])
	}
	return m
}

// Removed keys are deleted, new and changed ones set, each in key order;
// the same document written differently is left alone.
func TestPropertyChanges(t *testing.T) {
	have := docs("b", `{"x":1}`, "a", `1`, "same", `{"p": [1, 2]}`, "gone2", `true`, "gone1", `null`)
	want := docs("b", `{"x":2}`, "same", `{"p":[1,2]}`, "new", `"n"`, "a", `1`)
	deletes, sets := propertyChanges(want, have)
	if !slices.Equal(deletes, []string{"gone1", "gone2"}) || !slices.Equal(sets, []string{"b", "new"}) {
		t.Errorf("deletes %v, sets %v", deletes, sets)
	}
	if d, s := propertyChanges(nil, nil); d != nil || s != nil {
		t.Errorf("nothing to do: deletes %v, sets %v", d, s)
	}
}

// The plan keeps the state's map when every document is the same JSON, and
// only then: a mix of the state's text and the configuration's is an
// invalid plan for Terraform.
func TestKeepEquivalentText(t *testing.T) {
	have := docs("a", `{"p": [1, 2]}`, "b", `{"x":1}`)
	if !keepEquivalentText(docs("a", `{"p":[1,2]}`, "b", `{"x": 1}`), have) {
		t.Error("the same documents written otherwise: the state's map was not kept")
	}
	for name, want := range map[string]map[string]jsontypes.Normalized{
		"one document changed": docs("a", `{"p":[1,2]}`, "b", `{"x":2}`),
		"one more document":    docs("a", `{"p":[1,2]}`, "b", `{"x":1}`, "c", `3`),
		"one document fewer":   docs("a", `{"p":[1,2]}`),
		"identical text":       docs("a", `{"p": [1, 2]}`, "b", `{"x":1}`),
	} {
		if keepEquivalentText(want, have) {
			t.Errorf("%s: reported as kept", name)
		}
	}
}
