using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Runs;

/// <summary>
/// The agent ingest endpoints of the spec, on the agent group (key, rate limit). Agents authenticate per call
/// (header or body key); ending a run stays open while billing is locked.
/// </summary>
public static class IngestApi
{
    public static RouteGroupBuilder MapIngest(this RouteGroupBuilder group)
    {
        group.MapPost("/ingest/run-start", StartRun.Handle).WithBillingLock().AcceptsAgentJson<StartRun.Request>()
            .Produces<StartRun.Response>(201).ProducesProblem(400).ProducesProblem(401);
        group.MapPost("/ingest/events", LogEvents.Handle).WithBillingLock().AcceptsAgentJson<LogEvents.Request>()
            .Produces<LogEvents.Response>().ProducesProblem(409);
        group.MapPost("/ingest/run-end", EndRun.Handle).AcceptsAgentJson<EndRun.Request>()
            .Produces<RunDto>().ProducesProblem(409);
        return group;
    }
}
