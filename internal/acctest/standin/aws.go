package standin

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-sdk/v2/diag"
	sdk "github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// AWS stands in for hashicorp/aws's Secrets Manager.
//
// aws_secretsmanager_secret_version: the argument rules are those of
// resourceSecretVersion in hashicorp/terraform-provider-aws,
// internal/service/secretsmanager/secret_version.go: secret_string_wo is
// write-only, ConflictsWith secret_binary and secret_string, and
// RequiredWith secret_string_wo_version; the version is an int that forces a
// new object and is RequiredWith secret_string_wo. A new version of the
// secret is written on every create. It is stored under the secret's name
// (secret_id may be the name or the ARN, as upstream).
//
// aws_secretsmanager_secret: name, as a new object when it changes; its id
// and arn are the secret's ARN (secret.go).
//
// The ephemeral aws_secretsmanager_secret_version is the reader
// (secret_version_ephemeral.go): secret_id required, version_id and
// version_stage optional, secret_string the current version's value.
func AWS(store *Store) func() (tfprotov5.ProviderServer, error) {
	wo := writeOnly{store: store, secretID: func(d getter) string { return awsSecretName(stringAt("secret_id")(d)) }, attr: "secret_string_wo", plain: "secret_string"}
	p := &sdk.Provider{
		ResourcesMap: map[string]*sdk.Resource{
			"aws_secretsmanager_secret": {
				CreateContext: func(_ context.Context, d *sdk.ResourceData, _ any) diag.Diagnostics {
					d.SetId(awsSecretARN(stringAt("name")(d)))
					_ = d.Set("arn", d.Id())
					return nil
				},
				ReadContext: noop, DeleteContext: noop,
				Schema: map[string]*sdk.Schema{
					"name": {Type: sdk.TypeString, Required: true, ForceNew: true},
					"arn":  {Type: sdk.TypeString, Computed: true},
				},
			},
			"aws_secretsmanager_secret_version": wo.resource(map[string]*sdk.Schema{
				"secret_id": {Type: sdk.TypeString, Required: true, ForceNew: true},
				"secret_binary": {
					Type: sdk.TypeString, Optional: true, ForceNew: true, Sensitive: true,
					ConflictsWith: []string{"secret_string", "secret_string_wo"},
				},
				"secret_string": {
					Type: sdk.TypeString, Optional: true, ForceNew: true, Sensitive: true,
					ConflictsWith: []string{"secret_binary", "secret_string_wo"},
				},
				"secret_string_wo": {
					Type: sdk.TypeString, Optional: true, WriteOnly: true, Sensitive: true,
					ConflictsWith: []string{"secret_binary", "secret_string"},
					RequiredWith:  []string{"secret_string_wo_version"},
				},
				"secret_string_wo_version": {
					Type: sdk.TypeInt, Optional: true, ForceNew: true,
					RequiredWith: []string{"secret_string_wo"},
				},
				"version_id": {Type: sdk.TypeString, Computed: true},
			}),
		},
	}
	return serve(p, "aws", nil, func() ephemeral.EphemeralResource { return &awsSecretReader{store: store} })
}

// An ARN as Secrets Manager makes it: the name and a six-character suffix.
var awsARN = regexp.MustCompile(`^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:(.+)-[A-Za-z0-9]{6}$`)

func awsSecretARN(name string) string {
	return "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-Ab12Cd"
}

// awsSecretName accepts a secret's name or ARN, as secret_id does.
func awsSecretName(id string) string {
	if m := awsARN.FindStringSubmatch(id); m != nil {
		return m[1]
	}
	return id
}

type awsSecretReader struct{ store *Store }

type awsSecretReaderModel struct {
	ARN           types.String `tfsdk:"arn"`
	CreatedDate   types.String `tfsdk:"created_date"`
	SecretID      types.String `tfsdk:"secret_id"`
	SecretBinary  types.String `tfsdk:"secret_binary"`
	SecretString  types.String `tfsdk:"secret_string"`
	VersionID     types.String `tfsdk:"version_id"`
	VersionStage  types.String `tfsdk:"version_stage"`
	VersionStages types.List   `tfsdk:"version_stages"`
}

func (r *awsSecretReader) Metadata(_ context.Context, _ ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = "aws_secretsmanager_secret_version"
}

func (r *awsSecretReader) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"arn":            schema.StringAttribute{Computed: true},
		"created_date":   schema.StringAttribute{Computed: true},
		"secret_id":      schema.StringAttribute{Required: true},
		"secret_binary":  schema.StringAttribute{Computed: true, Sensitive: true},
		"secret_string":  schema.StringAttribute{Computed: true, Sensitive: true},
		"version_id":     schema.StringAttribute{Optional: true, Computed: true},
		"version_stage":  schema.StringAttribute{Optional: true, Computed: true},
		"version_stages": schema.ListAttribute{ElementType: types.StringType, Computed: true},
	}}
}

func (r *awsSecretReader) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m awsSecretReaderModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	name := awsSecretName(m.SecretID.ValueString())
	value, ok := r.store.Latest(name)
	current := fmt.Sprintf("v%d", r.store.Writes(name))
	// Only the current version is kept here: a read of another one fails
	// rather than return the current document.
	if stage := m.VersionStage.ValueString(); stage != "" && stage != "AWSCURRENT" {
		ok = false
	}
	if id := m.VersionID.ValueString(); id != "" && id != current {
		ok = false
	}
	if !ok {
		resp.Diagnostics.AddError("reading Secrets Manager Secret Versions ("+m.SecretID.ValueString()+")",
			"ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT")
		return
	}
	m.ARN = types.StringValue(awsSecretARN(name))
	m.CreatedDate = types.StringValue("2026-01-01T00:00:00Z")
	m.SecretBinary = types.StringNull()
	m.SecretString = types.StringValue(value)
	m.VersionID = types.StringValue(current)
	m.VersionStage = types.StringValue("AWSCURRENT")
	m.VersionStages, _ = types.ListValueFrom(ctx, types.StringType, []string{"AWSCURRENT"})
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
