using System.Data.Common;

namespace Portcullis.Server.Features.Actions;

/// <summary>
/// The one seam through which a caller of <see cref="ActionEngine"/> writes its own rows in the transaction that records an
/// action's decision, so that both commit together or not at all: a workflow step's row commits with the action it asked
/// for (one commit per step instead of two, and never an action decided while its step still reads pending). Called only
/// when the decision is newly written: never on a replay, a refusal or a lost idempotency race.
/// </summary>
public interface IDecisionHook
{
    /// <summary>
    /// First in the transaction, before the decision reads or locks anything: the caller's guards and row locks, so that
    /// its rows are always locked before the run's (the order every other writer of them keeps).
    /// </summary>
    Task BeforeAsync(DbConnection c, DbTransaction t);

    /// <summary>
    /// Once the decision's rows are written, when its answer is final: blocked, held for approval, allowed and never
    /// dispatched (a custom type), or executed in the same transaction (demo mode). Not when a dispatch job was written.
    /// </summary>
    Task AfterAsync(DbConnection c, DbTransaction t, string answerJson);
}
