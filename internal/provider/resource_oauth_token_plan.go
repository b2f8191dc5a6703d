package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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

// attributeGetter is what tfsdk.Config, tfsdk.Plan and tfsdk.State share.
type attributeGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
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

// startRequest is what the configuration says of a new start. At create one
// is always requested; later, a new code or a new version of a write-only
// start in the plan is one (spentGrantModifier keeps the stored values when
// the configuration repeats or drops them, so any difference is new).
func startRequest(ctx context.Context, config, state, plan attributeGetter, create bool) tokenset.StartRequest {
	req := tokenset.StartRequest{Requested: create}
	if way, _, ok := configuredStart(ctx, config); ok {
		req.Way = way.kind
	}
	for _, w := range startWays {
		var value, before, after types.String
		config.GetAttribute(ctx, path.Root(w.value), &value)
		req.Pending = req.Pending || value.IsUnknown()
		if !create {
			state.GetAttribute(ctx, path.Root(w.version), &before)
			plan.GetAttribute(ctx, path.Root(w.version), &after)
			req.Requested = req.Requested || !before.Equal(after)
		}
	}
	return req
}

// planRequest is what the plan knows, for the core: the prior token set
// (nil at create), the start asked for, the policy, what this machine's
// journal recalls and what the store's document (recovery_document_wo)
// holds. It reads the journal by name and changes nothing.
func (r *oauthTokenResource) planRequest(ctx context.Context, config, state, plan attributeGetter, planned, prior *oauthTokenModel,
	diags *diag.Diagnostics) tokenset.Request {
	req := tokenset.Request{
		Start:   startRequest(ctx, config, state, plan, prior == nil),
		HandOff: planned.HandOff.ValueBool(),
		Policy:  planned.policy(prior),
		Now:     r.now(),
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
	var stored types.String
	diags.Append(config.GetAttribute(ctx, path.Root("recovery_document_wo"), &stored)...)
	if s := stored.ValueString(); s != "" && !stored.IsUnknown() {
		req.Stored, req.StoredErr = tokendoc.Parse(s)
	}
	return req
}

// applyPlanned maps the core's answer onto the plan: what a new token set
// changes is "known after apply", what the plan already knows is shown.
func (m *oauthTokenModel) applyPlanned(p tokenset.Planned, prior *oauthTokenModel) {
	switch p.Action {
	case tokenset.Start, tokenset.Refresh, tokenset.Recover:
		m.markRotating()
		m.RotationReason = types.StringValue(p.Reason)
		if p.Action == tokenset.Start {
			m.ID = types.StringUnknown()
			m.Generation = types.Int64Value(p.Generation)
		}
	case tokenset.Remark:
		m.Generation = types.Int64Value(p.Generation)
		m.TokenDocument = types.StringValue(p.Doc.Encode())
		m.RotationReason = prior.RotationReason
	default:
		m.RotationReason = prior.RotationReason // nothing new obtained
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

// warnIgnoredStart says that a write-only code or refresh token given to a
// resource that already holds a token set is not used, because its version
// did not change: silently ignoring a fresh code wastes a consent.
func warnIgnoredStart(ctx context.Context, config, state attributeGetter, diags *diag.Diagnostics) {
	for _, w := range startWays {
		if w.value == w.version {
			continue // authorization_code is its own version: a change restarts
		}
		var v, version types.String
		config.GetAttribute(ctx, path.Root(w.value), &v)
		state.GetAttribute(ctx, path.Root(w.version), &version)
		if !v.IsUnknown() && v.ValueString() != "" {
			diags.Append(startValueIgnored(w, version))
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
