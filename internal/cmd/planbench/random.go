package main

import (
	"context"
	"crypto/rand"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The baseline: a stand-in of hashicorp/random's random_string with the
// same schema rules (hashicorp/terraform-provider-random,
// internal/provider/resource_string.go, stringSchemaV3): 15 attributes,
// keepers and every argument forcing replacement, the boolean arguments
// defaulting to true and the minimums to 0, length at least 1 and at least
// the sum of the minimums, numeric following number, Read making no call.
// The random provider's own module is not served by the Go module proxy
// here, so the benchmark serves this stand-in under its address.

type randomProvider struct{}

func (randomProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "random"
}
func (randomProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (randomProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (randomProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return randomString{} }}
}
func (randomProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type randomString struct{}

type randomStringModel struct {
	ID              types.String `tfsdk:"id"`
	Keepers         types.Map    `tfsdk:"keepers"`
	Length          types.Int64  `tfsdk:"length"`
	Special         types.Bool   `tfsdk:"special"`
	Upper           types.Bool   `tfsdk:"upper"`
	Lower           types.Bool   `tfsdk:"lower"`
	Number          types.Bool   `tfsdk:"number"`
	Numeric         types.Bool   `tfsdk:"numeric"`
	MinNumeric      types.Int64  `tfsdk:"min_numeric"`
	MinUpper        types.Int64  `tfsdk:"min_upper"`
	MinLower        types.Int64  `tfsdk:"min_lower"`
	MinSpecial      types.Int64  `tfsdk:"min_special"`
	OverrideSpecial types.String `tfsdk:"override_special"`
	Result          types.String `tfsdk:"result"`
}

func (randomString) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_string"
}

func (randomString) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	flag := func() schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
			PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()}}
	}
	numberFlag := func() schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, Computed: true,
			PlanModifiers: []planmodifier.Bool{numberNumeric{}, boolplanmodifier.RequiresReplace()}}
	}
	minimum := func() schema.Int64Attribute {
		return schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(0),
			PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()}}
	}
	resp.Schema = schema.Schema{
		Version: 2,
		Attributes: map[string]schema.Attribute{
			"keepers": schema.MapAttribute{ElementType: types.StringType, Optional: true,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()}},
			"length": schema.Int64Attribute{Required: true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Validators: []validator.Int64{int64validator.AtLeast(1), int64validator.AtLeastSumOf(
					path.MatchRoot("min_upper"), path.MatchRoot("min_lower"), path.MatchRoot("min_numeric"), path.MatchRoot("min_special"))}},
			"special": flag(), "upper": flag(), "lower": flag(),
			"number": numberFlag(), "numeric": numberFlag(),
			"min_numeric": minimum(), "min_upper": minimum(), "min_lower": minimum(), "min_special": minimum(),
			"override_special": schema.StringAttribute{Optional: true, Computed: true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
			"result": schema.StringAttribute{Computed: true},
			"id":     schema.StringAttribute{Computed: true},
		},
	}
}

// numberNumeric plans number and numeric as one value, true unless either
// is configured.
type numberNumeric struct{}

func (numberNumeric) Description(context.Context) string { return "number and numeric are one value" }
func (numberNumeric) MarkdownDescription(context.Context) string {
	return "number and numeric are one value"
}
func (numberNumeric) PlanModifyBool(ctx context.Context, req planmodifier.BoolRequest, resp *planmodifier.BoolResponse) {
	if !req.ConfigValue.IsNull() {
		return
	}
	var number, numeric types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("number"), &number)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("numeric"), &numeric)...)
	switch {
	case !number.IsNull():
		resp.PlanValue = number
	case !numeric.IsNull():
		resp.PlanValue = numeric
	default:
		resp.PlanValue = types.BoolValue(true)
	}
}

func (randomString) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m randomStringModel
	if resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, m.Length.ValueInt64())
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[n.Int64()]
	}
	m.ID, m.Result = types.StringValue(string(b)), types.StringValue(string(b))
	if m.OverrideSpecial.IsUnknown() {
		m.OverrideSpecial = types.StringNull()
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (randomString) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (randomString) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m randomStringModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (randomString) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// serveRandom serves the stand-in as registry.terraform.io/hashicorp/random.
func serveRandom() error {
	return providerserver.Serve(context.Background(), func() provider.Provider { return randomProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/hashicorp/random"})
}
