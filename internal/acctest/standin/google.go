package standin

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	sdk "github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// googleProject is the stand-in's provider project (GOOGLE_PROJECT).
const googleProject = "my-project"

// Google stands in for hashicorp/google's Secret Manager, whose code is
// generated into hashicorp/terraform-provider-google,
// google/services/secretmanager/ from GoogleCloudPlatform/magic-modules.
//
// google_secret_manager_secret_version
// (resource_secret_manager_secret_version.go,
// mmv1/products/secretmanager/SecretVersion.yaml): secret_data_wo is
// write-only, ConflictsWith secret_data and RequiredWith
// secret_data_wo_version; the version is an int whose change forces a new
// secret version (a new object), with no requirement of its own. It is
// stored under secret.
//
// google_secret_manager_secret (resource_secret_manager_secret.go): secret_id
// and one replication block (auto or user_managed); its id is
// projects/{{project}}/secrets/{{secret_id}}.
//
// The ephemeral google_secret_manager_secret_version is the reader
// (ephemeral_google_secret_manager_secret_version.go): secret is a full
// resource name or a secret id in the provider's project, version defaults
// to latest, and secret_data is the payload, base64-decoded unless
// is_secret_data_base64 is set.
func Google(store *Store) func() (tfprotov5.ProviderServer, error) {
	wo := writeOnly{store: store, secretID: stringAt("secret"), attr: "secret_data_wo", plain: "secret_data"}
	empty := &sdk.Resource{Schema: map[string]*sdk.Schema{}}
	p := &sdk.Provider{
		ResourcesMap: map[string]*sdk.Resource{
			"google_secret_manager_secret": {
				CreateContext: func(_ context.Context, d *sdk.ResourceData, _ any) diag.Diagnostics {
					d.SetId("projects/" + googleProject + "/secrets/" + stringAt("secret_id")(d))
					_ = d.Set("name", d.Id())
					return nil
				},
				ReadContext: noop, DeleteContext: noop,
				Schema: map[string]*sdk.Schema{
					"secret_id": {Type: sdk.TypeString, Required: true, ForceNew: true},
					"name":      {Type: sdk.TypeString, Computed: true},
					"replication": {
						Type: sdk.TypeList, Required: true, ForceNew: true, MaxItems: 1,
						Elem: &sdk.Resource{Schema: map[string]*sdk.Schema{
							"auto":         {Type: sdk.TypeList, Optional: true, ForceNew: true, MaxItems: 1, Elem: empty},
							"user_managed": {Type: sdk.TypeList, Optional: true, ForceNew: true, MaxItems: 1, Elem: empty},
						}},
					},
				},
			},
			"google_secret_manager_secret_version": wo.resource(map[string]*sdk.Schema{
				"secret": {Type: sdk.TypeString, Required: true, ForceNew: true},
				"secret_data": {
					Type: sdk.TypeString, Optional: true, ForceNew: true, Sensitive: true,
					ConflictsWith: []string{"secret_data_wo"},
				},
				"secret_data_wo": {
					Type: sdk.TypeString, Optional: true, WriteOnly: true,
					ConflictsWith: []string{"secret_data"},
					RequiredWith:  []string{"secret_data_wo_version"},
				},
				"secret_data_wo_version": {Type: sdk.TypeInt, Optional: true, ForceNew: true},
				"deletion_policy":        {Type: sdk.TypeString, Optional: true, Default: "DELETE"},
				"version":                {Type: sdk.TypeString, Computed: true},
			}),
		},
	}
	return serve(p, "google", nil, func() ephemeral.EphemeralResource { return &googleSecretReader{store: store} })
}

type googleSecretReader struct{ store *Store }

type googleSecretReaderModel struct {
	Project            types.String `tfsdk:"project"`
	Secret             types.String `tfsdk:"secret"`
	Version            types.String `tfsdk:"version"`
	IsSecretDataBase64 types.Bool   `tfsdk:"is_secret_data_base64"`
	SecretData         types.String `tfsdk:"secret_data"`
	Name               types.String `tfsdk:"name"`
	CreateTime         types.String `tfsdk:"create_time"`
	DestroyTime        types.String `tfsdk:"destroy_time"`
	Enabled            types.Bool   `tfsdk:"enabled"`
}

func (r *googleSecretReader) Metadata(_ context.Context, _ ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = "google_secret_manager_secret_version"
}

func (r *googleSecretReader) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"project":               schema.StringAttribute{Optional: true, Computed: true},
		"secret":                schema.StringAttribute{Required: true},
		"version":               schema.StringAttribute{Optional: true},
		"is_secret_data_base64": schema.BoolAttribute{Optional: true},
		"secret_data":           schema.StringAttribute{Computed: true, Sensitive: true},
		"name":                  schema.StringAttribute{Computed: true},
		"create_time":           schema.StringAttribute{Computed: true},
		"destroy_time":          schema.StringAttribute{Computed: true},
		"enabled":               schema.BoolAttribute{Computed: true},
	}}
}

func (r *googleSecretReader) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m googleSecretReaderModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	project := m.Project.ValueString()
	if project == "" {
		project = googleProject
	}
	secret := m.Secret.ValueString()
	if !strings.Contains(secret, "/") {
		secret = "projects/" + project + "/secrets/" + secret
	}
	writes := r.store.Writes(secret)
	payload, ok := r.store.Latest(secret)
	if !ok || (m.Version.ValueString() != "" && m.Version.ValueString() != "latest" && m.Version.ValueString() != fmt.Sprint(writes)) {
		resp.Diagnostics.AddError("Error retrieving secret version", "googleapi: Error 404: Secret Version ["+secret+"/versions/latest] not found.")
		return
	}
	if m.IsSecretDataBase64.ValueBool() {
		payload = base64.StdEncoding.EncodeToString([]byte(payload))
	}
	m.SecretData = types.StringValue(payload)
	m.Name = types.StringValue(fmt.Sprintf("%s/versions/%d", secret, writes))
	m.CreateTime = types.StringValue("2026-01-01T00:00:00Z")
	m.DestroyTime = types.StringNull()
	m.Project = types.StringValue(project)
	m.Enabled = types.BoolValue(true)
	resp.Diagnostics.Append(resp.Result.Set(ctx, m)...)
}
