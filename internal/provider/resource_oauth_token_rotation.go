package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

// startWay is one way to start a token set. This table is the one place
// that lists them: the config validator, requireStart, ModifyPlan (what is
// a new start) and Create/Update (what to send) all read it. A new way to
// start is a row here, its attributes in the schema, and its Step below.
type startWay struct {
	value   string // the attribute holding the code or token
	version string // the attribute whose change starts anew (value itself for authorization_code)
	kind    tokenset.Kind
}

var startWays = []startWay{
	{value: "authorization_code_wo", version: "authorization_code_wo_version", kind: tokenset.ByExchange},
	{value: "authorization_code", version: "authorization_code", kind: tokenset.ByExchange},
	{value: "refresh_token_wo", version: "refresh_token_wo_version", kind: tokenset.ByAdopt},
}

// startPaths are the attributes of which exactly one starts a token set.
func startPaths() []path.Expression {
	var exprs []path.Expression
	for _, w := range startWays {
		exprs = append(exprs, path.MatchRoot(w.value))
	}
	return exprs
}

// configuredStart returns the way the configuration starts a token set and
// its secret, or false when it gives none.
func configuredStart(ctx context.Context, config attributeGetter) (startWay, sensitive.Secret, bool) {
	for _, w := range startWays {
		var v types.String
		config.GetAttribute(ctx, path.Root(w.value), &v)
		if v.ValueString() != "" {
			return w, sensitive.New(v.ValueString()), true
		}
	}
	return startWay{}, sensitive.Secret{}, false
}

// restartRequested reports a new code or a new version of a write-only
// start in the plan. spentGrantModifier keeps the stored values when the
// configuration repeats or drops them, so any difference is a new start.
func restartRequested(ctx context.Context, state, plan attributeGetter) bool {
	for _, w := range startWays {
		var before, after types.String
		state.GetAttribute(ctx, path.Root(w.version), &before)
		plan.GetAttribute(ctx, path.Root(w.version), &after)
		if !before.Equal(after) {
			return true
		}
	}
	return false
}

// attributeGetter is what tfsdk.Config, tfsdk.Plan and tfsdk.State share.
type attributeGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

// step is what Create and Update send to start the token set.
func (m *oauthTokenModel) step(way startWay, secret sensitive.Secret) tokenset.Step {
	if way.kind == tokenset.ByAdopt {
		return tokenset.Step{Kind: tokenset.ByAdopt, RefreshToken: secret}
	}
	return tokenset.Step{Kind: tokenset.ByExchange, Code: secret, RedirectURI: m.RedirectURI.ValueString(), ContinuousRefresh: m.ContinuousRefresh.ValueBool()}
}

// decisionKey is where ModifyPlan tells Update what it planned, in the
// planned private state: Update is told, never left to infer.
const decisionKey = "planned_decision"

// plannedDecision is what ModifyPlan decided for an update.
type plannedDecision struct {
	Action string `json:"action"` // "start", "refresh", "recover" (a set not yet saved), or "store" (arguments only)
	Reason string `json:"reason,omitempty"`
}

func (d plannedDecision) encode() []byte {
	b, _ := json.Marshal(d) // two strings always encode
	return b
}

func decodeDecision(raw []byte) plannedDecision {
	d := plannedDecision{Action: "store"}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &d)
	}
	return d
}

// policy is the refresh policy the plan asks for.
func (m *oauthTokenModel) policy(state *oauthTokenModel) tokenset.Policy {
	if m.HandOff.ValueBool() {
		return tokenset.Policy{Mode: tokenset.HandedOff}
	}
	p := tokenset.Policy{Mode: tokenset.Scheduled}
	if state != nil && !m.RotationTriggers.Equal(state.RotationTriggers) && !state.RotationTriggers.IsUnknown() {
		// The first apply of rotation_triggers on an existing resource also
		// rotates: the user asked for rotation to follow them.
		p.Requested = "rotation_triggers changed"
	}
	window, err := time.ParseDuration(m.RotateBefore.ValueString())
	if err != nil || window <= 0 {
		p.Mode = tokenset.Manual // "0s" turns time-based rotation off
	}
	p.Window = window
	return p
}

// document is the stored token set as the token document.
func (m *oauthTokenModel) document(ctx context.Context) (*tokendoc.Document, diag.Diagnostics) {
	var scopes []string
	diags := m.Scopes.ElementsAs(ctx, &scopes, true)
	accessExp, _ := tokendoc.ParseTime(m.ExpiresAt.ValueString())
	refreshExp, _ := tokendoc.ParseTime(m.RefreshTokenExpiresAt.ValueString())
	// What the attributes do not hold comes from the stored document.
	var follows string
	if stored, err := tokendoc.Parse(m.TokenDocument.ValueString()); err == nil {
		follows = stored.Follows
	}
	return &tokendoc.Document{
		Follows:               follows,
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
func (m *oauthTokenModel) setDocument(ctx context.Context, doc *tokendoc.Document) diag.Diagnostics {
	var diags diag.Diagnostics
	m.AccessToken = types.StringValue(doc.AccessToken.Reveal())
	m.RefreshToken = secretValue(doc.RefreshToken)
	m.TokenType = types.StringValue(doc.TokenType)
	m.ExpiresAt = timeValue(doc.AccessTokenExpiresAt)
	m.RefreshTokenExpiresAt = timeValue(doc.RefreshTokenExpiresAt)
	m.Generation = types.Int64Value(doc.Generation)
	m.Scopes = types.ListNull(types.StringType)
	if doc.Scopes != nil {
		m.Scopes, diags = types.ListValueFrom(ctx, types.StringType, doc.Scopes)
	}
	m.TokenDocument = types.StringValue(doc.Encode())
	return diags
}

// markRotating makes every value a new token set changes "known after apply".
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
