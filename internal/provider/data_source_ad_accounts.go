package provider

import (
	"cmp"
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = (*adAccountsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*adAccountsDataSource)(nil)
)

// adAccountsDataSource is pinterest_ad_accounts: GET /v5/ad_accounts, every
// page. With Business Access, a client shares its ad account with the
// agency's user, so one consent by that user reads every client's account;
// the list configures ETL sources per ad account and, in a check block,
// names an expected account that is no longer shared.
type adAccountsDataSource struct {
	data *providerData
}

func newAdAccountsDataSource() datasource.DataSource { return &adAccountsDataSource{} }

type adAccountModel struct {
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	OwnerID       types.String `tfsdk:"owner_id"`
	OwnerUsername types.String `tfsdk:"owner_username"`
	Country       types.String `tfsdk:"country"`
	Currency      types.String `tfsdk:"currency"`
	Permissions   []string     `tfsdk:"permissions"`
}

type adAccountsModel struct {
	AccessToken           types.String     `tfsdk:"access_token"`
	IncludeSharedAccounts types.Bool       `tfsdk:"include_shared_accounts"`
	AdAccounts            []adAccountModel `tfsdk:"ad_accounts"`
}

func (d *adAccountsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_ad_accounts"
}

func (d *adAccountsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	text := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The ad accounts an access token's user can read (`GET /v5/ad_accounts`, every page), its own and " +
			"those shared with it through Business Access. Needs `ads:read`. A given `access_token` is stored in the state, marked " +
			"sensitive; the provider block's is not.",
		Attributes: map[string]schema.Attribute{
			"access_token": schema.StringAttribute{
				MarkdownDescription: "An access token with `ads:read`, such as `pinterest_oauth_token.agency.access_token`. " +
					"Defaults to the provider block's `access_token`.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"include_shared_accounts": schema.BoolAttribute{
				MarkdownDescription: "Include ad accounts shared with the user. Defaults to `true`.",
				Optional:            true,
			},
			"ad_accounts": schema.ListNestedAttribute{
				MarkdownDescription: "The ad accounts, sorted by id.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":             text("The ad account id."),
					"name":           text("Its name."),
					"owner_id":       text("The owner's user id."),
					"owner_username": text("The owner's username."),
					"country":        text("ISO 3166-1 alpha-2 code."),
					"currency":       text("ISO 4217 code."),
					"permissions": schema.ListAttribute{
						MarkdownDescription: "The token user's Business Access roles on it, such as `OWNER` or `ANALYST`.",
						ElementType:         types.StringType,
						Computed:            true,
					},
				}},
			},
		},
	}
}

func (d *adAccountsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *adAccountsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx = withLogging(ctx)
	var m adAccountsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		resp.Diagnostics.Append(providerNotConfigured())
		return
	}
	shared := m.IncludeSharedAccounts.IsNull() || m.IncludeSharedAccounts.ValueBool()
	tok, fromProvider, problem := d.data.readToken(m.AccessToken, "pinterest_ad_accounts")
	if problem != nil {
		resp.Diagnostics.Append(problem)
		return
	}
	accounts, err := d.data.client.AdAccounts(ctx, tok, shared)
	if err != nil {
		problem := adAccountsDiagnostic(err)
		if fromProvider {
			problem = fromProviderBlock(problem)
		}
		resp.Diagnostics.Append(problem)
		return
	}
	m.AdAccounts = make([]adAccountModel, 0, len(accounts))
	for _, a := range accounts {
		m.AdAccounts = append(m.AdAccounts, adAccountModel{
			ID: types.StringValue(a.ID), Name: types.StringValue(a.Name),
			OwnerID: types.StringValue(a.OwnerID), OwnerUsername: types.StringValue(a.OwnerUsername),
			Country: types.StringValue(a.Country), Currency: types.StringValue(a.Currency),
			Permissions: append([]string{}, a.Permissions...),
		})
	}
	sortAdAccounts(m.AdAccounts)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func sortAdAccounts(a []adAccountModel) {
	slices.SortFunc(a, func(x, y adAccountModel) int {
		// Ids are digits: shorter is smaller.
		if c := cmp.Compare(len(x.ID.ValueString()), len(y.ID.ValueString())); c != 0 {
			return c
		}
		return cmp.Compare(x.ID.ValueString(), y.ID.ValueString())
	})
}
