package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The helpers of the tests that call the provider's Go code directly, with
// no CLI: rules are tables, the CLI tests show what only a CLI can show.

// tokenSchema is pinterest_oauth_token's schema.
func tokenSchema(t *testing.T) resource.SchemaResponse {
	t.Helper()
	var resp resource.SchemaResponse
	(&oauthTokenResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp
}

// objectValue is an object of typ with the values given and every other
// attribute null.
func objectValue(typ tftypes.Type, values map[string]tftypes.Value) tftypes.Value {
	obj, ok := typ.(tftypes.Object)
	if !ok {
		panic("not an object type")
	}
	all := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		if v, ok := values[name]; ok {
			all[name] = v
		} else {
			all[name] = tftypes.NewValue(at, nil)
		}
	}
	return tftypes.NewValue(obj, all)
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func boolean(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }

// diagText is every summary and detail, for phrase checks.
func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Summary() + "\n" + d.Detail() + "\n")
	}
	return b.String()
}

// containsInOrder reports whether text holds each phrase, in order.
func containsInOrder(text string, phrases ...string) bool {
	for _, p := range phrases {
		i := strings.Index(text, p)
		if i < 0 {
			return false
		}
		text = text[i+len(p):]
	}
	return true
}
