using System.Data.Common;
using System.Text.Json;
using Dapper;
using Portcullis.Policies.Tooling;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Features.Subscriptions;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Policies.Files;

/// <summary>Replace the actor's workspace's policies with a policies file (the JSON array <c>portcullis policy check</c> reads).</summary>
/// <param name="DryRun">Answer the diff and change nothing.</param>
public sealed record ImportPoliciesCommand(Member Actor, JsonElement File, bool DryRun);

/// <summary>What an import did (or, on a dry run, would do), by policy name; <c>revision</c> is the policy revision after it.</summary>
public sealed record PolicyImportDto(
    bool DryRun, long Revision, IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Removed, IReadOnlyList<string> Unchanged);

public abstract record ImportPoliciesResult
{
    private ImportPoliciesResult()
    {
    }

    public sealed record Imported(PolicyImportDto Diff) : ImportPoliciesResult;

    /// <summary>The file is not an array, holds too many policies, or has problems: nothing was changed.</summary>
    public sealed record Invalid(string Detail, IReadOnlyList<FileDiagnosticDto> Diagnostics) : ImportPoliciesResult;
}

/// <summary>
/// Importing a policies file: the use case behind <c>POST /api/policies/import</c> and <c>portcullis policy push</c>.
/// All or nothing, in one transaction, as one new policy revision (none when nothing changes), audited as
/// <c>policies.imported</c>.
/// </summary>
public sealed class ImportPolicies(Database database, AuditTrail audit, Subscriptions.EventOutbox events, TimeProvider time)
{
    public async Task<ImportPoliciesResult> ExecuteAsync(ImportPoliciesCommand command, CancellationToken ct)
    {
        if (PolicyFile.Read(command.File) is not { } entries)
        {
            return new ImportPoliciesResult.Invalid("expected a JSON array of policies", []);
        }

        if (entries.Count > PolicyImportPlan.MaxPolicies)
        {
            return new ImportPoliciesResult.Invalid($"a file may hold at most {PolicyImportPlan.MaxPolicies} policies, found {entries.Count}", []);
        }

        var workspaceId = command.Actor.WorkspaceId;
        if (command.DryRun)
        {
            await using var connection = await database.OpenAsync(ct);
            return await PlanAsync(connection, null, workspaceId, entries) switch
            {
                (null, var problems, _) => Refusal(entries.Count, problems),
                (var plan, _, var revision) => new ImportPoliciesResult.Imported(Diff(plan!, dryRun: true, revision)),
            };
        }

        return await database.WriteAsync<ImportPoliciesResult>(async (c, t) =>
        {
            // Imports of one workspace run one at a time, on every instance: each diffs against what the last one left.
            await database.Dialect.LockNameAsync(c, t, "policies:" + workspaceId);
            var (plan, problems, revision) = await PlanAsync(c, t, workspaceId, entries);
            if (plan is null)
            {
                return Refusal(entries.Count, problems);
            }

            if (plan.ChangesAnything)
            {
                revision = await ApplyAsync(c, t, workspaceId, command.Actor.UserId, plan);
            }

            return new ImportPoliciesResult.Imported(Diff(plan, dryRun: false, revision));
        }, result => result is ImportPoliciesResult.Imported, ct);
    }

    private static async Task<(PolicyImportPlan? Plan, List<FileDiagnosticDto> Problems, long Revision)> PlanAsync(
        DbConnection c, DbTransaction? t, string workspaceId, IReadOnlyList<PolicyFileEntry> entries)
    {
        var current = (await c.QueryAsync<PolicyRow>(
            $"SELECT {PolicyRow.Columns} FROM policies WHERE workspace_id = @workspaceId AND deleted_at IS NULL", new { workspaceId }, t)).AsList();
        var agents = (await c.QueryAsync<string>("SELECT id FROM agents WHERE workspace_id = @workspaceId", new { workspaceId }, t))
            .ToHashSet(StringComparer.Ordinal);
        var revision = await RevisionAsync(c, t, workspaceId);
        var plan = PolicyImportPlan.Create(entries, current, agents, out var problems);
        return (plan, problems, revision);
    }

    private async Task<long> ApplyAsync(DbConnection c, DbTransaction t, string workspaceId, string userId, PolicyImportPlan plan)
    {
        var now = time.Now();
        foreach (var input in plan.Added)
        {
            var added = input.ToRow(Ids.New("pol", time), 1, now, now);
            await PolicyStore.SaveAsync(c, t, workspaceId, added, "imported", userId, insert: true, bumpRevision: false);
            await events.PolicyChangedAsync(c, t, workspaceId, added.Id, "created", added.ToDto());
        }

        foreach (var (current, next) in plan.Changed)
        {
            var row = next.ToRow(current.Id, current.Version + 1, current.CreatedAt, now);
            await PolicyStore.SaveAsync(c, t, workspaceId, row, "imported", userId, insert: false, bumpRevision: false);
            await events.PolicyChangedAsync(c, t, workspaceId, row.Id, "updated", row.ToDto());
        }

        foreach (var removed in plan.Removed)
        {
            await PolicyStore.SoftDeleteAsync(c, t, workspaceId, removed.Id, now);
            await events.PolicyChangedAsync(c, t, workspaceId, removed.Id, "deleted", null);
        }

        await PolicyStore.BumpRevisionAsync(c, t, workspaceId);
        var revision = await RevisionAsync(c, t, workspaceId);
        var diff = Diff(plan, dryRun: false, revision);
        await audit.AppendAsync(c, t, workspaceId, Actor.User(userId), "policies.imported", "workspace", workspaceId, new
        {
            added = diff.Added.Count, changed = diff.Changed.Count, removed = diff.Removed.Count, unchanged = diff.Unchanged.Count, revision,
            addedNames = diff.Added, changedNames = diff.Changed, removedNames = diff.Removed,
        });
        return revision;
    }

    private static Task<long> RevisionAsync(DbConnection c, DbTransaction? t, string workspaceId) =>
        c.ExecuteScalarAsync<long>("SELECT policy_revision FROM workspaces WHERE id = @workspaceId", new { workspaceId }, t);

    private static PolicyImportDto Diff(PolicyImportPlan plan, bool dryRun, long revision) => new(
        dryRun, revision, Sorted(plan.Added.Select(a => a.Name!)), Sorted(plan.Changed.Select(c => c.Next.Name!)),
        Sorted(plan.Removed.Select(r => r.Name)), Sorted(plan.Unchanged));

    private static List<string> Sorted(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToList();

    private static ImportPoliciesResult.Invalid Refusal(int count, List<FileDiagnosticDto> problems)
    {
        var policies = problems.Select(p => p.Index).Distinct().Count();
        var noun = problems.Count == 1 ? "problem" : "problems";
        return new($"the file has {problems.Count} {noun} in {policies} of {count} policies; nothing was changed", problems);
    }
}
