package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
	"github.com/sprighub/terraform-provider-pinterest/internal/tokenset"
)

var (
	_ resource.Resource                     = (*oauthTokenResource)(nil)
	_ resource.ResourceWithConfigure        = (*oauthTokenResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*oauthTokenResource)(nil)
	_ resource.ResourceWithConfigValidators = (*oauthTokenResource)(nil)
	_ resource.ResourceWithImportState      = (*oauthTokenResource)(nil)
	_ resource.ResourceWithUpgradeState     = (*oauthTokenResource)(nil)
)

const (
	defaultCreateTimeout = 5 * time.Minute
	defaultRotateBefore  = "168h"
)

// defaultWindow is defaultRotateBefore as a duration.
var defaultWindow, _ = time.ParseDuration(defaultRotateBefore)

// oauthTokenResource is pinterest_oauth_token: a token set obtained by
// exchanging an authorization code. A token set is not a remote object that
// can be read back, so Read makes no call. What an apply does is decided at
// plan by the core (tokenset.Plan); this file maps it onto Terraform.
type oauthTokenResource struct {
	data *providerData
}

func newOAuthTokenResource() resource.Resource { return &oauthTokenResource{} }

func (r *oauthTokenResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_token"
}

func (r *oauthTokenResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// Version 2 is the 0.1.0 surface; UpgradeState brings versions 0
		// and 1 to it (upgradeState). The computed attributes have no plan modifiers: ModifyPlan plans
		// each of them from the core's answer (applyPlanned).
		Version: 2,
		MarkdownDescription: "Exchanges a Pinterest OAuth authorization code for an access token and a refresh token, " +
			"keeps them in state, and rotates them in place on a scheduled `terraform apply` before they expire.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "A random identifier of this token set, made at create. It is not derived from any secret.",
				Computed:            true,
			},
			"redirect_uri": schema.StringAttribute{
				MarkdownDescription: "The redirect URI of the consent, as registered on the app; the exchange must send the same. " +
					"Changing it later has no effect.",
				Required:   true,
				Validators: []validator.String{absoluteURL{}},
			},
			"authorization_code_wo": schema.StringAttribute{
				MarkdownDescription: "The `code` Pinterest appended to the redirect URI after consent, valid for 10 minutes. Exchanged " +
					"at create, never stored. Exactly one of `authorization_code_wo` and `refresh_token_wo` starts a token set.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
			},
			"authorization_code_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Changing it starts a new token set in place with a new exchange of `authorization_code_wo`. " +
					"Removing it plans no change.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{spentGrantModifier{}},
			},
			"refresh_token_wo": schema.StringAttribute{
				MarkdownDescription: "A refresh token the team already holds, to start from instead of a code. The " +
					"provider refreshes once, at create, to check it; under continuous refresh the token given then stops being current.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
			},
			"recovery_document_wo": schema.StringAttribute{
				MarkdownDescription: "The store's current token document, read through its ephemeral resource. If it is the " +
					"state's direct successor (a run wrote the store, then died), the plan adopts it without calling Pinterest; " +
					"any other newer document is ignored with a warning.",
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
			},
			"refresh_token_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Changing it starts a new token set in place, adopting `refresh_token_wo` anew. Removing it plans no change.",
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{spentGrantModifier{}},
			},
			"rotate_before": schema.StringAttribute{
				MarkdownDescription: "Rotate when the access token or the refresh token expires within this duration, such as " +
					"`\"72h\"`. Defaults to `\"168h\"` (7 days), shown unset in plans, unless `hand_off` is set. `\"0s\"` turns time-based rotation off.",
				Optional:   true,
				Validators: []validator.String{durationAtLeast(0)},
			},
			"rotation_triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values; any change refreshes the tokens in place (never a replacement). Tie it to " +
					"`time_rotating` or to a pipeline's own schedule.",
				ElementType: types.StringType,
				Optional:    true,
			},
			"required_scopes": schema.SetAttribute{
				MarkdownDescription: "Scopes the token set must have. If Pinterest granted fewer, the apply fails naming them; the " +
					"tokens are kept in state, never lost.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(knownScope{})},
			},
			"required_account": schema.StringAttribute{
				MarkdownDescription: "The Pinterest account, by id or username, that must approve a new token set. A start approved " +
					"by another account fails before the tokens are stored. Needs the `user_accounts:read` scope.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"revoke_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "Revoke both tokens at Pinterest on destroy. Pinterest revokes only system users' tokens today; " +
					"for others its 403 becomes a warning. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"hand_off": schema.BoolAttribute{
				MarkdownDescription: "Deliver the token set to a consumer that refreshes it itself (such as Fivetran) and never " +
					"refresh it again. Refuses `rotate_before`, `rotation_triggers` and `revoke_on_destroy = true`; " +
					"`pinterest_access_token` refuses its document. Stays on until a new start. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"continuous_refresh": schema.BoolAttribute{
				MarkdownDescription: "Ask for a continuous refresh token, which every refresh replaces with a new 60-day one. " +
					"Apps created before 2025-09-25 must ask; later apps get one anyway. Defaults to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The access token (`pina...`), sent as `Authorization: Bearer` to the Pinterest API.",
				Computed:            true,
				Sensitive:           true,
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "The refresh token (`pinr...`). Each refresh returns a new one, and the previous one may stop " +
					"working at once.",
				Computed:  true,
				Sensitive: true,
			},
			"token_type": schema.StringAttribute{
				MarkdownDescription: "The token type, `bearer`.",
				Computed:            true,
			},
			"scopes": schema.ListAttribute{
				MarkdownDescription: scopesResultDescription,
				ElementType:         types.StringType,
				Computed:            true,
			},
			"access_token_expires_at": schema.StringAttribute{
				MarkdownDescription: "When the access token expires (RFC 3339, UTC); null if Pinterest did not say.",
				Computed:            true,
			},
			"refresh_token_expires_at": schema.StringAttribute{
				MarkdownDescription: "When the refresh token expires (RFC 3339, UTC); null if Pinterest did not say.",
				Computed:            true,
			},
			"generation": schema.Int64Attribute{
				MarkdownDescription: "1, then one more with every rotation and new start. A secret store's `*_wo_version`, so that " +
					"every new token set is written.",
				Computed: true,
			},
			"rotation_reason": schema.StringAttribute{
				MarkdownDescription: "Why the current token set was obtained, such as `the access token expires at " +
					"2026-04-01T12:00:00Z, within 168h0m0s`. A plan that rotates shows its reason here.",
				Computed: true,
			},
			"token_document": schema.StringAttribute{
				MarkdownDescription: "The token set as the JSON document secret stores hold. Write it to a store's write-only " +
					"argument, with `generation` as its version.",
				Computed:  true,
				Sensitive: true,
			},
			"user_account": schema.SingleNestedAttribute{
				MarkdownDescription: "The Pinterest account the tokens act for, read after each exchange or refresh when " +
					"`user_accounts:read` was granted; otherwise null.",
				Computed: true,
				Attributes: map[string]schema.Attribute{
					"id":           schema.StringAttribute{MarkdownDescription: "The account id.", Computed: true},
					"username":     schema.StringAttribute{MarkdownDescription: "The account's username.", Computed: true},
					"account_type": schema.StringAttribute{MarkdownDescription: "`PINNER` or `BUSINESS`.", Computed: true},
				},
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true,
				CreateDescription: "How long a create may take, retries included, such as `\"2m\"`. Defaults to `\"5m\"`.",
				UpdateDescription: "How long a rotation or a new start may take. Defaults to `\"5m\"`."}),
		},
	}
}

