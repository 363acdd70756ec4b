package serve

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// releasing hands the framework, for each per-resource request, a context
// that lets go of the request once it is answered.
//
// The framework keeps the cancel function of every request's context until
// Terraform calls StopProvider (so that a stop can cancel them), and with it
// the whole context: terraform-plugin-go's loggers, about 12 KiB a request.
// A plan of 1,000 resources makes about 4,000 requests: 60 MiB that stay
// live, which the garbage collector marks again on every cycle (half of a
// plan's provider CPU time, BENCHMARKS.md). The framework still gets its
// cancel functions, so StopProvider still cancels requests in flight.
//
// Requests made once per run (schemas, configuration) go to the framework
// unchanged, as do the streaming ones, which may use their context after
// they return.
type releasing struct {
	frameworkServer
}

// frameworkServer is every interface terraform-plugin-go looks for on a
// server: the optional ones (list resources, actions, state stores) are
// found by type assertion, so the wrapper must offer each of them, or
// Terraform is told they are not implemented.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// release wraps the framework's server s. A server without every optional
// interface (another framework version) is served as it is.
func release(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	if fs, ok := s.(frameworkServer); ok {
		return releasing{fs}
	}
	return s
}

// requestContext is a request's context until release, and then a
// cancelled context with no values.
type requestContext struct {
	inner atomic.Pointer[context.Context]
}

var released = func() *context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return &ctx
}()

func (c *requestContext) ctx() context.Context           { return *c.inner.Load() }
func (c *requestContext) Deadline() (time.Time, bool)    { return c.ctx().Deadline() }
func (c *requestContext) Done() <-chan struct{}          { return c.ctx().Done() }
func (c *requestContext) Err() error                     { return c.ctx().Err() }
func (c *requestContext) Value(key any) any              { return c.ctx().Value(key) }
func (c *requestContext) String() string                 { return "serve.requestContext" }
func (c *requestContext) release()                       { c.inner.Store(released) }
func (c *requestContext) AfterFunc(f func()) func() bool { return context.AfterFunc(c.ctx(), f) }

// answer runs one request on a releasing context.
func answer[Req, Resp any](ctx context.Context, req Req, call func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := &requestContext{}
	rc.inner.Store(&ctx)
	defer rc.release()
	return call(rc, req)
}

func (s releasing) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return answer(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s releasing) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return answer(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s releasing) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return answer(ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s releasing) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return answer(ctx, req, s.frameworkServer.ReadResource)
}

func (s releasing) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return answer(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s releasing) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return answer(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s releasing) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return answer(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s releasing) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return answer(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s releasing) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return answer(ctx, req, s.frameworkServer.ReadDataSource)
}
