using System.Text.Json;
using Portcullis.Server.Infrastructure.Auth;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// One <c>tools/call</c> as a transport hands it to <see cref="McpToolCall"/>: the SDK's request pipeline
/// (<see cref="McpToolCall.HandleAsync"/>) or the direct path for plain 2026-07-28 calls (<see cref="McpDirectCalls"/>).
/// </summary>
/// <param name="Meta">The request's <c>_meta</c> object, or an undefined element when it has none.</param>
/// <param name="Tasks">Whether the call may be answered with a task instead of its result.</param>
public sealed record McpCall(
    HttpContext Http, AgentIdentity Agent, string Name, IDictionary<string, JsonElement>? Arguments, JsonElement Meta, McpClientKey Client, McpTaskMode Tasks);

/// <summary>When a <c>tools/call</c> answers a task: see <see cref="Tasks.McpTaskAnswers"/>.</summary>
public enum McpTaskMode
{
    /// <summary>Never: the client cannot take a task.</summary>
    None,

    /// <summary>A call waiting for an approval (2026-07-28, the tasks extension declared on the request).</summary>
    Approvals,

    /// <summary>Every recorded call (2025-11-25, <c>params.task</c> asked for one).</summary>
    Requested,
}
