using System.Net;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class WorkflowEditorTests(DashboardHost host)
{
    private const string ApproverPassword = "a long enough password";

    [Fact]
    public async Task A_workflow_built_in_the_editor_runs_waits_for_its_held_step_and_completes_once_approved_in_the_dashboard()
    {
        var approver = await host.Api().AddMemberAsync("approver", ApproverPassword);
        await host.Api().CreatePolicyAsync("Browser workflow refunds", "action_type = refund.create AND payload.amount > 5000 AND workflow.name = 'Browser refund flow'",
            "require_approval", "refunds over $50 need a human");
        var agentId = await host.Api().SeededAgentIdAsync();
        var page = await host.SignInAsync();
        await page.GotoAsync($"/agents/{agentId}?tab=workflows");
        await page.ClickAsync("#new-workflow");
        await page.FillAsync("#wf-name", "Browser refund flow");

        // Step 1 from the picker: a Stripe refund, its fields generated from the action's schema, the amount a whole template.
        await AddStepAsync(page, 0, "refund.create");
        await page.FillAsync("[data-field='steps[0].id']", "refund");
        await page.FillAsync("[data-field='steps[0].input.charge']", "{{trigger.input.charge}}");
        var amount = page.Locator("[data-field='steps[0].input.amount']");
        await amount.PressSequentiallyAsync("{{trig");
        await page.Locator("ul.suggest li", new PageLocatorOptions { HasText = "trigger.input." }).First.ClickAsync();
        await amount.PressSequentiallyAsync("amount}}");
        await Expect(amount).ToHaveValueAsync("{{trigger.input.amount}}");
        await page.FillAsync("[data-field='steps[0].input.reason']", "requested_by_customer");

        // Step 2: a custom action type; step 3: Slack, whose suggestions include the earlier steps' outputs.
        await AddStepAsync(page, 1, null, "crm.note");
        await page.FillAsync("[data-field='steps[1].id']", "note");
        await page.FillAsync("[data-field='steps[1].input']", "{\"text\": \"Refunded {{steps.refund.output.id}}\"}");
        await AddStepAsync(page, 2, "slack.post_message");
        await page.FillAsync("[data-field='steps[2].id']", "notify");
        await page.FillAsync("[data-field='steps[2].input.channel']", "#refunds");
        var text = page.Locator("[data-field='steps[2].input.text']");
        await text.PressSequentiallyAsync("Refund {{steps.");
        await Expect(page.Locator("ul.suggest li", new PageLocatorOptions { HasText = "steps.refund.output." })).ToBeVisibleAsync();
        await Expect(page.Locator("ul.suggest li", new PageLocatorOptions { HasText = "steps.notify" })).ToHaveCountAsync(0);
        await text.FillAsync("Refund {{steps.refund.output.id} done");

        // A bad template is shown next to its field as it is typed, and goes away once fixed.
        var error = page.Locator("[data-error-for='steps[2].input.text']");
        await Expect(error).ToContainTextAsync("never closed");
        await Expect(page.Locator("#wf-save")).ToBeDisabledAsync();
        await Screenshots.SaveAsync(page, "workflow-editor-diagnostic");
        await text.FillAsync("Refund {{steps.refund.output.id}} done");
        await Expect(error).ToBeEmptyAsync();
        await Expect(page.Locator("#wf-save")).ToBeEnabledAsync();

        await page.ClickAsync("#wf-save");
        await Expect(page.Locator("#wf-status")).ToHaveTextAsync("Saved version 1.");
        var workflowId = page.Url.Split('/')[^1];
        Assert.StartsWith("wf_", workflowId);
        var saved = await (await host.Api().GetAsync($"/api/workflows/{workflowId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("{{trigger.input.amount}}", saved.GetProperty("steps")[0].GetProperty("input").GetProperty("amount").GetString());

        // Run it from the agent's Workflows tab: the refund is held for approval.
        await page.GotoAsync($"/agents/{agentId}?tab=workflows");
        var card = page.Locator($".workflow[data-workflow-id='{workflowId}']");
        await card.Locator("summary").ClickAsync();
        await Screenshots.SaveAsync(page, "agent-workflows");
        await card.Locator("textarea[name=runInput]").FillAsync("{\"charge\": \"ch_browser\", \"amount\": 7000}");
        await card.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/workflow-runs/wfr_*");
        await Expect(page.Locator("#workflow-run-status")).ToHaveTextAsync("awaiting approval");
        var approvalLink = page.Locator("tr[data-step-id=refund] a.approval-link");
        var approvalHref = await approvalLink.GetAttributeAsync("href");

        var approvalPage = await host.SignInAsync(approver, ApproverPassword);
        await approvalPage.GotoAsync(approvalHref!);
        await approvalPage.Locator("button[value=approve]").ClickAsync();
        await Expect(approvalPage.Locator("body")).ToContainTextAsync("Approved");

        // The run page, left open, follows the run to its end without a reload.
        await Expect(page.Locator("#workflow-run-status")).ToHaveTextAsync("completed", new LocatorAssertionsToHaveTextOptions { Timeout = 20_000 });
        foreach (var step in new[] { "refund", "note", "notify" })
        {
            await Expect(page.Locator($"tr[data-step-id={step}] .step-status")).ToHaveTextAsync("completed");
        }

        await Expect(page.Locator("tr[data-step-id=notify] .step-input")).ToContainTextAsync("Refund re_");
        await Expect(page.Locator("#cancel-run")).ToBeHiddenAsync();
        await Screenshots.SaveAsync(page, "workflow-run");
    }

    [Fact]
    public async Task A_test_run_shows_each_steps_rendered_input_and_decision_and_records_nothing()
    {
        var agentId = await host.Api().SeededAgentIdAsync();
        var created = await (await host.Api().PostAsJsonAsync($"/api/agents/{agentId}/workflows", new
        {
            name = "Browser dry run",
            steps = new object[]
            {
                new { id = "refund", actionType = "refund.create", input = new { charge = "{{trigger.input.charge}}", amount = "{{trigger.input.amount}}" } },
                new { id = "notify", actionType = "slack.post_message", when = "trigger.input.amount > 5000", input = new { channel = "#refunds", text = "{{steps.refund.output.id}}" } },
            },
        })).JsonAsync(HttpStatusCode.Created);
        var workflowId = created.GetProperty("id").GetString()!;

        var page = await host.SignInAsync();
        await page.GotoAsync($"/agents/{agentId}/workflows/{workflowId}");
        await Expect(page.Locator("[data-field='steps[1].when']")).ToHaveValueAsync("trigger.input.amount > 5000");
        await page.FillAsync("#wf-test-input", "{\"charge\": \"ch_dry\", \"amount\": 1200}");
        await page.ClickAsync("#wf-test");
        var refund = page.Locator("#wf-test-result tr[data-step-id=refund]");
        await Expect(refund.Locator(".outcome")).ToContainTextAsync("allow");
        await Expect(refund).ToContainTextAsync("\"amount\": 1200");
        await Expect(refund).ToContainTextAsync("simulated");
        await Screenshots.SaveAsync(page, "workflow-test-run");
        await Expect(page.Locator("#wf-test-result tr[data-step-id=notify] .outcome")).ToContainTextAsync("skipped");

        // The script endpoints need the page's antiforgery token as well as the session cookie.
        var forged = await page.EvaluateAsync<int>($"() => fetch('/dashboard/workflows/{workflowId}/test-run', {{ method: 'POST', " +
            "headers: { 'Content-Type': 'application/json' }, body: '{}' }).then(r => r.status)");
        Assert.Equal(400, forged);

        var runs = await (await host.Api().GetAsync($"/api/workflows/{workflowId}/runs")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, runs.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_webhook_workflow_shows_its_secret_url_once_after_the_save_that_made_it()
    {
        var agentId = await host.Api().SeededAgentIdAsync();
        var page = await host.SignInAsync();
        await page.GotoAsync($"/agents/{agentId}/workflows/new");
        await page.FillAsync("#wf-name", "Browser webhook flow");
        await Expect(page.Locator("#wf-cron")).ToBeHiddenAsync();
        await page.SelectOptionAsync("#wf-trigger", "schedule");
        await Expect(page.Locator("#wf-cron")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#wf-trigger", "webhook");
        await AddStepAsync(page, 0, null, "crm.note");
        await page.FillAsync("[data-field='steps[0].input']", "{\"text\": \"{{trigger.input.subject}}\"}");
        await Expect(page.Locator("#wf-save")).ToBeEnabledAsync();
        await page.ClickAsync("#wf-save");

        var url = page.Locator("#wf-webhook-url");
        await Expect(url).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(host.BaseUrl)}/hooks/workflows/wf_"));
        // Saving again keeps the same secret and never shows it again.
        await page.Locator("[data-field='steps[0].id']").FillAsync("note");
        await page.ClickAsync("#wf-save");
        await Expect(page.Locator("#wf-status")).ToHaveTextAsync("Saved version 2.");
        await page.ReloadAsync();
        await Expect(page.Locator("#wf-webhook")).ToBeHiddenAsync();
        await Expect(page.Locator("#wf-trigger")).ToHaveValueAsync("webhook");
    }

    [Fact]
    public async Task An_admin_cancels_a_run_held_for_approval_from_its_page()
    {
        await host.Api().CreatePolicyAsync("Browser cancel flow holds", "workflow.name = 'Browser cancel flow'", "require_approval");
        var agentId = await host.Api().SeededAgentIdAsync();
        var workflowId = (await (await host.Api().PostAsJsonAsync($"/api/agents/{agentId}/workflows", new
        {
            name = "Browser cancel flow",
            steps = new object[] { new { id = "hold", actionType = "crm.note", input = new { text = "x" } }, new { id = "after", actionType = "crm.note", input = new { } } },
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var started = await (await host.Api(DashboardHost.AgentKey).PostAsJsonAsync($"/api/workflows/{workflowId}/runs", new { input = new { } }))
            .JsonAsync(HttpStatusCode.Accepted);

        var page = await host.SignInAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync($"/workflow-runs/{started.GetProperty("workflowRunId").GetString()}");
        await Expect(page.Locator("#workflow-run-status")).ToHaveTextAsync("awaiting approval");
        await page.ClickAsync("#cancel-run button");
        await Expect(page.Locator("#workflow-run-status")).ToHaveTextAsync("cancelled");
        await Expect(page.Locator("tr[data-step-id=after] .step-status")).ToHaveTextAsync("skipped");
        await Expect(page.Locator("#cancel-run")).ToHaveCountAsync(0);

        await page.ClickAsync(".crumbs a:text('Runs')");
        await Expect(page.Locator($"#workflow-runs tr[data-workflow-run-id='{started.GetProperty("workflowRunId").GetString()}']")).ToContainTextAsync("cancelled");
    }

    [Fact]
    public async Task A_viewer_reads_and_tests_workflows_but_cannot_change_or_run_them()
    {
        var viewer = await host.Api().AddMemberAsync("viewer");
        var agentId = await host.Api().SeededAgentIdAsync();
        var workflowId = (await (await host.Api().PostAsJsonAsync($"/api/agents/{agentId}/workflows", new
        {
            name = "Browser viewer flow",
            steps = new object[] { new { id = "note", actionType = "crm.note", input = new { text = "{{trigger.input.subject}}" } } },
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var page = await host.SignInAsync(viewer, "a long enough password");
        await page.GotoAsync($"/agents/{agentId}?tab=workflows");
        var card = page.Locator($".workflow[data-workflow-id='{workflowId}']");
        await Expect(card).ToContainTextAsync("View");
        await Expect(page.Locator("#new-workflow")).ToHaveCountAsync(0);
        await Expect(card.Locator("textarea[name=runInput]")).ToHaveCountAsync(0);

        await page.GotoAsync($"/agents/{agentId}/workflows/{workflowId}");
        await Expect(page.Locator("[data-field='steps[0].input']")).ToBeDisabledAsync();
        await Expect(page.Locator("#wf-save")).ToHaveCountAsync(0);
        await Expect(page.Locator("button.add-step")).ToHaveCountAsync(0);
        await page.FillAsync("#wf-test-input", "{\"subject\": \"hello\"}");
        await page.ClickAsync("#wf-test");
        await Expect(page.Locator("#wf-test-result tr[data-step-id=note]")).ToContainTextAsync("hello");

        // Saving with the page's own token is still refused: the endpoint wants an admin.
        var status = await page.EvaluateAsync<int>($"() => window.portcullis.postJson('/dashboard/workflows/{workflowId}', " +
            "{ name: 'x', steps: [{ id: 'a', actionType: 'x.y' }] }).then(r => r.status)");
        Assert.Equal(403, status);
    }

    /// <summary>Clicks the + at <paramref name="position"/> and picks a built-in action, or adds a custom action type.</summary>
    private static async Task AddStepAsync(IPage page, int position, string? actionType, string? custom = null)
    {
        await page.Locator("button.add-step").Nth(position).ClickAsync();
        var picker = page.Locator("#wf-picker");
        await Expect(picker).ToBeVisibleAsync();
        if (actionType is not null)
        {
            await picker.Locator($".pick-action[data-action-type='{actionType}']").ClickAsync();
        }
        else
        {
            await picker.Locator("input").First.FillAsync(custom!);
            await picker.GetByText("Add custom action").ClickAsync();
        }

        await Expect(page.Locator("li.step")).ToHaveCountAsync(position + 1);
    }
}
