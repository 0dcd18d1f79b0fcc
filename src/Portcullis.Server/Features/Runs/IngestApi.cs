namespace Portcullis.Server.Features.Runs;

/// <summary>The agent ingest endpoints of the spec. Agents authenticate per call (header or body key).</summary>
public static class IngestApi
{
    public static RouteGroupBuilder MapIngest(this RouteGroupBuilder group)
    {
        group.MapPost("/ingest/run-start", StartRun.Handle).AllowAnonymous()
            .Accepts<StartRun.Request>("application/json").Produces<StartRun.Response>(201).ProducesProblem(400).ProducesProblem(401);
        group.MapPost("/ingest/events", LogEvents.Handle).AllowAnonymous()
            .Accepts<LogEvents.Request>("application/json").Produces<LogEvents.Response>().ProducesProblem(409);
        group.MapPost("/ingest/run-end", EndRun.Handle).AllowAnonymous()
            .Accepts<EndRun.Request>("application/json").Produces<RunDto>().ProducesProblem(409);
        return group;
    }
}
