using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Policies.Files;

/// <summary>
/// Policies as code: <c>GET /api/policies/export</c> answers the workspace's policies as a policies file, and
/// <c>POST /api/policies/import[?dryRun=true]</c> makes the workspace's policies exactly those of a file.
/// </summary>
public static class PolicyFilesApi
{
    public const string InvalidFileCode = "invalid_policy_file";

    public static RouteGroupBuilder MapPolicyFiles(this RouteGroupBuilder group)
    {
        group.MapGet("/policies/export", Export).RequireAuthorization(RolePolicies.Viewer);
        group.MapPost("/policies/import", Import).RequireAuthorization(RolePolicies.Admin).Accepts<JsonElement>("application/json");
        return group;
    }

    public static async Task<ContentHttpResult> Export(HttpContext http, PolicyStore store)
    {
        var rows = await store.ListAsync(http.User.GetMember().WorkspaceId, http.RequestAborted);
        return TypedResults.Content(Write(rows), "application/json; charset=utf-8", Encoding.UTF8);
    }

    public static async Task<Results<Ok<PolicyImportDto>, ProblemHttpResult>> Import(
        HttpContext http, ImportPolicies import, IOptions<LimitsOptions> limits, string? dryRun)
    {
        if (dryRun is not (null or "true" or "false"))
        {
            return Problems.Validation("dryRun", "must be true or false");
        }

        var read = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, http.RequestAborted, objectOnly: false);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        using var body = read.Document!;
        var command = new ImportPoliciesCommand(http.User.GetMember(), body.RootElement, dryRun == "true");
        return await import.ExecuteAsync(command, http.RequestAborted) switch
        {
            ImportPoliciesResult.Imported imported => TypedResults.Ok(imported.Diff),
            ImportPoliciesResult.Invalid invalid => Problems.Create(400, InvalidFileCode, "Invalid policies file", invalid.Detail,
                new Dictionary<string, object?> { ["diagnostics"] = invalid.Diagnostics }),
            var other => throw new System.Diagnostics.UnreachableException($"unexpected {other}"),
        };
    }

    /// <summary>
    /// The policies file, byte for byte the same for the same policies: sorted by name, fields in a fixed order, optional
    /// fields only when set, two-space indentation, a final newline. No policy ids: names identify policies on import.
    /// </summary>
    public static string Write(IEnumerable<PolicyRow> rows)
    {
        using var stream = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var w = new Utf8JsonWriter(stream, options))
        {
            w.WriteStartArray();
            foreach (var row in rows.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal))
            {
                WritePolicy(w, row);
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteRouting(Utf8JsonWriter w, PolicyRow row)
    {
        if (row.ApproverGroup is { } group)
        {
            w.WriteString("approverGroup", group);
        }

        if (row.EscalateAfterSeconds is { } after)
        {
            w.WriteNumber("escalateAfter", after);
        }

        if (row.EscalateTo is { } to)
        {
            w.WriteString("escalateTo", to);
        }

        if (row.SlackChannel is { } channel)
        {
            w.WriteString("slackChannel", channel);
        }
    }

    private static void WritePolicy(Utf8JsonWriter w, PolicyRow row)
    {
        w.WriteStartObject();
        w.WriteString("name", row.Name);
        if (row.Description is not null)
        {
            w.WriteString("description", row.Description);
        }

        w.WriteString("condition", row.Condition);
        w.WriteString("decision", row.Decision);
        if (row.Reason is not null)
        {
            w.WriteString("reason", row.Reason);
        }

        w.WriteNumber("priority", row.Priority);
        w.WriteBoolean("enabled", row.Enabled);
        w.WriteNumber("approvalsRequired", row.ApprovalsRequired);
        if (row.AllowEdit)
        {
            w.WriteBoolean("allowEdit", true);
        }

        WriteRouting(w, row);

        if (row.IsShadow)
        {
            w.WriteString("mode", row.Mode);
        }
        if (row.AgentIdList is { Count: > 0 } agents)
        {
            w.WriteStartArray("agentIds");
            agents.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
