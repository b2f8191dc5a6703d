package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
)

// durationValidator accepts a Go duration string of at least min.
type durationValidator struct{ min time.Duration }

var _ validator.String = durationValidator{}

func durationAtLeast(minimum time.Duration) durationValidator { return durationValidator{min: minimum} }

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a duration such as \"30s\", \"15m\" or \"168h\", at least %s", v.min)
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d < v.min {
		resp.Diagnostics.Append(invalidDuration(req.Path, req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}

// absoluteURL validates a redirect URI.
type absoluteURL struct{}

var _ validator.String = absoluteURL{}

func (absoluteURL) Description(context.Context) string { return "must be an absolute URL" }

func (v absoluteURL) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (absoluteURL) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := pinterest.ValidateRedirectURI(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.Append(invalidRedirectURI(req.Path, err))
	}
}

// handOffRules refuses a handed-off token set with settings that would make
// this provider a second refresher (or revoke what the consumer uses).
type handOffRules struct{}

var _ resource.ConfigValidator = handOffRules{}

func (handOffRules) Description(context.Context) string {
	return "with hand_off = true, rotate_before, rotation_triggers and revoke_on_destroy = true are refused"
}

func (v handOffRules) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (handOffRules) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var handOff, revoke types.Bool
	var rotateBefore types.String
	var triggers types.Map
	if resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("hand_off"), &handOff)...); !handOff.ValueBool() {
		return
	}
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("rotate_before"), &rotateBefore)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("rotation_triggers"), &triggers)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("revoke_on_destroy"), &revoke)...)
	for attr, set := range map[string]bool{
		"rotate_before":     !rotateBefore.IsNull(),
		"rotation_triggers": !triggers.IsNull(),
		"revoke_on_destroy": revoke.ValueBool(),
	} {
		if set {
			resp.Diagnostics.Append(invalidHandOff(attr))
		}
	}
}

// knownScope checks a scope name against Pinterest's list.
type knownScope struct{}

var _ validator.String = knownScope{}

func (knownScope) Description(context.Context) string { return "must be a Pinterest API v5 scope" }

func (v knownScope) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (knownScope) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !pinterest.IsKnownScope(s) {
		resp.Diagnostics.Append(unknownScope(req.Path, s))
	}
}

// planPhaseChoice refuses a configuration that says nothing about plan:
// one that would be opened, and could refresh, during every plan, including
// a plan that is never applied, which would leave the new refresh token
// nowhere. It asks for apply_time = timestamp(); enabled, set to anything,
// is an explicit choice too.
type planPhaseChoice struct{}

func (planPhaseChoice) Description(context.Context) string {
	return "apply_time (or enabled) must be set"
}

func (v planPhaseChoice) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (planPhaseChoice) ValidateEphemeralResource(ctx context.Context, req ephemeral.ValidateConfigRequest, resp *ephemeral.ValidateConfigResponse) {
	var applyTime types.String
	var enabled types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("apply_time"), &applyTime)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("enabled"), &enabled)...)
	if !applyTime.IsNull() || !enabled.IsNull() {
		return
	}
	resp.Diagnostics.Append(missingApplyTime())
}
