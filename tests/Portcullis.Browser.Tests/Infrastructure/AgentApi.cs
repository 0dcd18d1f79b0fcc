using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portcullis.Browser.Tests.Infrastructure;

/// <summary>What agents and admins do through the REST API while a page is open.</summary>
public static class AgentApi
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<string> StartRunAsync(this HttpClient agent, string triggerType = "support-ticket", string? externalRef = null) =>
        (await (await agent.PostAsJsonAsync("/api/ingest/run-start", new { triggerType, externalRef, agentVersion = "1.4.2", triggeredBy = "zendesk" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("runId").GetString()!;

    public static async Task PostEventAsync(this HttpClient agent, string runId, int sequenceNo, string eventType, object? payload = null) =>
        await (await agent.PostAsJsonAsync("/api/ingest/events", new { runId, events = new[] { new { eventType, sequenceNo, payload } } }))
            .JsonAsync(HttpStatusCode.OK);

    public static async Task<JsonElement> RequestActionAsync(this HttpClient agent, string runId, string actionType, object payload, object? evidence = null)
    {
        var response = await agent.PostAsJsonAsync("/api/actions/request", new { runId, actionType, payload, evidence });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<string> CreatePolicyAsync(this HttpClient owner, string name, string condition, string decision, string? reason = null, int priority = 0) =>
        (await (await owner.PostAsJsonAsync("/api/policies", new { name, condition, decision, reason, priority }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    /// <summary>Invites a new member with a role, who accepts with <paramref name="password"/>; returns the email to sign in with.</summary>
    public static async Task<string> AddMemberAsync(this HttpClient owner, string role, string password = "a long enough password")
    {
        var email = $"{role}-{Guid.NewGuid():n}@dashboard.example";
        var invitation = await (await owner.PostAsJsonAsync("/api/workspace/members", new { email, role })).JsonAsync(HttpStatusCode.Created);
        using var anonymous = new HttpClient { BaseAddress = owner.BaseAddress };
        await (await anonymous.PostAsJsonAsync("/api/invitations/accept", new { token = invitation.GetProperty("token").GetString(), name = $"A {role}", password }))
            .JsonAsync(HttpStatusCode.OK);
        return email;
    }

    public static async Task<string> SeededAgentIdAsync(this HttpClient owner) =>
        (await (await owner.GetAsync("/api/agents")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().First().GetProperty("id").GetString()!;
}
