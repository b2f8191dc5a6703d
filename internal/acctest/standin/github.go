package standin

import (
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// GitHub stands in for integrations/github's github_actions_secret. The
// rules are those of integrations/terraform-provider-github,
// github/resource_github_actions_secret.go: repository and secret_name are
// required and force a new object; plaintext_value and encrypted_value are
// Sensitive, ConflictsWith each other, and force a new object, so every new
// document is a new write; neither is write-only, so the value is kept in
// state. The provider block takes owner. It is stored under
// repository/secret_name.
func GitHub(store *Store) func() (tfprotov5.ProviderServer, error) {
	secretID := func(d getter) string { return stringAt("repository")(d) + "/" + stringAt("secret_name")(d) }
	wo := writeOnly{store: store, secretID: secretID, attr: "plaintext_value"}
	secret := wo.resource(map[string]*schema.Schema{
		"repository":  {Type: schema.TypeString, Required: true, ForceNew: true},
		"secret_name": {Type: schema.TypeString, Required: true, ForceNew: true},
		"encrypted_value": {
			Type: schema.TypeString, Optional: true, ForceNew: true, Sensitive: true,
			ConflictsWith: []string{"plaintext_value"},
		},
		"plaintext_value": {
			Type: schema.TypeString, Optional: true, ForceNew: true, Sensitive: true,
			ConflictsWith: []string{"encrypted_value"},
		},
		"created_at": {Type: schema.TypeString, Computed: true},
		"updated_at": {Type: schema.TypeString, Computed: true},
	})
	secret.UpdateContext = nil // as upstream: every argument forces a new object
	p := &schema.Provider{
		Schema: map[string]*schema.Schema{
			"owner": {Type: schema.TypeString, Optional: true},
		},
		ResourcesMap: map[string]*schema.Resource{
			"github_actions_secret": secret,
		},
	}
	return serve(p, "github", nil)
}
