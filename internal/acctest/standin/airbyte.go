package standin

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Airbyte stands in for airbytehq/airbyte 1.x: the generic airbyte_source
// and airbyte_connection, against AirbytePlatform's public API. Every rule
// is copied from airbytehq/terraform-provider-airbyte at commit 670f7c88
// (the generated code of the 1.x provider), file by file:
//
// internal/provider/source_resource.go and source_resource_sdk.go:
//   - configuration is a Required JSON string (jsontypes.Normalized; here a
//     plain string, which differs only in ignoring JSON whitespace, and
//     jsonencode writes none), not Sensitive;
//   - workspace_id is Required and RequiresReplaceIfConfigured;
//     definition_id is Optional and Computed, RequiresReplaceIfConfigured;
//     secret_id is Optional, RequiresReplaceIfConfigured; source_id,
//     source_type and created_at are Computed. The SuppressDiff modifier on
//     each (internal/planmodifiers/stringplanmodifier/suppress_diff.go)
//     copies the state's value into an unknown plan value only, which is
//     UseStateForUnknown here;
//   - Create POSTs the source, GETs it, and then saves the plan's values
//     over the response's (refreshPlan), so the state holds the
//     configuration as written;
//   - Read GETs the source: a 404 removes it from state; otherwise name,
//     workspace_id, definition_id and configuration are the API's, and the
//     API masks every secret of the configuration, so after any refresh the
//     state's configuration differs from the one written and every plan
//     updates the source in place;
//   - Update PUTs name and the whole configuration from the plan: what the
//     platform held (an access token and expiry a sync saved, a rotated
//     refresh token) is replaced;
//   - Delete calls nothing ("Not Implemented; entity does not have a
//     configured DELETE operation").
//
// internal/provider/connection_resource.go: source_id and destination_id
// are Required and RequiresReplaceIfConfigured, so a new source replaces
// every connection that names it (a new connection id; Airbyte keeps the
// old one's history and state with the old one); name is Optional and
// Computed; Read removes a connection the API answers 404 for; Update
// PATCHes; Delete DELETEs.
//
// The platform's own rule, from Airbyte's API: deleting a source deletes
// its connections.
func Airbyte(platform *AirbytePlatform) func() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(&toolProvider{name: "airbyte", resources: []func() resource.Resource{
		func() resource.Resource { return &airbyteSource{platform} },
		func() resource.Resource { return &airbyteConnection{platform} },
	}})
}

type airbyteSource struct{ platform *AirbytePlatform }

type airbyteSourceModel struct {
	Configuration types.String `tfsdk:"configuration"`
	CreatedAt     types.Int64  `tfsdk:"created_at"`
	DefinitionID  types.String `tfsdk:"definition_id"`
	Name          types.String `tfsdk:"name"`
	SecretID      types.String `tfsdk:"secret_id"`
	SourceID      types.String `tfsdk:"source_id"`
	SourceType    types.String `tfsdk:"source_type"`
	WorkspaceID   types.String `tfsdk:"workspace_id"`
}

// configuration is the configuration JSON as the API takes it; the API
// answers 400 to anything else.
func (m *airbyteSourceModel) configuration(diags *diag.Diagnostics) (map[string]any, bool) {
	var cfg map[string]any
	if err := json.Unmarshal([]byte(m.Configuration.ValueString()), &cfg); err != nil {
		diags.AddError("unexpected response from API. Got an unexpected response code 400", err.Error())
		return nil, false
	}
	return cfg, true
}

func (r *airbyteSource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "airbyte_source"
}

func (r *airbyteSource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	replaceIfConfigured := []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"configuration": schema.StringAttribute{Required: true},
		"created_at": schema.Int64Attribute{Computed: true,
			PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
		"definition_id": schema.StringAttribute{Optional: true, Computed: true, PlanModifiers: replaceIfConfigured},
		"name":          schema.StringAttribute{Required: true},
		"secret_id": schema.StringAttribute{Optional: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured()}},
		"source_id":    schema.StringAttribute{Computed: true, PlanModifiers: keep},
		"source_type":  schema.StringAttribute{Computed: true, PlanModifiers: keep},
		"workspace_id": schema.StringAttribute{Required: true, PlanModifiers: replaceIfConfigured},
	}}
}

