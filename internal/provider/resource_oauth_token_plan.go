package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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
	version string // the attribute whose change starts anew
	kind    tokenset.Kind
	// valueOf and versionOf read both attributes from a model.
	valueOf   func(*oauthTokenModel) types.String
	versionOf func(*oauthTokenModel) types.Int64
}

var startWays = []startWay{
	{value: "authorization_code_wo", version: "authorization_code_wo_version", kind: tokenset.ByExchange,
		valueOf:   func(m *oauthTokenModel) types.String { return m.AuthorizationCodeWO },
		versionOf: func(m *oauthTokenModel) types.Int64 { return m.AuthorizationCodeWOVersion }},
	{value: "refresh_token_wo", version: "refresh_token_wo_version", kind: tokenset.ByAdopt,
		valueOf:   func(m *oauthTokenModel) types.String { return m.RefreshTokenWO },
		versionOf: func(m *oauthTokenModel) types.Int64 { return m.RefreshTokenWOVersion }},
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
// three attributes cost less to read than the whole configuration.
func configuredValues(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) *oauthTokenModel {
	var m oauthTokenModel
	for _, a := range []struct {
		name string
		to   *types.String
	}{
		{"authorization_code_wo", &m.AuthorizationCodeWO},
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
		m.AccessTokenExpiresAt, m.RefreshTokenExpiresAt = prior.AccessTokenExpiresAt, prior.RefreshTokenExpiresAt
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
		before, after := w.versionOf(prior), w.versionOf(plan)
		switch {
		case before.Equal(after):
		case !before.IsNull() && !after.IsNull() && after.ValueInt64() < before.ValueInt64():
			// The usual cause: a run whose configuration predates the last
			// consent, such as a variable's default after -var at the consent.
			return fmt.Sprintf("%s went back from %d to %d, as a configuration older than the last consent would",
				w.version, before.ValueInt64(), after.ValueInt64())
		default:
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
		if v := w.valueOf(config); !v.IsUnknown() && v.ValueString() != "" {
			diags.Append(startValueIgnored(w, w.versionOf(prior)))
		}
	}
}

// upgradeState brings a state of schema version 0 or 1 (before 0.1.0) to
// version 2. It calls nobody. Version 1 and 0 had the same attributes:
//   - authorization_code (the code kept in state) is dropped: the code is
//     spent, and only authorization_code_wo starts a token set now;
//   - expires_at is access_token_expires_at, as in the token document;
//   - the *_wo_version strings are numbers, as a store's. One that is not
//     a whole number becomes 1, and so does the code's version of a set
//     started from authorization_code: the configuration moved to
//     authorization_code_wo then says 1, which starts nothing, rather than
//     sending the spent code that may still be beside it;
//   - hand_off is false rather than null, and rotate_before is null where it
//     held the default, which now applies without being shown;
//   - a state from before token_document or generation existed gets both.
func upgradeState(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	if req.RawState == nil {
		resp.Diagnostics.AddError("Unable to Upgrade Resource State", "The prior state of pinterest_oauth_token was empty.")
		return
	}
	var old map[string]any
	dec := json.NewDecoder(bytes.NewReader(req.RawState.JSON))
	dec.UseNumber() // a generation up to 2^53-1 stays exact
	if err := dec.Decode(&old); err != nil || old == nil {
		resp.Diagnostics.AddError("Unable to Upgrade Resource State", "The prior state of pinterest_oauth_token is not a JSON "+
			"object. Restore the state from a backup, or remove the resource from the state and start it anew from a code.")
		return
	}
	old["access_token_expires_at"] = old["expires_at"]
	delete(old, "expires_at")
	if old["authorization_code"] != nil && old["authorization_code_wo_version"] == nil {
		old["authorization_code_wo_version"] = "1"
	}
	delete(old, "authorization_code")
	for _, k := range []string{"authorization_code_wo_version", "refresh_token_wo_version"} {
		if old[k] == nil {
			continue
		}
		s, _ := old[k].(string)
		if num, ok := old[k].(json.Number); ok {
			s = num.String()
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			n = 1
		}
		old[k] = n
	}
	if old["hand_off"] == nil {
		old["hand_off"] = false
	}
	if old["rotate_before"] == defaultRotateBefore {
		old["rotate_before"] = nil
	}
	raw, _ := json.Marshal(old)
	val, err := (&tfprotov6.RawState{JSON: raw}).UnmarshalWithOpts(resp.State.Schema.Type().TerraformType(ctx),
		tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		resp.Diagnostics.AddError("Unable to Upgrade Resource State", "The prior state of pinterest_oauth_token does not fit "+
			"schema version 2 (an attribute of the wrong type). Restore the state from a backup, or remove the resource from "+
			"the state and start it anew from a code.") // err quotes state values, which may be secret
		return
	}
	resp.State.Raw = val
	var m oauthTokenModel
	if resp.Diagnostics.Append(resp.State.Get(ctx, &m)...); resp.Diagnostics.HasError() {
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
