package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

// spentGrantModifier plans the *_wo_version of a write-only start.
//
// The code or token behind a version is spent once used, so keeping the
// version in the configuration must plan nothing, and so must removing it:
// the plan keeps the stored value. Only a different value is a new start,
// which the resource's ModifyPlan plans in place (a new exchange or
// adoption, with generation counting on). The attribute is Optional and
// Computed so that the plan may differ from a configuration that left it out.
type spentGrantModifier struct{}

var _ planmodifier.Int64 = spentGrantModifier{}

func (spentGrantModifier) Description(context.Context) string {
	return "Keeps the stored value when the configuration leaves it out or repeats it; a different value starts a new token set."
}

func (m spentGrantModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (spentGrantModifier) PlanModifyInt64(_ context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
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
