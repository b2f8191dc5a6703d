package standin

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Airbyte stands in for airbytehq/airbyte's airbyte_source_pinterest. The
// schema rules are those of SourcePinterestResource in
// airbytehq/terraform-provider-airbyte, internal/provider/
// source_pinterest_resource.go (docs/resources/source_pinterest.md):
// name and workspace_id are required; configuration is a required nested
// object; configuration.credentials is optional and, when given, requires
// client_id, client_secret and refresh_token, each Sensitive and none of
// them write-only (the provider has no write-only arguments), so the
// refresh token is stored in state. Like the real provider, Read does not
// see the platform's copy of the credentials (Airbyte's API masks secrets),
// so a refresh token Airbyte rotated is never drift to Terraform; create
// and update replace the source's whole configuration on the platform.
// This is the subset of the schema the recipes use.
func Airbyte(platform *AirbytePlatform) func() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(&toolProvider{name: "airbyte", resource: func() resource.Resource {
		return &airbyteSource{platformSource[airbyteSourceModel, *airbyteSourceModel]{platform}}
	}})
}

// airbyteSource's create and update replace the source's whole
// configuration, credentials included, as the Airbyte API's update does.
type airbyteSource struct {
	platformSource[airbyteSourceModel, *airbyteSourceModel]
}

type airbyteSourceModel struct {
	Name          types.String `tfsdk:"name"`
	WorkspaceID   types.String `tfsdk:"workspace_id"`
	SecretID      types.String `tfsdk:"secret_id"`
	SourceID      types.String `tfsdk:"source_id"`
	Configuration *struct {
		StartDate   types.String `tfsdk:"start_date"`
		Credentials *struct {
			ClientID     types.String `tfsdk:"client_id"`
			ClientSecret types.String `tfsdk:"client_secret"`
			RefreshToken types.String `tfsdk:"refresh_token"`
		} `tfsdk:"credentials"`
	} `tfsdk:"configuration"`
}

func (r *airbyteSource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "airbyte_source_pinterest"
}

func (r *airbyteSource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	secret := func() schema.StringAttribute { return schema.StringAttribute{Required: true, Sensitive: true} }
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"name":         schema.StringAttribute{Required: true},
		"workspace_id": schema.StringAttribute{Required: true},
		"secret_id":    schema.StringAttribute{Optional: true},
		"source_id": schema.StringAttribute{
			Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"configuration": schema.SingleNestedAttribute{
			Required: true,
			Attributes: map[string]schema.Attribute{
				"start_date": schema.StringAttribute{Optional: true},
				"credentials": schema.SingleNestedAttribute{
					Optional: true,
					Attributes: map[string]schema.Attribute{
						"client_id": secret(), "client_secret": secret(), "refresh_token": secret(),
					},
				},
			},
		},
	}}
}

func (m *airbyteSourceModel) id() *types.String { return &m.SourceID }

func (m *airbyteSourceModel) credentials() Credentials {
	if m.Configuration == nil || m.Configuration.Credentials == nil {
		return Credentials{}
	}
	c := m.Configuration.Credentials
	return Credentials{ClientID: c.ClientID.ValueString(), ClientSecret: c.ClientSecret.ValueString(), RefreshToken: c.RefreshToken.ValueString()}
}

// toolProvider is an ETL tool's stand-in provider: no configuration, one
// resource.
type toolProvider struct {
	name     string
	resource func() resource.Resource
}

func (p *toolProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = p.name
}

func (p *toolProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (p *toolProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *toolProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{p.resource}
}

func (p *toolProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// sourceModel is a tool resource's model: where its id is kept and the
// credentials it configures on the platform.
type sourceModel[M any] interface {
	*M
	id() *types.String
	credentials() Credentials
}

// platformSource is the create, read, update and delete of a tool's source
// (or connector) on its platform: a new id on create, the whole
// configuration put on create and update, as the tools' APIs replace it;
// Read keeps the state, since their APIs mask the credentials they hold.
type platformSource[M any, P sourceModel[M]] struct{ platform *AirbytePlatform }

func (r platformSource[M, P]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m M
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	*P(&m).id() = types.StringValue(hex.EncodeToString(b))
	r.platform.put(P(&m).id().ValueString(), P(&m).credentials())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r platformSource[M, P]) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r platformSource[M, P]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m M
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	r.platform.put(P(&m).id().ValueString(), P(&m).credentials())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r platformSource[M, P]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m M
	if resp.Diagnostics.Append(req.State.Get(ctx, &m)...); !resp.Diagnostics.HasError() {
		r.platform.remove(P(&m).id().ValueString())
	}
}
