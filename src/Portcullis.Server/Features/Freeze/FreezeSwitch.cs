using Dapper;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Freeze;

/// <summary>A freeze as shown on an agent or the workspace.</summary>
public sealed record FreezeDto(string Reason, string FrozenAt, string? FrozenBy)
{
    public static FreezeDto? Of(long? frozenAt, string? reason, string? frozenBy) =>
        frozenAt is { } at ? new FreezeDto(reason ?? "", Times.ToIso(at)!, frozenBy) : null;
}

/// <summary>What a freeze applies to: one agent, or the whole workspace.</summary>
public enum FreezeScope { Agent, Workspace }

/// <summary>
/// The kill switch: freezes or unfreezes one agent or a whole workspace, audited in the same transaction. The one use case
/// behind the REST API, the dashboard's buttons and <c>portcullis agents freeze</c>. The freeze is a column read with the
/// agent's key on every request, so it takes effect at the next request on every instance.
/// </summary>
public sealed class FreezeSwitch(Database database, AuditTrail audit, TimeProvider time)
{
    public const int MaxReasonLength = 500;

    /// <summary>False when the workspace has no such agent.</summary>
    /// <param name="reason">The reason to freeze with (blank: a default naming the scope), or null to unfreeze.</param>
    public Task<bool> SetAsync(string workspaceId, FreezeScope scope, string id, Actor actor, bool freeze, string? reason, CancellationToken ct)
    {
        var (table, kind) = scope == FreezeScope.Agent ? ("agents", "agent") : ("workspaces", "workspace");
        var scoped = scope == FreezeScope.Agent ? "workspace_id = @workspaceId" : "id = @workspaceId";
        reason = string.IsNullOrWhiteSpace(reason) ? DefaultReason(scope) : reason.Trim();
        // The API refuses a longer reason with a field error; a dashboard form or the CLI is cut to fit.
        reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
        return database.WriteAsync(async (c, t) =>
        {
            var found = (await c.QueryAsync<long?>($"SELECT frozen_at FROM {table} WHERE id = @id AND {scoped}", new { id, workspaceId }, t)).AsList();
            if (found.Count == 0)
            {
                return false;
            }

            // Unfreezing what is not frozen changes nothing and is not audited; freezing again records the new reason.
            if (!freeze && found[0] is null)
            {
                return true;
            }

            await c.ExecuteAsync(freeze
                ? $"UPDATE {table} SET frozen_at = @now, frozen_reason = @reason, frozen_by = @by WHERE id = @id"
                : $"UPDATE {table} SET frozen_at = NULL, frozen_reason = NULL, frozen_by = NULL WHERE id = @id",
                new { id, now = time.Now(), reason, by = $"{actor.Type}:{actor.Id}" }, t);
            await audit.AppendAsync(c, t, workspaceId, actor, freeze ? $"{kind}.frozen" : $"{kind}.unfrozen", kind, id,
                new { reason = freeze ? reason : null });
            return true;
        }, ct);
    }

    public static string DefaultReason(FreezeScope scope) =>
        scope == FreezeScope.Agent ? "the agent is frozen by an operator" : "the workspace is frozen by an operator";
}

/// <summary>What the dashboard's freeze partial shows: the subject's freeze, and whether the member may change it.</summary>
public sealed record FreezePanel(string Subject, string Button, FreezeDto? Frozen, bool CanChange);
