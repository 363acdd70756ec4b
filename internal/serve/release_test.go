package serve

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type ctxKey struct{}

// captures keeps the context of the one request it answers.
type captures struct {
	frameworkServer
	got    context.Context
	during any
}

func (c *captures) ReadResource(ctx context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	c.got, c.during = ctx, ctx.Value(ctxKey{})
	return &tfprotov6.ReadResourceResponse{}, nil
}

// While a request runs, its context is the caller's; once it is answered,
// a context kept from it holds nothing of it and reads as cancelled.
func TestReleasingContextDuringAndAfter(t *testing.T) {
	inner := &captures{}
	ctx := context.WithValue(context.Background(), ctxKey{}, "request values")
	if _, err := (releasing{inner}).ReadResource(ctx, &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
	if inner.during != "request values" {
		t.Errorf("during the request Value = %v, want the caller's", inner.during)
	}
	if v := inner.got.Value(ctxKey{}); v != nil {
		t.Errorf("after the request Value = %v, want nil", v)
	}
	if !errors.Is(inner.got.Err(), context.Canceled) {
		t.Errorf("after the request Err = %v, want context.Canceled", inner.got.Err())
	}
	select {
	case <-inner.got.Done():
	default:
		t.Error("after the request Done is open")
	}
}

// A cancelled caller cancels the contexts derived from the request's, as
// the framework derives its own, without a goroutine per request.
func TestReleasingContextPropagatesCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	rc := &requestContext{}
	rc.inner.Store(&ctx)
	child, stop := context.WithCancel(rc)
	defer stop()
	// Had package context found neither the caller's context behind rc
	// (through Value) nor rc's AfterFunc, WithCancel would have started a
	// goroutine that waits for rc to be done: it would be there now, until
	// the cancel. Only the goroutines this test started are looked for, so
	// that other tests running meanwhile do not count.
	if g := propagationGoroutines(); len(g) > 0 {
		t.Errorf("deriving a context started a goroutine to watch the request's:\n%s", strings.Join(g, "\n\n"))
	}
	cancel()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the derived context was not cancelled")
	}
}

// propagationGoroutines are the stacks of the goroutines that package
// context started, from the calling goroutine, to watch a parent context
// of a type it does not know.
func propagationGoroutines() []string {
	buf := make([]byte, 64<<10)
	n := runtime.Stack(buf, false)
	self, _, _ := strings.Cut(strings.TrimPrefix(string(buf[:n]), "goroutine "), " ")
	for {
		n = runtime.Stack(buf, true)
		if n < len(buf) {
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, g := range strings.Split(string(buf[:n]), "\n\n") {
		if strings.Contains(g, "\ncreated by context.") && strings.Contains(g, " in goroutine "+self+"\n") {
			out = append(out, g)
		}
	}
	return out
}

type emptyProvider struct{}

func (emptyProvider) Metadata(context.Context, provider.MetadataRequest, *provider.MetadataResponse) {
}
func (emptyProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (emptyProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (emptyProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (emptyProvider) Resources(context.Context) []func() resource.Resource       { return nil }

// The framework keeps every request's context until the provider stops;
// through releasing, what the request carried is collectable once it is
// answered.
func TestFrameworkKeepsNoRequestValues(t *testing.T) {
	srv := release(providerserver.NewProtocol6(emptyProvider{})())
	collected := make(chan struct{})
	func() {
		carried := new([1 << 16]byte)
		runtime.AddCleanup(carried, func(done chan struct{}) { close(done) }, collected)
		ctx := context.WithValue(context.Background(), ctxKey{}, carried)
		_, _ = srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "none_thing"})
	}()
	defer runtime.KeepAlive(srv) // the server, and what it keeps, stay
	// A minute bounds a hang, not the machine's speed.
	for deadline := time.Now().Add(time.Minute); ; {
		runtime.GC()
		select {
		case <-collected:
			return
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("the request's context values are still reachable after it was answered")
		}
	}
}

// terraform-plugin-go finds list resources, actions and state stores by
// type assertion on the server: the wrapped server offers every one the
// framework's does (a hidden one answers Terraform "not implemented").
func TestReleasingKeepsOptionalInterfaces(t *testing.T) {
	fw := providerserver.NewProtocol6(emptyProvider{})()
	srv := release(fw)
	if _, ok := srv.(releasing); !ok {
		t.Fatal("the framework's server was served unwrapped: it lacks one of the interfaces releasing offers")
	}
	// What terraform-plugin-go asserts (its ProviderServerWith...
	// interfaces, deprecated for the day these join ProviderServer).
	for name, has := range map[string]func(any) bool{
		"list resources": func(v any) bool {
			_, ok := v.(interface {
				tfprotov6.ProviderServer
				tfprotov6.ListResourceServer
			})
			return ok
		},
		"actions": func(v any) bool {
			_, ok := v.(interface {
				tfprotov6.ProviderServer
				tfprotov6.ActionServer
			})
			return ok
		},
		"state stores": func(v any) bool {
			_, ok := v.(interface {
				tfprotov6.ProviderServer
				tfprotov6.StateStoreServer
			})
			return ok
		},
	} {
		if has(fw) && !has(srv) {
			t.Errorf("the wrapped server hides the %s interface", name)
		}
	}
}
