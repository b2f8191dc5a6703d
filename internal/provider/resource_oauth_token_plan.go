package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

// What pinterest_oauth_token's plan reads from Terraform for the core, and
// how the core's answer lands on the plan.

// startWay is one way to start a token set. This table is the one place
// that lists them: the config validator, the plan (what is a new start, and
// which way) and Create/Update (what to send) all read it. A new way to
// start is a row here, its attributes in the schema, and its Step.
type startWay struct {
	value   string // the attribute holding the code or token
	version string // the attribute whose change starts anew (value itself for authorization_code)
	kind    tokenset.Kind
	// valueOf and versionOf read both attributes from a model.
	valueOf, versionOf func(*oauthTokenModel) types.String
}

var startWays = []startWay{
	{value: "authorization_code_wo", version: "authorization_code_wo_version", kind: tokenset.ByExchange,
		valueOf:   func(m *oauthTokenModel) types.String { return m.AuthorizationCodeWO },
		versionOf: func(m *oauthTokenModel) types.String { return m.AuthorizationCodeWOVersion }},
	{value: "authorization_code", version: "authorization_code", kind: tokenset.ByExchange,
		valueOf:   func(m *oauthTokenModel) types.String { return m.AuthorizationCode },
		versionOf: func(m *oauthTokenModel) types.String { return m.AuthorizationCode }},
	{value: "refresh_token_wo", version: "refresh_token_wo_version", kind: tokenset.ByAdopt,
		valueOf:   func(m *oauthTokenModel) types.String { return m.RefreshTokenWO },
		versionOf: func(m *oauthTokenModel) types.String { return m.RefreshTokenWOVersion }},
}

// startPaths are the attributes of which exactly one starts a token set.
func startPaths() []path.Expression {
	var exprs []path.Expression
	for _, w := range startWays {
		exprs = append(exprs, path.MatchRoot(w.value))
	}
	return exprs
}

// configuredValues reads from the configuration what only it holds (the
// write-only arguments a plan reads), into a model with nothing else set:
// four attributes cost less to read than the whole configuration.
func configuredValues(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) *oauthTokenModel {
	var m oauthTokenModel
	for _, a := range []struct {
		name string
		to   *types.String
	}{
		{"authorization_code_wo", &m.AuthorizationCodeWO}, {"authorization_code", &m.AuthorizationCode},
		{"refresh_token_wo", &m.RefreshTokenWO}, {"recovery_document_wo", &m.RecoveryDocumentWO},
	} {
		diags.Append(config.GetAttribute(ctx, path.Root(a.name), a.to)...)
	}
	return &m
}

// configuredStart returns the way the configuration starts a token set and
// its secret, or false when it gives none.
func configuredStart(config *oauthTokenModel) (startWay, sensitive.Secret, bool) {
	for _, w := range startWays {
		if v := w.valueOf(config).ValueString(); v != "" {
			return w, sensitive.New(v), true
		}
	}
	return startWay{}, sensitive.Secret{}, false
}

// startRequest is what the configuration says of a new start. At create
// (no prior) one is always requested; later, a new code or a new version of
// a write-only start in the plan is one (spentGrantModifier keeps the stored
// values when the configuration repeats or drops them, so any difference
// is new).
func startRequest(config, prior, plan *oauthTokenModel) tokenset.StartRequest {
	req := tokenset.StartRequest{Requested: prior == nil}
	if way, _, ok := configuredStart(config); ok {
		req.Way = way.kind
	}
	for _, w := range startWays {
		if w.valueOf(config).IsUnknown() {
			// Known only at apply: plan as if given, so that the rules of
			// its way (no adoption after hand-off) hold already.
			req.Pending = true
			req.Way = max(req.Way, w.kind)
		}
		if prior != nil {
			req.Requested = req.Requested || !w.versionOf(prior).Equal(w.versionOf(plan))
		}
	}
	return req
}

