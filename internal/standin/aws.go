package standin

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// AWS stands in for hashicorp/aws's aws_secretsmanager_secret_version. The
// argument rules are those of resourceSecretVersion in
// hashicorp/terraform-provider-aws, internal/service/secretsmanager/secret_version.go:
// secret_string_wo is write-only, ConflictsWith secret_binary and
// secret_string, and RequiredWith secret_string_wo_version; the version is an
// int that forces a new object and is RequiredWith secret_string_wo. A new
// version of the secret is written on every create. It is stored under
// secret_id.
func AWS(store *Store) *schema.Provider {
	wo := writeOnly{store: store, secretID: stringAt("secret_id"), attr: "secret_string_wo", plain: "secret_string"}
	return &schema.Provider{
		ResourcesMap: map[string]*schema.Resource{
			"aws_secretsmanager_secret_version": wo.resource(map[string]*schema.Schema{
				"secret_id": {Type: schema.TypeString, Required: true, ForceNew: true},
				"secret_binary": {
					Type: schema.TypeString, Optional: true, ForceNew: true, Sensitive: true,
					ConflictsWith: []string{"secret_string", "secret_string_wo"},
				},
				"secret_string": {
					Type: schema.TypeString, Optional: true, ForceNew: true, Sensitive: true,
					ConflictsWith: []string{"secret_binary", "secret_string_wo"},
				},
				"secret_string_wo": {
					Type: schema.TypeString, Optional: true, WriteOnly: true, Sensitive: true,
					ConflictsWith: []string{"secret_binary", "secret_string"},
					RequiredWith:  []string{"secret_string_wo_version"},
				},
				"secret_string_wo_version": {
					Type: schema.TypeInt, Optional: true, ForceNew: true,
					RequiredWith: []string{"secret_string_wo"},
				},
				"version_id": {Type: schema.TypeString, Computed: true},
			}),
		},
	}
}
