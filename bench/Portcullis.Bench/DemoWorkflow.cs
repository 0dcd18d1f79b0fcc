using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portcullis.Bench;

/// <summary>
/// The five-step workflow the <c>workflows</c> mode runs, created for the seeded agent: four built-in actions the demo
/// connector executes and one custom action (decided and recorded, never dispatched), each step's input read from the
/// trigger or an earlier step's output.
/// </summary>
public static class DemoWorkflow
{
    public const int StepCount = 5;

    /// <summary>The input of every run: the customer and the charge to refund.</summary>
    public const string RunBody = """{"input":{"customer":"cus_NffrFeUfNV2Hib","charge":"ch_3OabcEXAMPLE"}}""";

    private static readonly object Definition = new
    {
        name = "Bench refund",
        description = "look up the customer and the charge, refund it, note it in the CRM, tell the team",
        steps = new object[]
        {
            new { id = "customer", actionType = "customer.retrieve", input = new { customerId = "{{trigger.input.customer}}" } },
            new { id = "charge", actionType = "charge.retrieve", input = new { chargeId = "{{trigger.input.charge}}" } },
            new
            {
                id = "refund", actionType = "refund.create",
                input = new
                {
                    charge = "{{steps.charge.output.id}}", amount = "{{steps.charge.output.amount}}", reason = "requested_by_customer",
                    metadata = new { customer = "{{steps.customer.output.id}}" },
                },
            },
            new
            {
                id = "note", actionType = "crm.note",
                input = new { text = "Refunded {{steps.refund.output.id}} to {{steps.customer.output.email}}", refund = "{{steps.refund.output.id}}" },
            },
            new
            {
                id = "notify", actionType = "slack.post_message",
                input = new { channel = "#refunds", text = "{{agent.name}} refunded {{steps.refund.output.amount}} cents ({{steps.refund.output.id}}) in {{run.id}}" },
            },
        },
    };

    /// <summary>Creates the workflow for the server's only agent and answers its id.</summary>
    public static async Task<string> CreateAsync(string baseUrl)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(baseUrl) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerProcess.AdminToken);
        var agents = await admin.GetFromJsonAsync<JsonElement>("/api/agents");
        var agentId = agents.EnumerateArray().Single().GetProperty("id").GetString();
        using var created = await admin.PostAsJsonAsync($"/api/agents/{agentId}/workflows", Definition);
        if (!created.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"creating the workflow: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }

        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
