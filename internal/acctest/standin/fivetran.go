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
// of its schema the recipe uses. The rules are those of
// fivetran/terraform-provider-fivetran,
// fivetran/framework/core/schema/connector.go: group_id and service are
// required and force a new connector; destination_schema and auth are
// single nested blocks, and auth's fields (connector_auth.go, generated from
// the service's auth fields: refresh_token, access_token, and the
// client_access object with client_id and client_secret) are optional and
// Sensitive where secret, none of them write-only. As with Airbyte, the API
// never returns the secrets, so a refresh token Fivetran rotated is never
// drift to Terraform.
//
// How Fivetran's pinterest_ads connector refreshes is not published (see
// the ETL consumers guide): the guide treats it as a refresher that keeps
// what it rotates, and the connectors here are served by AirbytePlatform,
// whose syncs do exactly that.
func Fivetran(platform *AirbytePlatform) func() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(&toolProvider{name: "fivetran", resource: func() resource.Resource {
		return &fivetranConnector{platformSource[fivetranConnectorModel, *fivetranConnectorModel]{platform}}
	}})
}

type fivetranConnector struct {
	platformSource[fivetranConnectorModel, *fivetranConnectorModel]
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
	Auth *struct {
		RefreshToken types.String `tfsdk:"refresh_token"`
		AccessToken  types.String `tfsdk:"access_token"`
		ClientAccess *struct {
			ClientID     types.String `tfsdk:"client_id"`
			ClientSecret types.String `tfsdk:"client_secret"`
		} `tfsdk:"client_access"`
	} `tfsdk:"auth"`
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

func (m *fivetranConnectorModel) id() *types.String { return &m.ID }

func (m *fivetranConnectorModel) credentials() Credentials {
	if m.Auth == nil {
		return Credentials{}
	}
	c := Credentials{RefreshToken: m.Auth.RefreshToken.ValueString()}
	if m.Auth.ClientAccess != nil {
		c.ClientID, c.ClientSecret = m.Auth.ClientAccess.ClientID.ValueString(), m.Auth.ClientAccess.ClientSecret.ValueString()
	}
	return c
}
