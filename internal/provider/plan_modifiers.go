package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

// spentGrantModifier plans the attributes that start a token set
// (authorization_code and the *_version of write-only starts).
//
// An authorization code is spent once exchanged, so keeping it in the
// configuration must plan nothing, and so must removing it: the plan keeps
// the stored value. Only a different value is a new start, which the
// resource's ModifyPlan plans in place (a new exchange or adoption, with
// generation counting on). The attribute is Optional and Computed so that
// the plan may differ from a configuration that left it out.
type spentGrantModifier struct{}

var _ planmodifier.String = spentGrantModifier{}

func (spentGrantModifier) Description(context.Context) string {
	return "Keeps the stored value when the configuration leaves it out or repeats it; a different value starts a new token set."
}

func (m spentGrantModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (spentGrantModifier) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	if req.State.Raw.IsNull() {
		// Create: plan what was configured; a null must stay null, not
		// become "known after apply".
		resp.PlanValue = req.ConfigValue
		return
	}
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.StateValue
	}
}
