using System.Net;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>The Connect dialog of the spec, walked from an agent's Integrations tab.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ConnectDialogTests(DashboardHost host)
{
    [Fact]
    public async Task A_service_card_opens_the_dialog_whose_new_tab_shows_the_guide_and_verifies_before_saving()
    {
        const string secret = "sk_test_51DialogBrowserSecretValue8a7b6060";
        var agentId = await NewAgentAsync("Dialog walker");
        var page = await host.SignInAsync();
        await page.GotoAsync($"/agents/{agentId}?tab=integrations");

        await page.Locator("#provider-stripe").ClickAsync();
        var dialog = page.Locator("dialog#connect-stripe");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator("[role=tab][data-pane=new]")).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(dialog.Locator(".setup-guide")).ToContainTextAsync("In the Stripe Dashboard open Developers → API keys");
        var credentialsBefore = await CredentialCountAsync();

        await dialog.Locator("input[name=apiKey]").FillAsync("hello");
        await dialog.Locator("button:text('Verify Connection')").ClickAsync();
        await Expect(dialog.Locator(".verify-result.alert.error")).ToContainTextAsync("Not verified");
        await Expect(dialog.Locator(".field-error[data-field='secrets.apiKey']")).ToContainTextAsync("must be a Stripe secret key");
        await Expect(dialog.Locator(".verify-result.alert.ok")).ToHaveCountAsync(0);

        await dialog.Locator("input[name=apiKey]").FillAsync(secret);
        await dialog.Locator("button:text('Verify Connection')").ClickAsync();
        await Expect(dialog.Locator(".verify-result.alert.ok")).ToContainTextAsync("demo mode (simulated, nothing sent to Stripe)");
        await Expect(dialog.Locator(".verify-result.alert.error")).ToHaveCountAsync(0);
        await Expect(dialog.Locator(".field-error[data-field='secrets.apiKey']")).ToBeEmptyAsync();
        Assert.Equal(credentialsBefore, await CredentialCountAsync());
        await Screenshots.SaveAsync(page, "connect-dialog");

        await dialog.Locator("input[name=name]").FillAsync("Stripe from the dialog");
        await dialog.Locator("button[type=submit]:text('Connect')").ClickAsync();
        await page.WaitForURLAsync("**?tab=integrations");
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("Connected Stripe from the dialog (Stripe, sk_…6060).");
        await Expect(page.Locator(".credential", new PageLocatorOptions { HasText = "Stripe from the dialog" })).ToContainTextAsync("sk_…6060");
        Assert.Equal(credentialsBefore + 1, await CredentialCountAsync());
        Assert.DoesNotContain(secret[8..24], await page.ContentAsync());
        await Expect(page.Locator("#provider-stripe .badge")).ToHaveTextAsync("connected");
    }

    [Fact]
    public async Task Verify_in_the_dialog_shows_a_live_failure_as_a_failure_and_a_reachable_endpoint_as_verified()
    {
        var agentId = await NewAgentAsync("Live verifier");
        var page = await host.SignInAsync();
        try
        {
            await SetModeAsync("live");
            await page.GotoAsync($"/agents/{agentId}?tab=integrations");
            await page.Locator("#provider-webhook").ClickAsync();
            var dialog = page.Locator("dialog#connect-webhook");

            // Port 9 on loopback (an allowed target here) answers nothing: the provider call fails.
            await dialog.Locator("input[name=baseUrl]").FillAsync("http://127.0.0.1:9/hooks");
            await dialog.Locator("button:text('Verify Connection')").ClickAsync();
            await Expect(dialog.Locator(".verify-result.alert.error")).ToContainTextAsync("Verification failed");

            await dialog.Locator("input[name=baseUrl]").FillAsync($"{host.BaseUrl}/health");
            await dialog.Locator("button:text('Verify Connection')").ClickAsync();
            await Expect(dialog.Locator(".verify-result.alert.ok")).ToContainTextAsync("Connection verified: the webhook endpoint is reachable");
            await Expect(dialog.Locator(".verify-result.alert.error")).ToHaveCountAsync(0);
        }
        finally
        {
            await SetModeAsync("demo");
        }
    }

    [Fact]
    public async Task The_existing_tab_links_a_credential_to_a_second_agent_and_disconnect_confirms_then_only_unlinks()
    {
        var credentialId = (await (await host.Api().PostAsJsonAsync("/api/credentials", new
        {
            provider = "zendesk",
            name = "Shared support desk",
            secrets = new { subdomain = "acme", email = "ops@acme.example", apiToken = "zd_token_dialog_123456" },
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var agentId = await NewAgentAsync("Second agent");
        var page = await host.SignInAsync();
        await page.GotoAsync($"/agents/{agentId}?tab=integrations");

        await page.Locator("#provider-zendesk").ClickAsync();
        var dialog = page.Locator("dialog#connect-zendesk");
        await dialog.Locator("[role=tab][data-pane=existing]").ClickAsync();
        await Expect(dialog.Locator("[role=tabpanel][data-pane=new]")).ToBeHiddenAsync();
        var existing = dialog.Locator($".existing-credential[data-existing-id='{credentialId}']");
        await Expect(existing).ToContainTextAsync("Shared support desk");
        await Screenshots.SaveAsync(page, "connect-dialog-existing");
        await existing.Locator("button:text('Link')").ClickAsync();

        await page.WaitForURLAsync("**?tab=integrations");
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("Linked");
        var connected = page.Locator($".credential[data-credential-id='{credentialId}']");
        var disconnect = connected.Locator("button:text('Disconnect')");
        await Expect(disconnect).ToBeVisibleAsync();
        Assert.Contains(agentId, await LinkedAgentsAsync(credentialId));

        // Cancelling the confirmation changes nothing; accepting it unlinks and the credential stays.
        var accept = false;
        page.Dialog += (_, confirm) => _ = accept ? confirm.AcceptAsync() : confirm.DismissAsync();
        await disconnect.ClickAsync();
        await Expect(disconnect).ToBeVisibleAsync();
        Assert.Contains(agentId, await LinkedAgentsAsync(credentialId));
        accept = true;
        await disconnect.ClickAsync();
        await Expect(page.Locator(".alert.ok")).ToContainTextAsync("Disconnected");
        await Expect(page.Locator($".credential[data-credential-id='{credentialId}'] button:text('Link')")).ToBeVisibleAsync();
        Assert.DoesNotContain(agentId, await LinkedAgentsAsync(credentialId));

        // Without a click the same dialog is a URL: opened on its Existing tab, offering the link again.
        await page.GotoAsync($"/agents/{agentId}?tab=integrations&connect=zendesk&pane=existing");
        await Expect(dialog.Locator($".existing-credential[data-existing-id='{credentialId}'] button:text('Link')")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_refused_connect_reopens_its_dialog_with_the_field_error_and_no_secret_typed_back()
    {
        var agentId = await NewAgentAsync("Refused connect");
        var page = await host.SignInAsync();
        await page.GotoAsync($"/agents/{agentId}?tab=integrations");
        await page.Locator("#provider-twilio").ClickAsync();
        var dialog = page.Locator("dialog#connect-twilio");
        await dialog.Locator("input[name=accountSid]").FillAsync("AC123");
        await dialog.Locator("input[name=authToken]").FillAsync("twilio_auth_token_never_shown_again");
        await dialog.Locator("input[name=fromNumber]").FillAsync("+15005550006");
        await dialog.Locator("button[type=submit]:text('Connect')").ClickAsync();

        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator(".field-error[data-field='secrets.accountSid']")).ToContainTextAsync("must be a Twilio Account SID");
        await Expect(dialog.Locator("input[name=authToken]")).ToHaveValueAsync("");
        Assert.DoesNotContain("twilio_auth_token_never_shown_again", await page.ContentAsync());
    }

    [Fact]
    public async Task The_verify_script_endpoint_needs_the_page_token_and_an_admin_and_a_viewer_gets_no_connect_buttons()
    {
        var body = new { provider = "stripe", secrets = new { apiKey = "sk_test_ScriptEndpointCheck01" } };
        var owner = await host.SignInAsync();
        var noToken = await owner.APIRequest.PostAsync("/dashboard/credentials/verify", new APIRequestContextOptions { DataObject = body, MaxRedirects = 0 });
        Assert.Equal(400, noToken.Status);
        Assert.Contains("antiforgery_failed", await noToken.TextAsync());
        var verified = await PostWithTokenAsync(owner, body);
        Assert.Equal(200, verified.Status);
        Assert.DoesNotContain("ScriptEndpointCheck01", await verified.TextAsync());

        var email = await host.Api().AddMemberAsync("viewer");
        var viewer = await host.SignInAsync(email, "a long enough password");
        await viewer.GotoAsync($"/agents/{await host.Api().SeededAgentIdAsync()}?tab=integrations&connect=stripe");
        var dialog = viewer.Locator("dialog#connect-stripe");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator(".setup-guide")).ToBeVisibleAsync();
        await Expect(dialog.Locator("button:text('Verify Connection')")).ToHaveCountAsync(0);
        await Expect(dialog.Locator("button[type=submit]")).ToHaveCountAsync(0);
        Assert.Equal(403, (await PostWithTokenAsync(viewer, body)).Status);
    }

    private static async Task<IAPIResponse> PostWithTokenAsync(IPage page, object body)
    {
        var token = await page.GetAttributeAsync("meta[name=request-token]", "content");
        return await page.APIRequest.PostAsync("/dashboard/credentials/verify", new APIRequestContextOptions
        {
            DataObject = body,
            MaxRedirects = 0,
            Headers = new Dictionary<string, string> { ["RequestVerificationToken"] = token! },
        });
    }

    private async Task<string> NewAgentAsync(string name) =>
        (await (await host.Api().PostAsJsonAsync("/api/agents", new { name = $"{name} {Guid.NewGuid():n}"[..30] })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;

    private async Task<int> CredentialCountAsync() =>
        (await (await host.Api().GetAsync("/api/credentials")).JsonAsync(HttpStatusCode.OK)).GetArrayLength();

    private async Task<List<string?>> LinkedAgentsAsync(string credentialId) =>
        (await (await host.Api().GetAsync($"/api/credentials/{credentialId}")).JsonAsync(HttpStatusCode.OK))
            .GetProperty("linkedAgentIds").EnumerateArray().Select(a => a.GetString()).ToList();

    private async Task SetModeAsync(string mode) =>
        await (await host.Api().PatchAsJsonAsync("/api/workspace/settings", new { connectorMode = mode })).JsonAsync(HttpStatusCode.OK);
}