func (r *airbyteSource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m airbyteSourceModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	cfg, ok := m.configuration(&resp.Diagnostics)
	if !ok {
		return
	}
	src := r.platform.createSource(m.Name.ValueString(), m.WorkspaceID.ValueString(), m.DefinitionID.ValueString(), cfg)
	// The response's computed values; the plan's values stand (refreshPlan).
	m.SourceID, m.CreatedAt = types.StringValue(src.id), types.Int64Value(src.createdAt)
	m.SourceType, m.DefinitionID = types.StringValue(src.sourceType), types.StringValue(src.definitionID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *airbyteSource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m airbyteSourceModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	src, ok := r.platform.getSource(m.SourceID.ValueString())
	if !ok {
		resp.State.RemoveResource(ctx)
		return
	}
	m.Name, m.WorkspaceID, m.DefinitionID = types.StringValue(src.name), types.StringValue(src.workspaceID), types.StringValue(src.definitionID)
	m.SourceType, m.CreatedAt = types.StringValue(src.sourceType), types.Int64Value(src.createdAt)
	m.Configuration = types.StringValue(src.maskedConfiguration())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *airbyteSource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m airbyteSourceModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	cfg, ok := m.configuration(&resp.Diagnostics)
	if !ok {
		return
	}
	if !r.platform.putSource(m.SourceID.ValueString(), m.Name.ValueString(), cfg) {
		resp.Diagnostics.AddError("unexpected response from API. Got an unexpected response code 404", "source not found")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Delete calls nothing, as the real provider's does.
func (r *airbyteSource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

type airbyteConnection struct{ platform *AirbytePlatform }

type airbyteConnectionModel struct {
	ConnectionID  types.String `tfsdk:"connection_id"`
	DestinationID types.String `tfsdk:"destination_id"`
	Name          types.String `tfsdk:"name"`
	SourceID      types.String `tfsdk:"source_id"`
}

func (r *airbyteConnection) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "airbyte_connection"
}

func (r *airbyteConnection) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replaceIfConfigured := []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"connection_id":  schema.StringAttribute{Computed: true, PlanModifiers: keep},
		"destination_id": schema.StringAttribute{Required: true, PlanModifiers: replaceIfConfigured},
		"name":           schema.StringAttribute{Optional: true, Computed: true, PlanModifiers: keep},
		"source_id":      schema.StringAttribute{Required: true, PlanModifiers: replaceIfConfigured},
	}}
}

func (r *airbyteConnection) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m airbyteConnectionModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	id, err := r.platform.createConnection(m.SourceID.ValueString(), m.DestinationID.ValueString(), m.Name.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("unexpected response from API. Got an unexpected response code 400", err.Error())
		return
	}
	m.ConnectionID = types.StringValue(id)
	if m.Name.IsUnknown() || m.Name.IsNull() {
		m.Name = types.StringValue(r.platform.connectionName(id))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *airbyteConnection) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m airbyteConnectionModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	c, ok := r.platform.getConnection(m.ConnectionID.ValueString())
	if !ok {
		resp.State.RemoveResource(ctx)
		return
	}
	m.SourceID, m.DestinationID, m.Name = types.StringValue(c.sourceID), types.StringValue(c.destinationID), types.StringValue(c.name)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *airbyteConnection) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m airbyteConnectionModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	if !r.platform.patchConnection(m.ConnectionID.ValueString(), m.Name.ValueString()) {
		resp.Diagnostics.AddError("unexpected response from API. Got an unexpected response code 404", "connection not found")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *airbyteConnection) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m airbyteConnectionModel
	if resp.Diagnostics.Append(req.State.Get(ctx, &m)...); !resp.Diagnostics.HasError() {
		r.platform.deleteConnection(m.ConnectionID.ValueString())
	}
}

// toolProvider is an ETL tool's stand-in provider: no configuration, its
// resources.
type toolProvider struct {
	name      string
	resources []func() resource.Resource
}

func (p *toolProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = p.name
}

func (p *toolProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (p *toolProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *toolProvider) Resources(context.Context) []func() resource.Resource { return p.resources }

func (p *toolProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
