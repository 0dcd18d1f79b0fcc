using System.Net;
using System.Net.Http.Json;
using Portcullis.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

/// <summary>A form refused by its use case shows the very field errors the API gives for the same input.</summary>
[Collection(DashboardCollection.Name)]
public sealed class FormRefusalTests(DashboardHost host)
{
    [Fact]
    public async Task A_blank_agent_name_is_refused_beside_the_field_in_the_apis_words()
    {
        var page = await host.SignInAsync();
        await page.GotoAsync("/agents");
        await page.FillAsync("input[name=name]", "   ");
        await page.ClickAsync("button:text('Create agent')");

        await Expect(page.Locator(".alert.error")).ToContainTextAsync("The request has 1 invalid field.");
        var api = await (await host.Api().PostAsJsonAsync("/api/agents", new { name = "" })).JsonAsync(HttpStatusCode.BadRequest);
        var apiMessage = api.GetProperty("errors").GetProperty("name")[0].GetString()!;
        Assert.Equal("must not be empty", apiMessage);
        await Expect(page.Locator("label:has(input[name=name]) .field-error")).ToHaveTextAsync(apiMessage);
    }

    [Fact]
    public async Task Text_that_is_not_a_number_is_named_with_the_use_cases_own_errors_in_one_refusal()
    {
        var page = await host.SignInAsync();
        await page.GotoAsync("/policies/new");
        await page.FillAsync("input[name=name]", "   ");
        await page.FillAsync("#condition", "action_type = refund.create");
        await page.FillAsync("input[name=priority]", "high");
        await page.FillAsync("input[name=approvalsRequired]", "0");
        await Expect(page.Locator("#save")).ToBeEnabledAsync();
        var refused = page.WaitForURLAsync("**/policies/new?handler=Save", new PageWaitForURLOptions { Timeout = 30_000 });
        await page.ClickAsync("#save");
        await refused;
        await Expect(page.Locator(".alert.error")).ToContainTextAsync("The request has 3 invalid fields.");
        await Expect(page.Locator("label:has(input[name=name]) .field-error")).ToHaveTextAsync("must not be empty");
        await Expect(page.Locator("label:has(input[name=priority]) .field-error")).ToHaveTextAsync("must be an integer");
        await Expect(page.Locator("label:has(input[name=approvalsRequired]) .field-error")).ToHaveTextAsync("must be between 1 and 10");
        // What was typed stays in the form.
        await Expect(page.Locator("input[name=priority]")).ToHaveValueAsync("high");
    }
}
