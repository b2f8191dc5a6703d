package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestHandOffRules: with hand_off = true, the settings that would make this
// provider a second refresher (or revoke what the consumer uses) are
// refused on their own attribute; without it, or with the harmless
// settings, nothing is.
func TestHandOffRules(t *testing.T) {
	ctx := context.Background()
	s := tokenSchema(t)
	typ := s.Schema.Type().TerraformType(ctx)
	triggers := tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"run": str("1")})
	for _, tc := range []struct {
		name   string
		values map[string]tftypes.Value
		want   []string // the attributes refused
	}{
		{"hand-off alone", map[string]tftypes.Value{"hand_off": boolean(true)}, nil},
		{"hand-off with revoke_on_destroy = false", map[string]tftypes.Value{"hand_off": boolean(true), "revoke_on_destroy": boolean(false)}, nil},
		{"no hand-off, every setting", map[string]tftypes.Value{"hand_off": boolean(false), "rotate_before": str("1h"), "rotation_triggers": triggers, "revoke_on_destroy": boolean(true)}, nil},
		{"rotate_before", map[string]tftypes.Value{"hand_off": boolean(true), "rotate_before": str("168h")}, []string{"rotate_before"}},
		{"rotation_triggers", map[string]tftypes.Value{"hand_off": boolean(true), "rotation_triggers": triggers}, []string{"rotation_triggers"}},
		{"revoke_on_destroy", map[string]tftypes.Value{"hand_off": boolean(true), "revoke_on_destroy": boolean(true)}, []string{"revoke_on_destroy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := resource.ValidateConfigRequest{Config: tfsdk.Config{Schema: s.Schema, Raw: objectValue(typ, tc.values)}}
			var resp resource.ValidateConfigResponse
			handOffRules{}.ValidateResource(ctx, req, &resp)
			if got := resp.Diagnostics.ErrorsCount(); got != len(tc.want) {
				t.Fatalf("%d errors, want %d: %v", got, len(tc.want), resp.Diagnostics)
			}
			for i, attr := range tc.want {
				d := resp.Diagnostics.Errors()[i]
				withPath, ok := d.(interface{ Path() path.Path })
				if !ok || !withPath.Path().Equal(path.Root(attr)) || d.Summary() != "Invalid Hand-Off Configuration" ||
					!containsInOrder(d.Detail(), "only refresher", "Remove "+attr, "on-call runbook guide") {
					t.Errorf("error %d: %s: %s", i, d.Summary(), d.Detail())
				}
			}
		})
	}
}
