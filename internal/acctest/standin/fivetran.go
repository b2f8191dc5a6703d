package standin

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Fivetran stands in for fivetran/fivetran's fivetran_connector, the subset
// of its schema the recipe uses, with the rules of
// fivetran/terraform-provider-fivetran:
//
//   - fivetran/framework/core/schema/connector.go (commit 04be93a2):
//     group_id and service are required and force a new connector, and so
//     does every destination_schema field; config and auth are single
//     nested blocks whose fields (generated from the service's fields:
//     here config.timeframe_months, auth.refresh_token, auth.access_token
//     and auth.client_access.{client_id, client_secret}) change in place,
//     Sensitive where secret, none of them write-only;
//   - fivetran/framework/core/model/connector_config.go (commit 883ddb14,
//     PrepareConfigAuthPatch) and fivetran/framework/resources/connector.go
//     (commit 3ffb5d88): an update sends auth only when its planned value
//     differs from the state's; the config change goes alone otherwise, and
//     what the platform holds for auth stays;
//   - fivetran/framework/core/model/connector.go (commit fbd03602): Read
//     never reads auth back (the API does not return it), so a refresh
//     token Fivetran rotated is never drift; a connector the API no longer
//     has fails Read with an error rather than leaving state.
//
// How Fivetran's pinterest_ads connector refreshes is not published (see
// the ETL consumers guide): the guide treats it as a refresher that keeps
// what it rotates, and AirbytePlatform's syncs do exactly that.
func Fivetran(platform *AirbytePlatform) func() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(&toolProvider{name: "fivetran", resources: []func() resource.Resource{
		func() resource.Resource { return &fivetranConnector{platform} },
	}})
}

type fivetranConnector struct{ platform *AirbytePlatform }

type fivetranAuth struct {
	RefreshToken types.String `tfsdk:"refresh_token"`
	AccessToken  types.String `tfsdk:"access_token"`
	ClientAccess *struct {
		ClientID     types.String `tfsdk:"client_id"`
		ClientSecret types.String `tfsdk:"client_secret"`
	} `tfsdk:"client_access"`
}

type fivetranConnectorModel struct {
	ID                types.String `tfsdk:"id"`
	GroupID           types.String `tfsdk:"group_id"`
	Service           types.String `tfsdk:"service"`
	DestinationSchema *struct {
		Name   types.String `tfsdk:"name"`
		Table  types.String `tfsdk:"table"`
		Prefix types.String `tfsdk:"prefix"`
	} `tfsdk:"destination_schema"`
	Config *struct {
		TimeframeMonths types.String `tfsdk:"timeframe_months"`
	} `tfsdk:"config"`
	Auth *fivetranAuth `tfsdk:"auth"`
}

func (r *fivetranConnector) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "fivetran_connector"
}

func (r *fivetranConnector) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	optional := func() schema.StringAttribute { return schema.StringAttribute{Optional: true, PlanModifiers: replace} }
	secret := func() schema.StringAttribute { return schema.StringAttribute{Optional: true, Sensitive: true} }
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"group_id": schema.StringAttribute{Required: true, PlanModifiers: replace},
			"service":  schema.StringAttribute{Required: true, PlanModifiers: replace},
		},
		Blocks: map[string]schema.Block{
			"destination_schema": schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{
				"name": optional(), "table": optional(), "prefix": optional(),
			}},
			"config": schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{
				"timeframe_months": schema.StringAttribute{Optional: true},
			}},
			"auth": schema.SingleNestedBlock{
				Attributes: map[string]schema.Attribute{"refresh_token": secret(), "access_token": secret()},
				Blocks: map[string]schema.Block{
					"client_access": schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{
						"client_id": schema.StringAttribute{Optional: true}, "client_secret": secret(),
					}},
				},
			},
		},
	}
}

func (a *fivetranAuth) credentials() Credentials {
	if a == nil {
		return Credentials{}
	}
	c := Credentials{RefreshToken: a.RefreshToken.ValueString(), AccessToken: a.AccessToken.ValueString()}
	if a.ClientAccess != nil {
		c.ClientID, c.ClientSecret = a.ClientAccess.ClientID.ValueString(), a.ClientAccess.ClientSecret.ValueString()
	}
	return c
}

func (r *fivetranConnector) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m fivetranConnectorModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue(r.platform.createConnector(m.Auth.credentials()))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *fivetranConnector) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m fivetranConnectorModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	if !r.platform.exists(m.ID.ValueString()) {
		resp.Diagnostics.AddError("Read error.", "connector "+m.ID.ValueString()+" not found")
	}
}

func (r *fivetranConnector) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state fivetranConnectorModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var auth *Credentials
	if c := plan.Auth.credentials(); c != state.Auth.credentials() {
		auth = &c
	}
	if !r.platform.patchConnector(plan.ID.ValueString(), auth) {
		resp.Diagnostics.AddError("Update error.", "connector "+plan.ID.ValueString()+" not found")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *fivetranConnector) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m fivetranConnectorModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &m)...); !resp.Diagnostics.HasError() {
		r.platform.remove(m.ID.ValueString())
	}
}
