package standin

import (
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
)

// Kubernetes stands in for hashicorp/kubernetes's kubernetes_secret_v1. The
// rules are those of hashicorp/terraform-provider-kubernetes,
// kubernetes/resource_kubernetes_secret_v1.go: data_wo is a write-only map
// that ConflictsWith data, and data_wo_revision is an int of at least 1,
// RequiredWith data_wo; a change of revision updates the secret in place,
// and while a revision is set, data is left out of the diff.
// Each key of the map is stored under namespace/name/key.
//
// hashicorp/kubernetes has no ephemeral reader of a secret (its ephemeral
// resources are kubernetes_token_request_v1 and
// kubernetes_certificate_signing_request_v1, docs/ephemeral-resources/), and
// its data source kubernetes_secret_v1 keeps the data in state: so there is
// none here either.
func Kubernetes(store *Store) func() (tfprotov5.ProviderServer, error) {
	secretID := func(d getter) string {
		meta, _ := d.Get("metadata").([]any)
		if len(meta) == 0 {
			return ""
		}
		m, _ := meta[0].(map[string]any)
		namespace, _ := m["namespace"].(string)
		name, _ := m["name"].(string)
		return namespace + "/" + name
	}
	wo := writeOnly{store: store, secretID: secretID, attr: "data_wo", version: "data_wo_revision"}
	p := &schema.Provider{
		ResourcesMap: map[string]*schema.Resource{
			"kubernetes_secret_v1": wo.resource(map[string]*schema.Schema{
				"metadata": {
					Type: schema.TypeList, Required: true, MaxItems: 1,
					Elem: &schema.Resource{Schema: map[string]*schema.Schema{
						"name":      {Type: schema.TypeString, Required: true, ForceNew: true},
						"namespace": {Type: schema.TypeString, Optional: true, ForceNew: true, Default: "default"},
					}},
				},
				"data": {
					Type: schema.TypeMap, Optional: true, Computed: true, Sensitive: true,
					// As upstream: with a write-only revision, data is not compared.
					DiffSuppressFunc: func(_, _, _ string, d *schema.ResourceData) bool {
						v, _ := d.Get("data_wo_revision").(int)
						return v > 0
					},
				},
				"data_wo": {
					Type: schema.TypeMap, Optional: true, WriteOnly: true,
					ConflictsWith: []string{"data"},
				},
				"data_wo_revision": {
					Type: schema.TypeInt, Optional: true,
					RequiredWith: []string{"data_wo"},
					ValidateFunc: validation.IntAtLeast(1),
				},
				"type": {Type: schema.TypeString, Optional: true, ForceNew: true, Default: "Opaque"},
			}),
		},
	}
	return serve(p, "kubernetes", nil)
}