const scopesResultDescription = "The scopes Pinterest granted, sorted. Pinterest lists every scope the user approved for the app."

func (r *oauthTokenResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *oauthTokenResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.Conflicting(startPaths()...), handOffRules{}}
}

// ModifyPlan asks the core what the apply does with the token set (start,
// keep, refresh, recover, re-mark) and maps the answer onto the plan, and
// onto the planned private state for Update. It changes nothing anywhere.
func (r *oauthTokenResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan oauthTokenModel
	var prior *oauthTokenModel
	config := configuredValues(ctx, req.Config, &resp.Diagnostics)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !req.State.Raw.IsNull() {
		prior = &oauthTokenModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	planned, err := tokenset.Plan(r.planRequest(ctx, config, &plan, prior, &resp.Diagnostics))
	if err != nil {
		resp.Diagnostics.Append(refusalDiagnostic(err, restartCause(prior, &plan)))
		return
	}
	resp.Diagnostics.Append(noticeDiagnostics(planned.Notices)...)
	if prior != nil && planned.Action != tokenset.Start {
		warnIgnoredStart(config, prior, &resp.Diagnostics)
	}
	if prior == nil || (planned.Action == tokenset.Keep && req.Plan.Raw.Equal(req.State.Raw)) {
		return // create, or nothing changes: the plan stands as it is
	}
	tflog.Debug(ctx, "Planned the token set", map[string]any{"action": planned.Action.String(), "reason": planned.Reason})
	plan.applyPlanned(planned, prior)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, plannedActionKey, encodeAction(planned.Action))...)
}

