package standin

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	sdk "github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// Vault stands in for hashicorp/vault's KV v2 secrets.
//
// vault_kv_secret_v2: the write-only rules are those
// hashicorp/terraform-provider-vault gives data_json_wo
// (vault/resource_kv_secret_v2.go, and vault/resource_generic_secret.go,
// which carries the same rules): data_json and data_json_wo ExactlyOneOf each
// other, data_json_wo is RequiredWith data_json_wo_version, and the version
// is an int of at least 1, RequiredWith data_json_wo. A change of version
// writes a new version of the secret in place (no new object). It is stored
// under mount/name.
//
// The ephemeral vault_kv_secret_v2 is the reader
// (internal/vault/secrets/ephemeral/kv_secret_v2.go): it decodes the
// secret's data as the Vault API client does (JSON numbers kept as
// json.Number) and converts it with types.MapValueFrom to a map of strings,
// which fails, with a "Value Conversion Error", on any value that is not a
// string or a number, such as a list or a boolean. data_json is the same
// data marshalled again.
func Vault(store *Store) func() (tfprotov5.ProviderServer, error) {
	secretID := func(d getter) string { return stringAt("mount")(d) + "/" + stringAt("name")(d) }
	wo := writeOnly{store: store, secretID: secretID, attr: "data_json_wo", plain: "data_json", version: "data_json_wo_version"}
	p := &sdk.Provider{
		ResourcesMap: map[string]*sdk.Resource{
			"vault_kv_secret_v2": wo.resource(map[string]*sdk.Schema{
				"mount": {Type: sdk.TypeString, Required: true, ForceNew: true},
				"name":  {Type: sdk.TypeString, Required: true, ForceNew: true},
				"data_json": {
					Type: sdk.TypeString, Optional: true, Sensitive: true,
					ExactlyOneOf: []string{"data_json", "data_json_wo"},
				},
				"data_json_wo": {
					Type: sdk.TypeString, Optional: true, Sensitive: true, WriteOnly: true,
					ExactlyOneOf: []string{"data_json", "data_json_wo"},
					RequiredWith: []string{"data_json_wo_version"},
				},
				"data_json_wo_version": {
					Type: sdk.TypeInt, Optional: true,
					RequiredWith: []string{"data_json_wo"},
					ValidateFunc: validation.IntAtLeast(1),
				},
				"disable_read": {Type: sdk.TypeBool, Optional: true, Default: false},
				"path":         {Type: sdk.TypeString, Computed: true},
			}),
		},
	}
	return serve(p, "vault", nil, func() ephemeral.EphemeralResource { return &vaultKVReader{store: store} })
}

type vaultKVReader struct{ store *Store }

type vaultKVReaderModel struct {
	Namespace      types.String `tfsdk:"namespace"`
	MountID        types.String `tfsdk:"mount_id"`
	Mount          types.String `tfsdk:"mount"`
	Name           types.String `tfsdk:"name"`
	Version        types.Int32  `tfsdk:"version"`
	DataJSON       types.String `tfsdk:"data_json"`
	Data           types.Map    `tfsdk:"data"`
	CustomMetadata types.Map    `tfsdk:"custom_metadata"`
	CreatedTime    types.String `tfsdk:"created_time"`
	DeletionTime   types.String `tfsdk:"deletion_time"`
	Destroyed      types.Bool   `tfsdk:"destroyed"`
}

func (r *vaultKVReader) Metadata(_ context.Context, _ ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = "vault_kv_secret_v2"
}

func (r *vaultKVReader) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"namespace":       schema.StringAttribute{Optional: true},
		"mount_id":        schema.StringAttribute{Optional: true},
		"mount":           schema.StringAttribute{Required: true},
		"name":            schema.StringAttribute{Required: true},
		"version":         schema.Int32Attribute{Optional: true},
		"data_json":       schema.StringAttribute{Computed: true},
		"data":            schema.MapAttribute{ElementType: types.StringType, Computed: true},
		"custom_metadata": schema.MapAttribute{ElementType: types.StringType, Computed: true},
		"created_time":    schema.StringAttribute{Computed: true},
		"deletion_time":   schema.StringAttribute{Computed: true},
		"destroyed":       schema.BoolAttribute{Computed: true},
	}}
}

func (r *vaultKVReader) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m vaultKVReaderModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	secret := m.Mount.ValueString() + "/" + m.Name.ValueString()
	raw, ok := r.store.Latest(secret)
	// Only the current version is kept here: a read of another one fails
	// rather than return the current document.
	if !m.Version.IsNull() && int(m.Version.ValueInt32()) != r.store.Writes(secret) {
		ok = false
	}
	if !ok {
		resp.Diagnostics.AddError("error reading from Vault", "no secret found at "+m.Mount.ValueString()+"/data/"+m.Name.ValueString())
		return
	}
	var data map[string]any
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&data); err != nil {
		resp.Diagnostics.AddError("Unable to translate Vault response data", err.Error())
		return
	}
	m.CreatedTime = types.StringValue("2026-01-01T00:00:00Z")
	m.DeletionTime = types.StringValue("")
	m.Destroyed = types.BoolValue(false)
	secretData, diags := types.MapValueFrom(ctx, types.StringType, data)
	resp.Diagnostics.Append(diags...)
	m.Data = secretData
	jsonData, _ := json.Marshal(data)
	m.DataJSON = types.StringValue(string(jsonData))
	m.CustomMetadata = types.MapNull(types.StringType)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
