package standin

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// Google stands in for hashicorp/google's
// google_secret_manager_secret_version, whose code is generated into
// hashicorp/terraform-provider-google,
// google/services/secretmanager/resource_secret_manager_secret_version.go from
// GoogleCloudPlatform/magic-modules, mmv1/products/secretmanager/SecretVersion.yaml:
// secret_data_wo is write-only, ConflictsWith secret_data and RequiredWith
// secret_data_wo_version; the version is an int whose change forces a new
// secret version (a new object), with no requirement of its own. It is
// stored under secret.
func Google(store *Store) *schema.Provider {
	wo := writeOnly{store: store, secretID: stringAt("secret"), attr: "secret_data_wo", plain: "secret_data"}
	return &schema.Provider{
		ResourcesMap: map[string]*schema.Resource{
			"google_secret_manager_secret_version": wo.resource(map[string]*schema.Schema{
				"secret": {Type: schema.TypeString, Required: true, ForceNew: true},
				"secret_data": {
					Type: schema.TypeString, Optional: true, ForceNew: true, Sensitive: true,
					ConflictsWith: []string{"secret_data_wo"},
				},
				"secret_data_wo": {
					Type: schema.TypeString, Optional: true, WriteOnly: true,
					ConflictsWith: []string{"secret_data"},
					RequiredWith:  []string{"secret_data_wo_version"},
				},
				"secret_data_wo_version": {Type: schema.TypeInt, Optional: true, ForceNew: true},
				"deletion_policy":        {Type: schema.TypeString, Optional: true, Default: "DELETE"},
				"version":                {Type: schema.TypeString, Computed: true},
			}),
		},
	}
}
