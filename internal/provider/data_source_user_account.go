package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sprighub/terraform-provider-pinterest/internal/sensitive"
)

var (
	_ datasource.DataSource              = (*userAccountDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*userAccountDataSource)(nil)
)

// userAccountDataSource is pinterest_user_account: the account behind an
// access token, read with GET /v5/user_account. It is the health check of a
// token set that costs no refresh: in a check block, a token Pinterest no
// longer accepts becomes a warning at every plan, and nothing is rotated.
type userAccountDataSource struct {
	data *providerData
}

func newUserAccountDataSource() datasource.DataSource { return &userAccountDataSource{} }

type userAccountModel struct {
	AccessToken types.String `tfsdk:"access_token"`
	ID          types.String `tfsdk:"id"`
	Username    types.String `tfsdk:"username"`
	AccountType types.String `tfsdk:"account_type"`
}

func (d *userAccountDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_account"
}

func (d *userAccountDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Pinterest account an access token acts for (`GET /v5/user_account`): a health check at every " +
			"plan that spends no refresh; in a `check` block a refused token becomes a warning naming the cause. Needs " +
			"`user_accounts:read`. `access_token` is stored in the state (sensitive): give it a token the state already holds.",
		Attributes: map[string]schema.Attribute{
			"access_token": schema.StringAttribute{
				MarkdownDescription: "The access token to check, such as `pinterest_oauth_token.etl.access_token`.",
				Required:            true,
				Sensitive:           true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"id":           schema.StringAttribute{MarkdownDescription: "The account id.", Computed: true},
			"username":     schema.StringAttribute{MarkdownDescription: "The account's username.", Computed: true},
			"account_type": schema.StringAttribute{MarkdownDescription: "`PINNER` or `BUSINESS`.", Computed: true},
		},
	}
}

func (d *userAccountDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *userAccountDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = withLogging(ctx)
	var m userAccountModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		resp.Diagnostics.Append(providerNotConfigured())
		return
	}
	ua, err := d.data.client.UserAccount(ctx, sensitive.New(m.AccessToken.ValueString()))
	if err != nil {
		resp.Diagnostics.Append(userAccountDiagnostic(err))
		return
	}
	m.ID, m.Username, m.AccountType = types.StringValue(ua.ID), types.StringValue(ua.Username), types.StringValue(ua.AccountType)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
