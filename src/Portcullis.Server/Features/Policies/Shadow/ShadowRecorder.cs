using System.Data.Common;
using Dapper;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Features.Runs;

namespace Portcullis.Server.Features.Policies.Shadow;

/// <summary>
/// Writes what the shadow policies made of a request, in the transaction that records the request: one row per matching
/// shadow policy, and a <c>policy.shadow</c> timeline entry when one of them would have changed the decision.
/// </summary>
public static class ShadowRecorder
{
    public static async Task WriteAsync(DbConnection c, DbTransaction t, Timeline timeline, DecidedAction a)
    {
        if (a.Shadow is not { Count: > 0 } outcomes)
        {
            return;
        }

        foreach (var o in outcomes)
        {
            await c.ExecuteAsync(
                """
                INSERT INTO shadow_outcomes (action_request_id, policy_id, workspace_id, run_id, action_type, decision, enforced, would_be, changed, created_at)
                VALUES (@id, @PolicyId, @WorkspaceId, @runId, @actionType, @Decision, @enforced, @WouldBe, @Changed, @CreatedAt)
                """,
                new
                {
                    id = a.Id, o.PolicyId, a.WorkspaceId, runId = a.Input.RunId, actionType = a.Input.ActionType, o.Decision,
                    enforced = a.Decision, o.WouldBe, o.Changed, a.CreatedAt,
                }, t);
        }

        var changed = outcomes.Where(o => o.Changed).ToList();
        if (changed.Count > 0)
        {
            await timeline.AppendSystemAsync(c, t, a.WorkspaceId, a.Input.RunId, "policy.shadow", new
            {
                actionRequestId = a.Id, enforced = a.Decision,
                shadow = changed.Select(o => new { policyId = o.PolicyId, policyName = o.PolicyName, decision = o.Decision, wouldBe = o.WouldBe }),
            });
        }
    }
}
