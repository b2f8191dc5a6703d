package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sprighub/terraform-provider-pinterest/internal/journal"
	"github.com/sprighub/terraform-provider-pinterest/internal/pinterest"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokendoc"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

// How pinterest_oauth_token's apply obtains and stores a token set.

// advance obtains the next token set through the core, by a start from the
// configuration (action Start) or by refreshing prior, and saves it. Nothing
// issued is ever lost: the new tokens are in state before the account is
// looked up or the scopes are checked, and a failed call keeps prior as it
// was.
func (r *oauthTokenResource) advance(ctx context.Context, config tfsdk.Config, prior *oauthTokenModel, plan oauthTokenModel,
	action tokenset.Action, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), state *tfsdk.State, diags *diag.Diagnostics) {
	keepPrior := func() {
		if prior != nil {
			diags.Append(state.Set(ctx, prior)...)
		}
	}
	limit, d := timeout(ctx, defaultCreateTimeout)
	diags.Append(d...)
	client, d := r.data.requireClient()
	diags.Append(d...)
	diags.Append(r.data.requireJournal()...)
	if diags.HasError() {
		keepPrior()
		return
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	var priorDoc *tokendoc.Document
	if prior != nil {
		priorDoc, d = prior.document(ctx)
		diags.Append(d...)
	}
	f := failure{op: opRotate, path: path.Root("refresh_token"), redirectURI: plan.RedirectURI.ValueString(), scopes: plan.knownScopes(ctx)}
	step := tokenset.Step{Kind: tokenset.ByRefresh}
	if prior != nil {
		f.generation = prior.Generation.ValueInt64()
	}
	if action == tokenset.Start {
		way, secret, _ := configuredStart(configuredValues(ctx, config, diags))
		if way.kind == tokenset.ByAdopt && prior != nil && prior.HandOff.ValueBool() {
			diags.Append(refusalDiagnostic(&tokenset.Refusal{Kind: tokenset.RefuseAdoptAfterHandOff}, ""))
			keepPrior()
			return
		}
		step = plan.step(way, secret)
		f.op, f.path, f.generation = opExchange, path.Root(way.value), 0
		if way.kind == tokenset.ByAdopt {
			f.op = opAdopt
		}
	}
	// Take writes the new set ahead into this machine's journal before it
	// returns, so that a run killed before its state reaches the backend
	// loses nothing: the next plan here finds it.
	out, err := tokenset.Take(ctx, client, r.data.journal(), priorDoc, step, r.now().Add(journal.WriteAheadTTL))
	if err != nil {
		diags.Append(diagnose(err, f))
		keepPrior() // nothing was issued: keep the prior token set as it was
		return
	}
	if action == tokenset.Start {
		if d, wrong := r.checkAccount(ctx, client, plan.RequiredAccount.ValueString(), out.Doc); d != nil {
			// The prior token set stays. Another account's set is stored
			// nowhere, the journal included; a set whose account could not
			// be read stays in the journal, so that the next apply with the
			// same code or token checks it again and loses nothing.
			diags.Append(d)
			if wrong {
				r.data.journal().Drop(tokenset.Traded(priorDoc, step))
			}
			keepPrior()
			return
		}
	}
	if out.Reused {
		diags.Append(handedBackAgain(path.Empty(), out.Doc.Generation, afterDeadApply))
	}
	r.data.warnNotKept(ctx, out, diags)
	out.Doc.HandedOff = plan.HandOff.ValueBool()
	r.save(ctx, client, plan, out.Doc, priorDoc, state, diags)
}

// recover stores the successor the plan found (the journal's or the
// store's), with no call to Pinterest. The core is asked again: when the
// successor is gone since the plan (another machine applies a saved plan),
// the refresh finds it kept here or asks Pinterest.
func (r *oauthTokenResource) recover(ctx context.Context, req resource.UpdateRequest, prior *oauthTokenModel, plan oauthTokenModel, resp *resource.UpdateResponse) {
	client, diags := r.data.requireClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, prior)...)
		return
	}
	var again diag.Diagnostics
	planned, err := tokenset.Plan(r.planRequest(ctx, configuredValues(ctx, req.Config, &again), &plan, prior, &again))
	if err == nil && planned.Action == tokenset.Recover && !again.HasError() {
		tflog.Info(ctx, "Storing a token set recovered with no call to Pinterest", map[string]any{"generation": planned.Doc.Generation})
		planned.Doc.HandedOff = plan.HandOff.ValueBool()
		priorDoc, _ := prior.document(ctx)
		r.save(ctx, client, plan, planned.Doc, priorDoc, &resp.State, &resp.Diagnostics)
		return
	}
	r.advance(ctx, req.Config, prior, plan, tokenset.Refresh, plan.Timeouts.Update, &resp.State, &resp.Diagnostics)
}

// save stores a token set Pinterest just issued, and only then looks up the
// account and checks the scopes: whatever fails after a successful exchange
// or refresh, the new tokens are in state, because under continuous refresh
// the previous refresh token may already be dead. The document is bound as
// the successor of prior (tokenset.Bind), so that a store's copy of it can
// be adopted after a run that dies; binding is deterministic, so a store's
// document recovered as it was gets the binding it came with.
func (r *oauthTokenResource) save(ctx context.Context, client *pinterest.Client, m oauthTokenModel, doc, prior *tokendoc.Document,
	state *tfsdk.State, diags *diag.Diagnostics) {
	bind := func() {
		tokenset.Bind(doc, prior, r.data.binding)
		m.setDocument(doc)
	}
	bind()
	m.UserAccount = types.ObjectNull(userAccountAttrTypes)
	if diags.Append(state.Set(ctx, &m)...); diags.HasError() {
		return
	}

	if slices.Contains(doc.Scopes, "user_accounts:read") {
		ua, err := client.UserAccount(ctx, doc.AccessToken)
		if err != nil {
			diags.Append(accountNotIdentified(err))
		} else {
			obj, d := types.ObjectValue(userAccountAttrTypes, map[string]attr.Value{
				"id": types.StringValue(ua.ID), "username": types.StringValue(ua.Username), "account_type": types.StringValue(ua.AccountType),
			})
			diags.Append(d...)
			m.UserAccount = obj
			if doc.Account != ua.ID {
				doc.Account = ua.ID
				bind()
			}
			diags.Append(state.Set(ctx, &m)...)
		}
	}

	if missing, askFor := m.scopeShortfall(ctx, doc.Scopes, diags); len(missing) > 0 {
		diags.Append(missingScopes(doc.Scopes, missing, askFor))
	}
}

// newID returns a random identifier that has nothing to do with any secret.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// checkAccount checks a new token set against required_account, when set:
// the account behind its access token must be the one named (by id or
// username). It returns the diagnostic of a mismatch (wrong) or of a check
// that cannot be made.
func (r *oauthTokenResource) checkAccount(ctx context.Context, client *pinterest.Client, required string, doc *tokendoc.Document) (d diag.Diagnostic, wrong bool) {
	if required == "" {
		return nil, false
	}
	if !slices.Contains(doc.Scopes, "user_accounts:read") {
		return accountNotVerifiable(required, errors.New("the approval did not grant the user_accounts:read scope")), false
	}
	ua, err := client.UserAccount(ctx, doc.AccessToken)
	if err != nil {
		return accountNotVerifiable(required, err), false
	}
	if !tokenset.AccountMatches(required, ua.ID, ua.Username) {
		return wrongAccount(required, ua.Username, ua.ID), true
	}
	doc.Account = ua.ID
	return nil, false
}