// planRequest is what the plan knows, for the core: the prior token set
// (nil at create), the start asked for, the policy, what this machine's
// journal recalls and what the store's document (recovery_document_wo)
// holds. It reads the journal by name and changes nothing.
func (r *oauthTokenResource) planRequest(ctx context.Context, config, planned, prior *oauthTokenModel, diags *diag.Diagnostics) tokenset.Request {
	req := tokenset.Request{
		Start:   startRequest(config, prior, planned),
		HandOff: planned.HandOff.ValueBool(),
		Policy:  planned.policy(prior),
		Now:     r.now(),
	}
	if r.data != nil && len(r.data.missing) == 0 {
		req.AppKey = r.data.binding // only real app credentials bind
	}
	if prior == nil {
		return req
	}
	var d diag.Diagnostics
	req.Prior, d = prior.document(ctx)
	diags.Append(d...)
	if r.data != nil && !req.Prior.HandedOff {
		req.Recalled, _ = tokenset.Recall(r.data.journal(), req.Prior)
	}
	if s := config.RecoveryDocumentWO.ValueString(); s != "" && !config.RecoveryDocumentWO.IsUnknown() {
		req.Stored, req.StoredErr = tokendoc.Parse(s)
	}
	return req
}

// applyPlanned maps the core's answer onto the plan: what a new token set
// changes is "known after apply"; otherwise every computed value is the
// prior's (the framework would have made them unknown for any change of
// an argument), and a re-mark shows the marked document.
func (m *oauthTokenModel) applyPlanned(p tokenset.Planned, prior *oauthTokenModel) {
	m.ID, m.RotationReason, m.UserAccount = prior.ID, prior.RotationReason, prior.UserAccount
	switch p.Action {
	case tokenset.Start, tokenset.Refresh, tokenset.Recover:
		m.markRotating()
		m.RotationReason = types.StringValue(p.Reason)
		if p.Action == tokenset.Start {
			m.ID = types.StringUnknown()
			m.Generation = types.Int64Value(p.Generation)
		}
	default:
		m.AccessToken, m.RefreshToken, m.TokenType, m.Scopes = prior.AccessToken, prior.RefreshToken, prior.TokenType, prior.Scopes
		m.ExpiresAt, m.RefreshTokenExpiresAt = prior.ExpiresAt, prior.RefreshTokenExpiresAt
		m.Generation, m.TokenDocument = prior.Generation, prior.TokenDocument
		if p.Action == tokenset.Remark {
			m.Generation = types.Int64Value(p.Generation)
			m.TokenDocument = types.StringValue(p.Doc.Encode())
		}
	}
}

// plannedActionKey is where ModifyPlan tells Update what it planned, in the
// planned private state: Update is told, never left to infer.
const plannedActionKey = "planned_action"

func encodeAction(a tokenset.Action) []byte { return []byte(`"` + a.String() + `"`) }

// decodeAction reads what encodeAction wrote; anything else is Keep, which
// calls nobody.
func decodeAction(raw []byte) tokenset.Action {
	if len(raw) < 2 {
		return tokenset.Keep
	}
	a, _ := tokenset.ParseAction(string(raw[1 : len(raw)-1]))
	return a
}

// restartCause names the version whose change asks for a new start, with
// its stored and planned values, or is empty (at create).
func restartCause(prior, plan *oauthTokenModel) string {
	if prior == nil {
		return ""
	}
	for _, w := range startWays {
		if before, after := w.versionOf(prior), w.versionOf(plan); !before.Equal(after) && w.value != w.version {
			return fmt.Sprintf("%s changed from %s to %s", w.version, before, after)
		}
	}
	return ""
}

// warnIgnoredStart says that a write-only code or refresh token given to a
// resource that already holds a token set is not used, because its version
// did not change: silently ignoring a fresh code wastes a consent.
func warnIgnoredStart(config, prior *oauthTokenModel, diags *diag.Diagnostics) {
	for _, w := range startWays {
		if w.value == w.version {
			continue // authorization_code is its own version: a change restarts
		}
		if v := w.valueOf(config); !v.IsUnknown() && v.ValueString() != "" {
			diags.Append(startValueIgnored(w, w.versionOf(prior)))
		}
	}
}

// upgradeV0 fills in what a state written before schema version 1 may
// lack: the token document (a state from before token_document existed)
// and a generation of at least 1 (from before generation counted). It calls
// nobody.
func upgradeV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	var m oauthTokenModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.TokenDocument.IsNull() || m.Generation.ValueInt64() < 1 {
		doc, diags := m.document(ctx)
		resp.Diagnostics.Append(diags...)
		doc.Generation = max(doc.Generation, 1)
		m.setDocument(doc)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// now reads the provider's clock; before the provider is configured (as in
// validation) it falls back to the wall clock.
func (r *oauthTokenResource) now() time.Time {
	if r.data != nil && r.data.now != nil {
		return r.data.now()
	}
	return time.Now()
}
