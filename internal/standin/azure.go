package standin

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// Azure stands in for hashicorp/azurerm's azurerm_key_vault_secret. The
// rules are those of hashicorp/terraform-provider-azurerm,
// internal/services/keyvault/key_vault_secret_resource.go: value and
// value_wo ExactlyOneOf each other, value_wo is write-only and RequiredWith
// value_wo_version, and the version is an int of at least 1, RequiredWith
// value_wo. A change of version writes a new version of the secret in place.
// It is stored under key_vault_id/name.
func Azure(store *Store) *schema.Provider {
	secretID := func(d getter) string { return stringAt("key_vault_id")(d) + "/" + stringAt("name")(d) }
	wo := writeOnly{store: store, secretID: secretID, attr: "value_wo", plain: "value", version: "value_wo_version"}
	return &schema.Provider{
		ResourcesMap: map[string]*schema.Resource{
			"azurerm_key_vault_secret": wo.resource(map[string]*schema.Schema{
				"name":         {Type: schema.TypeString, Required: true, ForceNew: true},
				"key_vault_id": {Type: schema.TypeString, Required: true, ForceNew: true},
				"value": {
					Type: schema.TypeString, Optional: true, Sensitive: true,
					ExactlyOneOf: []string{"value", "value_wo"},
				},
				"value_wo": {
					Type: schema.TypeString, Optional: true, WriteOnly: true,
					RequiredWith: []string{"value_wo_version"},
					ExactlyOneOf: []string{"value", "value_wo"},
				},
				"value_wo_version": {
					Type: schema.TypeInt, Optional: true,
					RequiredWith: []string{"value_wo"},
					ValidateFunc: validation.IntAtLeast(1),
				},
				"content_type": {Type: schema.TypeString, Optional: true},
				"version":      {Type: schema.TypeString, Computed: true},
			}),
		},
	}
}
