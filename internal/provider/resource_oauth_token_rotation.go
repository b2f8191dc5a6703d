package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
)

// rotationReason says why the stored tokens must be refreshed in this apply,
// or returns "" when they need not be. It reads only stored timestamps and
// the given clock, so the decision is the same however often plan runs.
func rotationReason(state, plan oauthTokenModel, now time.Time) string {
	if !plan.RotationTriggers.Equal(state.RotationTriggers) && !state.RotationTriggers.IsUnknown() {
		// The first apply of rotation_triggers on an existing resource also
		// rotates: the user asked for rotation to follow them.
		return "rotation_triggers changed"
	}
	window, err := time.ParseDuration(plan.RotateBefore.ValueString())
	if err != nil || window <= 0 {
		return ""
	}
	for _, t := range []struct {
		name string
		at   types.String
	}{{"access token", state.ExpiresAt}, {"refresh token", state.RefreshTokenExpiresAt}} {
		if t.at.IsNull() || t.at.IsUnknown() {
			continue
		}
		exp, err := time.Parse(time.RFC3339, t.at.ValueString())
		if err != nil {
			continue
		}
		if left := exp.Sub(now); left <= window {
			return fmt.Sprintf("the %s expires at %s, within rotate_before (%s)", t.name, t.at.ValueString(), window)
		}
	}
	return ""
}

// markRotating makes every value a refresh changes "known after apply".
func (m *oauthTokenModel) markRotating() {
	m.AccessToken = types.StringUnknown()
	m.RefreshToken = types.StringUnknown()
	m.TokenType = types.StringUnknown()
	m.Scopes = types.ListUnknown(types.StringType)
	m.ExpiresAt = types.StringUnknown()
	m.RefreshTokenExpiresAt = types.StringUnknown()
	m.Generation = types.Int64Unknown()
	m.TokenDocument = types.StringUnknown()
	m.UserAccount = types.ObjectUnknown(userAccountAttrTypes)
}

// scopeShortfall compares the granted scopes with required_scopes. It
// returns the required scopes Pinterest did not grant, and what a new consent
// must ask for: everything granted and everything required.
func (m *oauthTokenModel) scopeShortfall(ctx context.Context, granted []string, diags *diag.Diagnostics) (missing, askFor []string) {
	if m.RequiredScopes.IsNull() || m.RequiredScopes.IsUnknown() {
		return nil, nil
	}
	var required []string
	diags.Append(m.RequiredScopes.ElementsAs(ctx, &required, false)...)
	for _, s := range required {
		if !slices.Contains(granted, s) {
			missing = append(missing, s)
		}
	}
	slices.Sort(missing)
	askFor = append(slices.Clone(granted), required...)
	slices.Sort(askFor)
	return missing, slices.Compact(askFor)
}

func quotedList(items []string) string {
	if len(items) == 0 {
		return "no scopes"
	}
	return strings.Join(items, ", ")
}

// hclList renders scopes as an HCL list literal for a copyable example.
func hclList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// setDocument renders the stored token set as the token document.
func (m *oauthTokenModel) setDocument(ctx context.Context) diag.Diagnostics {
	var scopes []string
	diags := m.Scopes.ElementsAs(ctx, &scopes, true)
	doc := &tokendoc.Document{
		AccessToken:           pinterest.NewSecret(m.AccessToken.ValueString()),
		AccessTokenExpiresAt:  parseTimeValue(m.ExpiresAt),
		RefreshToken:          pinterest.NewSecret(m.RefreshToken.ValueString()),
		RefreshTokenExpiresAt: parseTimeValue(m.RefreshTokenExpiresAt),
		TokenType:             m.TokenType.ValueString(),
		Scopes:                scopes,
		Generation:            m.Generation.ValueInt64(),
	}
	m.TokenDocument = types.StringValue(doc.Encode())
	return diags
}

// parseTimeValue reads a time this provider stored; null gives zero.
func parseTimeValue(v types.String) time.Time {
	t, _ := time.Parse(time.RFC3339, v.ValueString())
	return t
}
