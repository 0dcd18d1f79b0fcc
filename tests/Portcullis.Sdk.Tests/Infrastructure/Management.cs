using System.Net.Http.Json;
using System.Text.Json;

namespace Portcullis.Sdk.Tests.Infrastructure;

/// <summary>The management API calls the tests make as a member: policies, approvals, keys, runs.</summary>
public sealed class Management(HttpClient http)
{
    public HttpClient Http => http;

    /// <summary>
    /// A policy deciding refunds over $50 of one ticket's runs, so that concurrent tests never see it.
    /// </summary>
    public async Task<string> CreateRefundPolicyAsync(string decision, string ticketId)
    {
        var policy = await SendAsync(HttpMethod.Post, "/api/policies", new
        {
            name = $"{decision} for {ticketId}",
            condition = $"action_type = refund.create AND payload.amount > 5000 AND run.external_ref = '{ticketId}'",
            decision,
            reason = $"refunds over $50 on {ticketId}: {decision}",
        });
        return policy.GetProperty("id").GetString()!;
    }

    public Task DeletePolicyAsync(string policyId) => SendAsync(HttpMethod.Delete, $"/api/policies/{policyId}");

    /// <summary><c>POST /api/approvals/{id}/approve</c> or <c>…/reject</c>.</summary>
    public Task<JsonElement> DecideAsync(string approvalId, string verb, string comment) =>
        SendAsync(HttpMethod.Post, $"/api/approvals/{approvalId}/{verb}", new { comment });

    public async Task<string> AgentIdAsync()
    {
        var agents = await SendAsync(HttpMethod.Get, "/api/agents");
        return agents.EnumerateArray().First().GetProperty("id").GetString()!;
    }

    /// <summary>Creates a key for the agent; returns its id and the key, shown this once.</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(string agentId)
    {
        var created = await SendAsync(HttpMethod.Post, $"/api/agents/{agentId}/keys", new { name = "sdk tests" });
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    public Task RevokeKeyAsync(string agentId, string keyId) => SendAsync(HttpMethod.Delete, $"/api/agents/{agentId}/keys/{keyId}");

    public async Task<RunView> RunAsync(string runId) => RunView.From(await SendAsync(HttpMethod.Get, $"/api/runs/{runId}"));

    /// <summary>Sends a call and returns its JSON body; any non-2xx answer fails the test with the method, path and body.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : SdkFixture.Parse(text);
    }
}
