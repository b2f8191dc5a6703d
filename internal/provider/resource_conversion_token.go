package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

var (
	_ resource.Resource              = (*conversionTokenResource)(nil)
	_ resource.ResourceWithConfigure = (*conversionTokenResource)(nil)
)

// conversionTokenResource is pinterest_conversion_token: a token for the
// Conversions API, minted with POST /v5/oauth/conversion_token from an
// access token with ads:write. Pinterest calls it long-lived and documents
// neither its lifetime nor whether a new one ends an earlier one, so the
// resource never refreshes it on its own: a new one is made at create and
// when triggers change (a replacement), nothing else. Read and Delete call
// nobody: Pinterest offers no way to read one back or to revoke it.
type conversionTokenResource struct {
	data *providerData
}

func newConversionTokenResource() resource.Resource { return &conversionTokenResource{} }

type conversionTokenModel struct {
	AccessTokenWO types.String `tfsdk:"access_token_wo"`
	Triggers      types.Map    `tfsdk:"triggers"`
	ID            types.String `tfsdk:"id"`
	Token         types.String `tfsdk:"token"`
	TokenType     types.String `tfsdk:"token_type"`
	Version       types.Int64  `tfsdk:"version"`
}

func (r *conversionTokenResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_conversion_token"
}

func (r *conversionTokenResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Conversions API token (`POST /v5/oauth/conversion_token`), made from an access token with " +
			"`ads:write` at create and when `triggers` change; never refreshed, kept in state (sensitive). Neither a new " +
			"token nor destroy revokes the old one; its lifetime is undocumented.",
		Attributes: map[string]schema.Attribute{
			"access_token_wo": schema.StringAttribute{
				MarkdownDescription: "An access token with `ads:write`, such as `pinterest_oauth_token.ads.access_token` or " +
					"an ephemeral `pinterest_access_token`'s. Write-only: used at create and never stored.",
				Required:  true,
				Sensitive: true,
				WriteOnly: true,
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values; any change makes a new conversion token (a replacement). Tie it to " +
					"`time_rotating` to renew on a schedule.",
				ElementType:   types.StringType,
				Optional:      true,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "The first 12 hex digits of the token's SHA-256.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "The conversion token.",
				Computed:            true,
				Sensitive:           true,
				PlanModifiers:       keep,
			},
			"token_type": schema.StringAttribute{
				MarkdownDescription: "`conversion`.",
				Computed:            true,
				PlanModifiers:       keep,
			},
			"version": schema.Int64Attribute{
				MarkdownDescription: "When the token was made, in Unix seconds: a new value for each new token, for a " +
					"secret store's `*_wo_version`.",
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *conversionTokenResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData != nil {
		r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
	}
}

func (r *conversionTokenResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx = withLogging(ctx)
	var m, cfg conversionTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	// The write-only token is only in the configuration.
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		resp.Diagnostics.Append(providerNotConfigured())
		return
	}
	ct, err := r.data.client.ConversionToken(ctx, sensitive.New(cfg.AccessTokenWO.ValueString()))
	if err != nil {
		resp.Diagnostics.Append(conversionTokenDiagnostic(err))
		return
	}
	m.AccessTokenWO = types.StringNull()
	m.ID, m.Token, m.TokenType = types.StringValue(ct.Token.Fingerprint()), types.StringValue(ct.Token.Reveal()), types.StringValue(ct.TokenType)
	m.Version = types.Int64Value(r.data.now().Unix())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read keeps the state: Pinterest cannot be asked whether a conversion
// token is still valid without sending an event.
func (r *conversionTokenResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {
}

// Update only takes in what changes in place: nothing but the write-only
// token, which is not sent again.
func (r *conversionTokenResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m conversionTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.AccessTokenWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete forgets the token; Pinterest offers no revoke for it.
func (r *conversionTokenResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}
