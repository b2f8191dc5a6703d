package standin

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	sdk "github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// AzureKeyVaultID is a Key Vault id of the shape azurerm requires.
const AzureKeyVaultID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/etl/providers/Microsoft.KeyVault/vaults/etl"

// keyVaultID is what commonids.ValidateKeyVaultID accepts.
var keyVaultID = regexp.MustCompile(`^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.KeyVault/vaults/[^/]+$`)

// Azure stands in for hashicorp/azurerm's Key Vault secrets.
//
// azurerm_key_vault_secret: the rules are those of
// hashicorp/terraform-provider-azurerm,
// internal/services/keyvault/key_vault_secret_resource.go: value and
// value_wo ExactlyOneOf each other, value_wo is write-only and RequiredWith
// value_wo_version, and the version is an int of at least 1, RequiredWith
// value_wo. A change of version writes a new version of the secret in place.
// It is stored under key_vault_id/name.
//
// The ephemeral azurerm_key_vault_secret is the reader
// (key_vault_secret_ephemeral.go): name and a key_vault_id of a Key Vault's
// shape, the current version's value.
//
// The provider block requires features {}, as azurerm's does.
func Azure(store *Store) func() (tfprotov5.ProviderServer, error) {
	secretID := func(d getter) string { return stringAt("key_vault_id")(d) + "/" + stringAt("name")(d) }
	wo := writeOnly{store: store, secretID: secretID, attr: "value_wo", plain: "value", version: "value_wo_version"}
	p := &sdk.Provider{
		Schema: map[string]*sdk.Schema{
			"features": {Type: sdk.TypeList, Required: true, MaxItems: 1, Elem: &sdk.Resource{Schema: map[string]*sdk.Schema{}}},
		},
		ResourcesMap: map[string]*sdk.Resource{
			"azurerm_key_vault_secret": wo.resource(map[string]*sdk.Schema{
				"name":         {Type: sdk.TypeString, Required: true, ForceNew: true},
				"key_vault_id": {Type: sdk.TypeString, Required: true, ForceNew: true, ValidateFunc: validation.StringMatch(keyVaultID, "expected a Key Vault ID")},
				"value": {
					Type: sdk.TypeString, Optional: true, Sensitive: true,
					ExactlyOneOf: []string{"value", "value_wo"},
				},
				"value_wo": {
					Type: sdk.TypeString, Optional: true, WriteOnly: true,
					RequiredWith: []string{"value_wo_version"},
					ExactlyOneOf: []string{"value", "value_wo"},
				},
				"value_wo_version": {
					Type: sdk.TypeInt, Optional: true,
					RequiredWith: []string{"value_wo"},
					ValidateFunc: validation.IntAtLeast(1),
				},
				"content_type": {Type: sdk.TypeString, Optional: true},
				"version":      {Type: sdk.TypeString, Computed: true},
			}),
		},
	}
	blocks := map[string]pschema.Block{"features": pschema.ListNestedBlock{NestedObject: pschema.NestedBlockObject{}}}
	return serve(p, "azurerm", blocks, func() ephemeral.EphemeralResource { return &azureSecretReader{store: store} })
}

type azureSecretReader struct{ store *Store }

type azureSecretReaderModel struct {
	Name                  types.String `tfsdk:"name"`
	KeyVaultID            types.String `tfsdk:"key_vault_id"`
	Version               types.String `tfsdk:"version"`
	ExpirationDate        types.String `tfsdk:"expiration_date"`
	NotBeforeDate         types.String `tfsdk:"not_before_date"`
	Value                 types.String `tfsdk:"value"`
	ID                    types.String `tfsdk:"id"`
	VersionlessID         types.String `tfsdk:"versionless_id"`
	ResourceID            types.String `tfsdk:"resource_id"`
	ResourceVersionlessID types.String `tfsdk:"resource_versionless_id"`
}

func (r *azureSecretReader) Metadata(_ context.Context, _ ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = "azurerm_key_vault_secret"
}

func (r *azureSecretReader) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	computed := func() schema.StringAttribute { return schema.StringAttribute{Computed: true} }
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"name":                    schema.StringAttribute{Required: true},
		"key_vault_id":            schema.StringAttribute{Required: true},
		"version":                 schema.StringAttribute{Optional: true, Computed: true},
		"expiration_date":         computed(),
		"not_before_date":         computed(),
		"value":                   computed(),
		"id":                      computed(),
		"versionless_id":          computed(),
		"resource_id":             computed(),
		"resource_versionless_id": computed(),
	}}
}

func (r *azureSecretReader) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m azureSecretReaderModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	if !keyVaultID.MatchString(m.KeyVaultID.ValueString()) {
		resp.Diagnostics.AddError("parsing key_vault_id", "expected a Key Vault ID, got "+m.KeyVaultID.ValueString())
		return
	}
	value, ok := r.store.Latest(m.KeyVaultID.ValueString() + "/" + m.Name.ValueString())
	if !ok {
		resp.Diagnostics.AddError("secret "+m.Name.ValueString()+" does not exist in "+m.KeyVaultID.ValueString(), "SecretNotFound")
		return
	}
	url := "https://etl.vault.azure.net/secrets/" + m.Name.ValueString()
	m.Value = types.StringValue(value)
	m.Version = types.StringValue("0123456789abcdef0123456789abcdef")
	m.ID = types.StringValue(url + "/" + m.Version.ValueString())
	m.VersionlessID = types.StringValue(url)
	m.ResourceID = types.StringValue(m.KeyVaultID.ValueString() + "/secrets/" + m.Name.ValueString() + "/versions/" + m.Version.ValueString())
	m.ResourceVersionlessID = types.StringValue(m.KeyVaultID.ValueString() + "/secrets/" + m.Name.ValueString())
	m.ExpirationDate = types.StringNull()
	m.NotBeforeDate = types.StringNull()
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
