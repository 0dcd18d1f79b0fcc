using System.Net;
using System.Net.Http.Json;

namespace Portcullis.Browser.Tests.Infrastructure;

/// <summary>A realistic workspace for the screenshots: policies, runs through every decision, credentials, members.</summary>
public sealed record DemoData(string CompletedRunId, string AwaitingRunId, string ApprovalId, string PolicyId, string AgentId)
{
    public static async Task<DemoData> CreateAsync(DashboardHost host)
    {
        var owner = host.Api();
        var agentId = await owner.SeededAgentIdAsync();
        var policyId = await owner.CreatePolicyAsync("Refunds over $50 need approval", "action_type = refund.create AND payload.amount > 5000",
            "require_approval", "refunds above $50 need a person", priority: 10);
        await owner.CreatePolicyAsync("Review outbound email", "action_type = email.send AND NOT payload.to ENDS WITH \"@acme.example\"",
            "allow_with_alert", "outbound email to customers is reviewed daily");
        await owner.CreatePolicyAsync("Never delete CRM records", "action_type = crm.delete_record", "block", "deletions are done by hand", priority: 100);
        await (await owner.PostAsJsonAsync("/api/agents", new { name = "billing-agent", description = "Answers invoice questions" })).JsonAsync(HttpStatusCode.Created);
        await owner.AddMemberAsync("approver");
        var stripe = await (await owner.PostAsJsonAsync("/api/credentials",
            new { provider = "stripe", name = "Stripe (test mode)", secrets = new { apiKey = "sk_test_51DemoDataStripeKey00000000000004242" } })).JsonAsync(HttpStatusCode.Created);
        await (await owner.PostAsJsonAsync($"/api/credentials/{stripe.GetProperty("id").GetString()}/links", new { agentId })).JsonAsync(HttpStatusCode.NoContent);
        await (await owner.PostAsJsonAsync("/api/credentials",
            new { provider = "slack", name = "Support workspace", secrets = new { botToken = "xoxb-demo_slack_token_0000abcd" } })).JsonAsync(HttpStatusCode.Created);

        var agent = host.Api(DashboardHost.AgentKey);
        var completed = await agent.StartRunAsync(externalRef: "ZD-1042");
        await agent.PostEventAsync(completed, 2, "ticket.received", new { subject = "Charged twice for order 8812", channel = "email" });
        await agent.PostEventAsync(completed, 3, "ticket.classified", new { category = "billing/refund", confidence = 0.94 });
        await agent.RequestActionAsync(completed, "ticket.get", new { ticketId = 1042 });
        await agent.RequestActionAsync(completed, "refund.create", new { charge = "ch_3PzDemo8812", amount = 1500, reason = "duplicate" },
            new { orderId = "8812", duplicateChargeOf = "ch_3PzDemo8811" });
        await agent.RequestActionAsync(completed, "email.send", new { to = "dana@customer.example", subject = "Your refund", text = "We refunded the duplicate charge." });
        await agent.PostEventAsync(completed, 4, "reply.drafted", new { words = 86 });
        await (await agent.PostAsJsonAsync("/api/ingest/run-end", new { runId = completed, status = "completed" })).JsonAsync(HttpStatusCode.OK);

        var awaiting = await agent.StartRunAsync(externalRef: "ZD-1043");
        await agent.PostEventAsync(awaiting, 2, "ticket.received", new { subject = "Cancel my annual plan and refund", channel = "chat" });
        var approval = await agent.RequestActionAsync(awaiting, "refund.create", new { charge = "ch_3PzDemo9920", amount = 12000, reason = "requested_by_customer" },
            new { plan = "annual", daysSincePurchase = 3 });

        var blocked = await agent.StartRunAsync(triggerType: "crm-cleanup", externalRef: "HS-77");
        await agent.RequestActionAsync(blocked, "crm.delete_record", new { objectType = "contacts", id = "77" });
        await (await agent.PostAsJsonAsync("/api/ingest/run-end", new { runId = blocked, status = "blocked" })).JsonAsync(HttpStatusCode.OK);

        return new DemoData(completed, awaiting, approval.GetProperty("approvalRequestId").GetString()!, policyId, agentId);
    }
}