func (r *oauthTokenResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = withLogging(ctx)
	var plan oauthTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(newID())
	plan.RotationReason = types.StringValue("the first token set was started")
	r.advance(ctx, req.Config, nil, plan, tokenset.Start, plan.Timeouts.Create, &resp.State, &resp.Diagnostics)
}

// Read makes no call: the framework hands back the prior state unchanged.
// Refreshing here would mint tokens during plan that are thrown away when the
// plan ends, and under continuous refresh that destroys access. It confirms
// what the state holds to this machine's journal: the entry whose result
// is the stored set has arrived, and is forgotten, so that nothing is left
// for a holder of the retired refresh token. The plan decision (ModifyPlan)
// itself changes nothing.
func (r *oauthTokenResource) Read(ctx context.Context, req resource.ReadRequest, _ *resource.ReadResponse) {
	var refresh types.String
	if r.data != nil && !req.State.GetAttribute(ctx, path.Root("refresh_token"), &refresh).HasError() {
		r.data.journal().Confirm(sensitive.New(refresh.ValueString()))
	}
}

// Update does what the plan decided.
func (r *oauthTokenResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	ctx = withLogging(ctx)
	var plan, prior oauthTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	raw, diags := req.Private.GetKey(ctx, plannedActionKey)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, plannedActionKey, nil)...)
	if resp.Diagnostics.HasError() {
		return
	}
	switch action := decodeAction(raw); action {
	case tokenset.Start:
		plan.ID = types.StringValue(newID())
		r.advance(ctx, req.Config, &prior, plan, action, plan.Timeouts.Update, &resp.State, &resp.Diagnostics)
	case tokenset.Recover:
		r.recover(ctx, req, &prior, plan, resp)
	case tokenset.Refresh:
		r.advance(ctx, req.Config, &prior, plan, action, plan.Timeouts.Update, &resp.State, &resp.Diagnostics)
	default: // Keep, Remark: the plan holds everything; nobody is called
		if plan.AccessToken.IsUnknown() || plan.RefreshToken.IsUnknown() {
			resp.Diagnostics.Append(plannedActionMissing())
			resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
			return
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

// Delete forgets the tokens, revoking first what the core's retire rule
// says (nothing unless revoke_on_destroy; never a handed-off set). The
// journal keeps its entries until every revocation needed has succeeded:
// a destroy that fails leaves the resource, and its newest set, in place.
func (r *oauthTokenResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx = withLogging(ctx)
	var state oauthTokenModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	doc, diags := state.document(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || r.data == nil {
		return
	}
	// A successor a dead run left here is the live set: revoke it too.
	j := r.data.journal()
	recalled, _ := tokenset.Recall(j, doc)
	if revocations := tokenset.Retire(doc, recalled, state.RevokeOnDestroy.ValueBool()); len(revocations) > 0 {
		client, diags := r.data.requireClient()
		if resp.Diagnostics.Append(diags...); diags.HasError() {
			return
		}
		ofRecalled := len(tokenset.Retire(recalled, nil, recalled != nil))
		for i, rv := range revocations {
			err := client.Revoke(ctx, rv.Token, rv.Hint)
			if outcome := tokenset.JudgeRevoke(err); outcome == tokenset.RevokeForbidden {
				resp.Diagnostics.Append(tokensNotRevoked(rv.Hint, err))
				break // Pinterest revokes none of this set's tokens
			} else if outcome == tokenset.RevokeFailed {
				resp.Diagnostics.Append(diagnose(err, failure{}))
				return
			}
			if i+1 == ofRecalled {
				// The dead run's successor is revoked: never recover it.
				j.Drop(doc.RefreshToken)
			}
		}
	}
	// A token set that is destroyed is never recovered: a replacement
	// started from the same code must ask Pinterest, not this journal.
	j.Drop(doc.RefreshToken)
	j.Confirm(doc.RefreshToken)
}

func (r *oauthTokenResource) ImportState(_ context.Context, _ resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.Append(importNotSupported())
}

// UpgradeState fills in what a version 0 state may lack (see upgradeV0).
func (r *oauthTokenResource) UpgradeState(ctx context.Context) map[int64]resource.StateUpgrader {
	// Versions 0 and 1 had the same attributes; both are read as JSON.
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: upgradeState}, 1: {StateUpgrader: upgradeState}}
}
