namespace Portcullis.Client;

/// <summary>A policy that matched an action request.</summary>
/// <param name="Id">The policy's id (<c>pol_…</c>).</param>
/// <param name="Name">The policy's name.</param>
/// <param name="Decision">The policy's decision: <c>allow</c>, <c>allow_with_alert</c>, <c>require_approval</c> or <c>block</c>.</param>
/// <param name="Reason">The policy's reason.</param>
/// <param name="Priority">The policy's priority, which breaks ties between equally restrictive decisions.</param>
public sealed record MatchedPolicy(string Id, string Name, string Decision, string? Reason, int Priority);
