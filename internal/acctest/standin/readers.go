package standin

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-mux/tf5muxserver"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// The real stores' ephemeral readers are written with
// terraform-plugin-framework while their write-only resources are written
// with the SDK, and the real providers serve both through one muxed server;
// so does this package. A reader copies its upstream schema and what its
// Open does with the stored value, because that is what decides whether a
// configuration can read the token document back through Terraform.

// serve returns the muxed server of a store's stand-in: the SDK provider's
// resources and, where the real provider has one, its ephemeral reader.
// blocks is the provider configuration's block schema, which both halves
// must declare alike (Terraform sees one provider).
func serve(sdk *schema.Provider, name string, blocks map[string]pschema.Block, readers ...func() ephemeral.EphemeralResource) func() (tfprotov5.ProviderServer, error) {
	if len(readers) == 0 {
		return func() (tfprotov5.ProviderServer, error) { return sdk.GRPCProvider(), nil }
	}
	return func() (tfprotov5.ProviderServer, error) {
		fw := providerserver.NewProtocol5(&readerProvider{name: name, blocks: blocks, readers: readers})
		mux, err := tf5muxserver.NewMuxServer(context.Background(), sdk.GRPCProvider, fw)
		if err != nil {
			return nil, err
		}
		return mux.ProviderServer(), nil
	}
}

type readerProvider struct {
	name    string
	blocks  map[string]pschema.Block
	readers []func() ephemeral.EphemeralResource
}

var _ provider.ProviderWithEphemeralResources = (*readerProvider)(nil)

func (p *readerProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = p.name
}

func (p *readerProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{Blocks: p.blocks}
}

func (p *readerProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *readerProvider) Resources(context.Context) []func() resource.Resource { return nil }

func (p *readerProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (p *readerProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return p.readers
}
