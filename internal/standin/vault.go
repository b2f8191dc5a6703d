package standin

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// Vault stands in for hashicorp/vault's vault_kv_secret_v2. The write-only
// rules are those hashicorp/terraform-provider-vault gives data_json_wo
// (vault/resource_kv_secret_v2.go, and vault/resource_generic_secret.go,
// which carries the same rules): data_json and data_json_wo ExactlyOneOf each
// other, data_json_wo is RequiredWith data_json_wo_version, and the version
// is an int of at least 1, RequiredWith data_json_wo. A change of version
// writes a new version of the secret in place (no new object). It is stored
// under mount/name.
func Vault(store *Store) *schema.Provider {
	secretID := func(d getter) string { return stringAt("mount")(d) + "/" + stringAt("name")(d) }
	wo := writeOnly{store: store, secretID: secretID, attr: "data_json_wo", plain: "data_json", version: "data_json_wo_version"}
	return &schema.Provider{
		ResourcesMap: map[string]*schema.Resource{
			"vault_kv_secret_v2": wo.resource(map[string]*schema.Schema{
				"mount": {Type: schema.TypeString, Required: true, ForceNew: true},
				"name":  {Type: schema.TypeString, Required: true, ForceNew: true},
				"data_json": {
					Type: schema.TypeString, Optional: true, Sensitive: true,
					ExactlyOneOf: []string{"data_json", "data_json_wo"},
				},
				"data_json_wo": {
					Type: schema.TypeString, Optional: true, Sensitive: true, WriteOnly: true,
					ExactlyOneOf: []string{"data_json", "data_json_wo"},
					RequiredWith: []string{"data_json_wo_version"},
				},
				"data_json_wo_version": {
					Type: schema.TypeInt, Optional: true,
					RequiredWith: []string{"data_json_wo"},
					ValidateFunc: validation.IntAtLeast(1),
				},
				"disable_read": {Type: schema.TypeBool, Optional: true, Default: false},
				"path":         {Type: schema.TypeString, Computed: true},
			}),
		},
	}
}
