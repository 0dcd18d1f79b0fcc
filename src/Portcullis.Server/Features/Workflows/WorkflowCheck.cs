using System.Text.Json;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workflows;

/// <summary>
/// <c>POST /api/agents/{agentId}/workflows/check</c>: the diagnostics saving would give, without saving. The editor
/// calls it as the user types, so a shape error (a bad step id, a wrong type) is a diagnostic too, with code
/// <c>invalid_field</c>, rather than a 400: the answer is always <c>{valid, diagnostics}</c>.
/// </summary>
public static class WorkflowCheck
{
    public const string InvalidField = "invalid_field";

    public sealed record Response(bool Valid, IReadOnlyList<WorkflowDiagnostic> Diagnostics);

    public static async Task<IResult> Handle(HttpContext http, string agentId, WorkflowStore store, IOptions<LimitsOptions> limits)
    {
        var read = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        using var body = read.Document!;
        var workspaceId = http.User.GetMember().WorkspaceId;
        if (!await store.AgentExistsAsync(workspaceId, agentId, http.RequestAborted))
        {
            return Problems.NotFound($"agent `{agentId}`");
        }

        var diagnostics = await CheckAsync(store, workspaceId, agentId, body.RootElement, http.RequestAborted);
        return TypedResults.Ok(new Response(diagnostics.Count == 0, diagnostics));
    }

    /// <summary>Every problem of a definition body: its shape errors, else what <see cref="WorkflowChecker"/> finds.</summary>
    public static async Task<IReadOnlyList<WorkflowDiagnostic>> CheckAsync(WorkflowStore store, string workspaceId, string agentId, JsonElement body,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        var definition = WorkflowInput.Read(body, errors);
        if (definition is null)
        {
            return errors.ToDictionary().SelectMany(e => e.Value.Select(m => new WorkflowDiagnostic(InvalidField, $"{e.Key} {m}", e.Key))).ToList();
        }

        return WorkflowChecker.Check(definition, await store.LinkedCredentialsAsync(workspaceId, agentId, ct));
    }
}
