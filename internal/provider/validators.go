package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("%q is not valid here: the value %s. Units are s, m and h (there is no d; write 168h for 7 days).",
				req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}
