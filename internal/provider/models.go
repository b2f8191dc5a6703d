package provider

import (
	"context"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	ephemeraltimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/ephemeral/timeouts"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

// The models of both resources, and their converters to and from the token
// document, the one model of a token set: each attribute is written in one
// place.

// oauthTokenModel is pinterest_oauth_token.
type oauthTokenModel struct {
	ID                         types.String   `tfsdk:"id"`
	RedirectURI                types.String   `tfsdk:"redirect_uri"`
	AuthorizationCodeWO        types.String   `tfsdk:"authorization_code_wo"`
	AuthorizationCodeWOVersion types.Int64    `tfsdk:"authorization_code_wo_version"`
	RefreshTokenWO             types.String   `tfsdk:"refresh_token_wo"`
	RefreshTokenWOVersion      types.Int64    `tfsdk:"refresh_token_wo_version"`
	ContinuousRefresh          types.Bool     `tfsdk:"continuous_refresh"`
	RotateBefore               types.String   `tfsdk:"rotate_before"`
	RotationTriggers           types.Map      `tfsdk:"rotation_triggers"`
	RequiredScopes             types.Set      `tfsdk:"required_scopes"`
	RequiredAccount            types.String   `tfsdk:"required_account"`
	RevokeOnDestroy            types.Bool     `tfsdk:"revoke_on_destroy"`
	HandOff                    types.Bool     `tfsdk:"hand_off"`
	RecoveryDocumentWO         types.String   `tfsdk:"recovery_document_wo"`
	AccessToken                types.String   `tfsdk:"access_token"`
	RefreshToken               types.String   `tfsdk:"refresh_token"`
	TokenType                  types.String   `tfsdk:"token_type"`
	Scopes                     types.List     `tfsdk:"scopes"`
	AccessTokenExpiresAt       types.String   `tfsdk:"access_token_expires_at"`
	RefreshTokenExpiresAt      types.String   `tfsdk:"refresh_token_expires_at"`
	Generation                 types.Int64    `tfsdk:"generation"`
	RotationReason             types.String   `tfsdk:"rotation_reason"`
	TokenDocument              types.String   `tfsdk:"token_document"`
	UserAccount                types.Object   `tfsdk:"user_account"`
	Timeouts                   timeouts.Value `tfsdk:"timeouts"`
}

// userAccountAttrTypes describes the user_account object.
var userAccountAttrTypes = map[string]attr.Type{
	"id":           types.StringType,
	"username":     types.StringType,
	"account_type": types.StringType,
}

// accessTokenModel is pinterest_access_token.
type accessTokenModel struct {
	RefreshToken          types.String            `tfsdk:"refresh_token"`
	TokenDocument         types.String            `tfsdk:"token_document"`
	ApplyTime             types.String            `tfsdk:"apply_time"`
	RefreshBefore         types.String            `tfsdk:"refresh_before"`
	RequestedScopes       types.List              `tfsdk:"requested_scopes"`
	Scopes                types.List              `tfsdk:"scopes"`
	Enabled               types.Bool              `tfsdk:"enabled"`
	AccessToken           types.String            `tfsdk:"access_token"`
	TokenType             types.String            `tfsdk:"token_type"`
	AccessTokenExpiresAt  types.String            `tfsdk:"access_token_expires_at"`
	LatestRefreshToken    types.String            `tfsdk:"latest_refresh_token"`
	RefreshTokenExpiresAt types.String            `tfsdk:"refresh_token_expires_at"`
	LatestTokenDocument   types.String            `tfsdk:"latest_token_document"`
	Generation            types.Int64             `tfsdk:"generation"`
	Refreshed             types.Bool              `tfsdk:"refreshed"`
	Timeouts              ephemeraltimeouts.Value `tfsdk:"timeouts"`
}

// tokenValues is a token document as the attribute values both resources
// show; every value is null for no document.
type tokenValues struct {
	accessToken, tokenType, expiresAt   types.String
	refreshToken, refreshTokenExpiresAt types.String
	document                            types.String
	generation                          types.Int64
	scopes                              types.List
}

func valuesOf(doc *tokendoc.Document) tokenValues {
	if doc == nil {
		return tokenValues{types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull(),
			types.StringNull(), types.Int64Null(), types.ListNull(types.StringType)}
	}
	v := tokenValues{
		accessToken:           types.StringValue(doc.AccessToken.Reveal()),
		tokenType:             types.StringValue(doc.TokenType),
		expiresAt:             timeValue(doc.AccessTokenExpiresAt),
		refreshToken:          secretValue(doc.RefreshToken),
		refreshTokenExpiresAt: timeValue(doc.RefreshTokenExpiresAt),
		document:              types.StringValue(doc.Encode()),
		generation:            types.Int64Value(doc.Generation),
		scopes:                types.ListNull(types.StringType),
	}
	if doc.Scopes != nil {
		elems := make([]attr.Value, len(doc.Scopes))
		for i, s := range doc.Scopes {
			elems[i] = types.StringValue(s)
		}
		v.scopes = types.ListValueMust(types.StringType, elems)
	}
	return v
}

// document is the stored token set as the token document.
func (m *oauthTokenModel) document(ctx context.Context) (*tokendoc.Document, diag.Diagnostics) {
	var scopes []string
	diags := m.Scopes.ElementsAs(ctx, &scopes, true)
	accessExp, _ := tokendoc.ParseTime(m.AccessTokenExpiresAt.ValueString())
	refreshExp, _ := tokendoc.ParseTime(m.RefreshTokenExpiresAt.ValueString())
	// What the attributes do not hold comes from the stored document.
	var follows, account, binding string
	if stored, err := tokendoc.Parse(m.TokenDocument.ValueString()); err == nil {
		follows, account, binding = stored.Follows, stored.Account, stored.Binding
	}
	return &tokendoc.Document{
		Follows:               follows,
		Account:               account,
		Binding:               binding,
		AccessToken:           sensitive.New(m.AccessToken.ValueString()),
		AccessTokenExpiresAt:  accessExp,
		RefreshToken:          sensitive.New(m.RefreshToken.ValueString()),
		RefreshTokenExpiresAt: refreshExp,
		TokenType:             m.TokenType.ValueString(),
		Scopes:                scopes,
		Generation:            m.Generation.ValueInt64(),
		HandedOff:             m.HandOff.ValueBool(),
	}, diags
}

// setDocument stores doc in every token attribute. It and markRotating list
// the same attributes: a new one goes into both.
func (m *oauthTokenModel) setDocument(doc *tokendoc.Document) {
	v := valuesOf(doc)
	m.AccessToken, m.RefreshToken, m.TokenType = v.accessToken, v.refreshToken, v.tokenType
	m.AccessTokenExpiresAt, m.RefreshTokenExpiresAt = v.expiresAt, v.refreshTokenExpiresAt
	m.Generation, m.Scopes, m.TokenDocument = v.generation, v.scopes, v.document
}

// markRotating makes every value a new token set changes "known after apply".
func (m *oauthTokenModel) markRotating() {
	m.AccessToken = types.StringUnknown()
	m.RefreshToken = types.StringUnknown()
	m.TokenType = types.StringUnknown()
	m.Scopes = types.ListUnknown(types.StringType)
	m.AccessTokenExpiresAt = types.StringUnknown()
	m.RefreshTokenExpiresAt = types.StringUnknown()
	m.Generation = types.Int64Unknown()
	m.TokenDocument = types.StringUnknown()
	m.UserAccount = types.ObjectUnknown(userAccountAttrTypes)
}

// setDocument fills the results from doc; a nil doc makes them null.
func (m *accessTokenModel) setDocument(doc *tokendoc.Document, refreshed bool) {
	v := valuesOf(doc)
	m.AccessToken, m.LatestRefreshToken, m.TokenType = v.accessToken, v.refreshToken, v.tokenType
	m.AccessTokenExpiresAt, m.RefreshTokenExpiresAt = v.expiresAt, v.refreshTokenExpiresAt
	m.Generation, m.LatestTokenDocument = v.generation, v.document
	m.Refreshed = types.BoolNull()
	if doc != nil {
		m.Scopes, m.Refreshed = v.scopes, types.BoolValue(refreshed)
	}
}

// windowPolicy is a window attribute (rotate_before, refresh_before) as the
// core's policy: refresh when a token expires within it. Both default to
// defaultRotateBefore, so that both resources refresh a token set at the
// same point of its life.
func windowPolicy(window types.String) tokenset.Policy {
	w := defaultWindow
	if v := window.ValueString(); v != "" {
		w, _ = time.ParseDuration(v) // validated by the schema
	}
	return tokenset.Policy{Mode: tokenset.Scheduled, Window: w}
}

// policy is the refresh policy the plan asks for: hand-off leaves the set to
// its consumer, rotate_before = "0s" turns time-based rotation off, and a
// change of rotation_triggers asks for a rotation.
func (m *oauthTokenModel) policy(state *oauthTokenModel) tokenset.Policy {
	p := windowPolicy(m.RotateBefore)
	switch {
	case m.HandOff.ValueBool():
		return tokenset.Policy{Mode: tokenset.HandedOff}
	case p.Window <= 0:
		p.Mode = tokenset.Manual
	}
	if state != nil && !m.RotationTriggers.Equal(state.RotationTriggers) && !state.RotationTriggers.IsUnknown() {
		// The first apply of rotation_triggers on an existing resource also
		// rotates: the user asked for rotation to follow them.
		p.Requested = "rotation_triggers changed"
	}
	return p
}

// policy is refresh_before as the core's policy.
func (m *accessTokenModel) policy() tokenset.Policy { return windowPolicy(m.RefreshBefore) }

// step is what Create and Update send to start the token set.
func (m *oauthTokenModel) step(way startWay, secret sensitive.Secret) tokenset.Step {
	if way.kind == tokenset.ByAdopt {
		return tokenset.Step{Kind: tokenset.ByAdopt, RefreshToken: secret}
	}
	return tokenset.Step{Kind: tokenset.ByExchange, Code: secret, RedirectURI: m.RedirectURI.ValueString(), ContinuousRefresh: m.ContinuousRefresh.ValueBool()}
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

// knownScopes are the scopes a message can name for a new consent: those
// granted, else those required.
func (m *oauthTokenModel) knownScopes(ctx context.Context) []string {
	var scopes []string
	if !m.Scopes.IsNull() && !m.Scopes.IsUnknown() {
		_ = m.Scopes.ElementsAs(ctx, &scopes, false)
	}
	if len(scopes) == 0 && !m.RequiredScopes.IsNull() && !m.RequiredScopes.IsUnknown() {
		_ = m.RequiredScopes.ElementsAs(ctx, &scopes, false)
		slices.Sort(scopes)
	}
	return scopes
}

// timeValue renders t as the document does, or null when unknown.
func timeValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(tokendoc.FormatTime(t))
}

// secretValue renders a token, or null when there is none.
func secretValue(s sensitive.Secret) types.String {
	if s.IsEmpty() {
		return types.StringNull()
	}
	return types.StringValue(s.Reveal())
}
