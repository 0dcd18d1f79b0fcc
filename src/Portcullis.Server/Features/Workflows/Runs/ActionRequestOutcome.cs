using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// A step's outcome read from its action request row: after an approval was decided (the row's status says rejected or
/// expired, and its stored answer carries the execution once there is one), or when the engine replayed an earlier answer.
/// </summary>
public static class ActionRequestOutcome
{
    public static async Task<StepOutcome> ReadAsync(Database database, string actionRequestId, string stepId)
    {
        var row = await database.ReadAsync(c => c.QueryFirstAsync<(string Status, string Response)>(
            "SELECT status, response FROM action_requests WHERE id = @actionRequestId", new { actionRequestId }));
        return StepOutcome.FromAnswer(row.Response, stepId, row.Status);
    }

    /// <summary>A replay answers what was stored; the row says whether an approval was decided since.</summary>
    public static async Task<StepOutcome> FromReplayAsync(Database database, string answerJson, string stepId)
    {
        var first = StepOutcome.FromAnswer(answerJson, stepId);
        return first.AwaitsApproval || first.InFlight ? await ReadAsync(database, first.ActionRequestId!, stepId) : first;
    }
}
