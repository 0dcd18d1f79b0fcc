using System.Data.Common;
using Portcullis.Server.Features.Actions;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Jobs;
using static Portcullis.Server.Features.Workflows.Runs.WorkflowRunWriter;

namespace Portcullis.Server.Features.Workflows.Runs;

/// <summary>
/// Records a workflow step in the transaction that records its action's decision (<see cref="IDecisionHook"/>): one commit
/// per step instead of two, guarded the same way (the job's lease touched first, the run still open). Writes the step only
/// when the answer settles it; a step held for approval is parked by the runner afterwards, as is everything the engine
/// answers without writing a decision (a replay, a refusal), and a lost lease writes nothing but the decision, as before.
/// </summary>
public sealed class StepDecisionHook(WorkflowRunWriter writer, ClaimedJob job, WorkflowRunState state, int index, TimeProvider time) : IDecisionHook
{
    private bool _held;

    /// <summary>What the decision's transaction wrote for the step; null when the runner still has to record it.</summary>
    public StepWrite? Recorded { get; private set; }

    public async Task BeforeAsync(DbConnection c, DbTransaction t) => _held = await writer.HoldAsync(c, t, job, state.Run.Id);

    public async Task AfterAsync(DbConnection c, DbTransaction t, string answerJson)
    {
        var row = state.Steps[index];
        var outcome = StepOutcome.FromAnswer(answerJson, row.StepId);
        if (outcome.AwaitsApproval || outcome.InFlight)
        {
            return;
        }

        var now = time.Now();
        if (!_held)
        {
            Recorded = new StepWrite(Written.Lost, null, outcome.Error, now);
            return;
        }

        outcome.ApplyTo(row, now);
        var runStatus = state.RunStatusAfter(outcome);
        Recorded = new StepWrite(await writer.RecordStepInAsync(c, t, job, state, row, runStatus, outcome.Error, now), runStatus, outcome.Error, now);
    }

    public sealed record StepWrite(Written Written, string? RunStatus, WorkflowError? Error, long Now);
}
