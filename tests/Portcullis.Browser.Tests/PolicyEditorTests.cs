using System.Net;
using Portcullis.Browser.Tests.Infrastructure;
using Portcullis.Policies;
using static Microsoft.Playwright.Assertions;

namespace Portcullis.Browser.Tests;

[Collection(DashboardCollection.Name)]
public sealed class PolicyEditorTests(DashboardHost host)
{
    [Fact]
    public async Task A_syntax_error_is_shown_at_its_line_and_column_as_you_type_and_cannot_be_saved()
    {
        var page = await host.SignInAsync();
        await page.GotoAsync("/policies/new");
        await page.FillAsync("input[name=name]", "Large refunds need a human");
        const string broken = "action_type = refund.create AND\npayload.amount >> 5000";
        await page.FillAsync("#condition", broken);

        var expected = PolicyCondition.Parse(broken).Diagnostics[0];
        var shown = page.Locator("#diagnostics .diagnostic").First;
        await Expect(shown.Locator(".position")).ToHaveTextAsync($"line {expected.Line}, column {expected.Column}");
        await Expect(shown.Locator(".message")).ToHaveTextAsync(expected.Message);
        await Expect(shown.Locator(".excerpt")).ToHaveTextAsync(expected.Excerpt);
        // The mark in the editor sits at that very line and column.
        var markOffset = await page.EvaluateAsync<int>(
            "() => { const m = document.querySelector('#condition-marks mark'); const r = document.createRange(); " +
            "r.setStart(document.getElementById('condition-marks'), 0); r.setEndBefore(m); return r.toString().length; }");
        Assert.Equal(OffsetOf(broken, expected.Line, expected.Column), markOffset);
        await Expect(page.Locator("#save")).ToBeDisabledAsync();
        await Screenshots.SaveAsync(page, "policy-editor-diagnostic");

        // Going around the disabled button, the server refuses it as well, at the same place.
        // The waiter is attached before the submit, so a fast answer cannot slip past it; a busy CI machine gets 30 s.
        var refused = page.WaitForURLAsync("**/policies/new?handler=Save", new PageWaitForURLOptions { Timeout = 30_000 });
        await page.EvalOnSelectorAsync("#policy-form", "form => form.submit()");
        await refused;
        await Expect(page.Locator(".alert.error")).ToContainTextAsync("The condition has 1 problem");
        await Expect(page.Locator("#diagnostics .diagnostic .position").First).ToHaveTextAsync($"line {expected.Line}, column {expected.Column}");
        var policies = await (await host.Api().GetAsync("/api/policies")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(policies.EnumerateArray(), p => p.GetProperty("name").GetString() == "Large refunds need a human");

        await page.FillAsync("#condition", "action_type = refund.create AND\npayload.amount > 5000");
        await Expect(page.Locator("#diagnostics .diagnostic")).ToHaveCountAsync(0);
        await Expect(page.Locator("#save")).ToBeEnabledAsync();
        await page.ClickAsync("#simulate");
        await Expect(page.Locator("#simulation")).ToContainTextAsync("Replayed");
        await page.ClickAsync("#save");
        await page.WaitForURLAsync("**/policies/pol_*");
        await Expect(page.Locator(".alert.ok")).ToHaveTextAsync("Created Large refunds need a human.");
        await Expect(page.Locator("table.list tbody tr")).ToHaveCountAsync(1); // version history: v1
    }

    private static int OffsetOf(string text, int line, int column)
    {
        var offset = 0;
        for (var l = 1; l < line; l++)
        {
            offset = text.IndexOf('\n', offset) + 1;
        }

        return offset + column - 1;
    }
}
