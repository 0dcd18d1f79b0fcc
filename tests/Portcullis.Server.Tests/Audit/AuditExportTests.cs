using System.Net;
using System.Text.Json;
using Portcullis.Server.Features.Audit;
using Portcullis.Server.Tests.Host;
using Portcullis.Server.Tests.Infrastructure;

namespace Portcullis.Server.Tests.Audit;

/// <summary><c>GET /api/audit/export</c> streams the chain as NDJSON that verifies offline, with no database.</summary>
public abstract class AuditExportTests(ServerFixture server)
{
    [Fact]
    public async Task An_export_carries_the_chain_fields_and_verifies_offline()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("one", "action_type = refund.create", "block");
        await ws.CreatePolicyAsync("two", "payload.amount > 5", "require_approval");

        var response = await ws.Owner().GetAsync("/api/audit/export");
        await response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(AuditExport.ContentType, response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 3);
        using (var first = JsonDocument.Parse(lines[0]))
        {
            Assert.Equal(1, first.RootElement.GetProperty("seq").GetInt64());
            Assert.Equal(new string('0', 64), first.RootElement.GetProperty("prevHash").GetString());
            Assert.Equal(64, first.RootElement.GetProperty("hash").GetString()!.Length);
        }

        var report = await ExportVerifier.VerifyAsync(new StringReader(string.Join('\n', lines)), CancellationToken.None);
        Assert.True(report.Ok, report.Workspaces.FirstOrDefault()?.FirstBad?.Detail ?? report.Error);
        Assert.Equal(lines.Length, report.Entries);
        Assert.Equal(ws.WorkspaceId, Assert.Single(report.Workspaces).WorkspaceId);
    }

    [Fact]
    public async Task An_edited_line_is_found_and_a_time_window_verifies_from_its_anchor()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("early", "action_type = a.b", "block");
        await Task.Delay(20);
        var cut = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await ws.CreatePolicyAsync("late", "action_type = c.d", "block");
        await ws.CreatePolicyAsync("later", "action_type = e.f", "block");

        var all = await ExportAsync(ws, "");
        var window = await ExportAsync(ws, "?from=" + Uri.EscapeDataString(cut.ToString("O")));
        Assert.True(window.Length >= 2 && window.Length < all.Length);
        var windowReport = await ExportVerifier.VerifyAsync(new StringReader(string.Join('\n', window)), CancellationToken.None);
        Assert.True(windowReport.Ok);
        var chain = Assert.Single(windowReport.Workspaces);
        Assert.True(chain.FirstSeq > 1);
        using (var before = JsonDocument.Parse(all[chain.FirstSeq - 2]))
        {
            Assert.Equal(before.RootElement.GetProperty("hash").GetString(), chain.AnchorHash);
        }

        var edited = all.ToArray();
        edited[1] = edited[1].Replace("\"actorType\":\"", "\"actorType\":\"x", StringComparison.Ordinal);
        var report = await ExportVerifier.VerifyAsync(new StringReader(string.Join('\n', edited)), CancellationToken.None);
        Assert.False(report.Ok);
        Assert.Equal(2, report.Workspaces[0].FirstBad!.Seq);
        Assert.Equal(AuditVerifier.HashMismatch, report.Workspaces[0].FirstBad!.Reason);
    }

    [Fact]
    public async Task A_malformed_time_is_a_validation_problem()
    {
        var ws = await server.NewWorkspaceAsync();
        var problem = await (await ws.Owner().GetAsync("/api/audit/export?from=yesterday")).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("from", problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_cli_verifies_an_export_file_and_fails_on_a_tampered_one()
    {
        var ws = await server.NewWorkspaceAsync();
        await ws.CreatePolicyAsync("one", "action_type = refund.create", "block");
        var lines = await ExportAsync(ws, "");
        var directory = Directory.CreateTempSubdirectory("portcullis-export-").FullName;
        var file = Path.Combine(directory, "export.ndjson");
        await File.WriteAllLinesAsync(file, lines);

        var (code, output) = await PortcullisProcess.RunAsync(directory, "audit", "verify", "--file", file);
        Assert.True(code == 0, output);
        Assert.Contains("\"ok\": true", output);

        lines[^1] = lines[^1].Replace("\"actorType\":\"", "\"actorType\":\"x", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(file, lines);
        (code, output) = await PortcullisProcess.RunAsync(directory, "audit", "verify", "--file", file);
        Assert.Equal(1, code);
        Assert.Contains(AuditVerifier.HashMismatch, output);
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<string[]> ExportAsync(TestWorkspace ws, string query)
    {
        var response = await ws.Owner().GetAsync("/api/audit/export" + query);
        await response.AssertStatus(HttpStatusCode.OK);
        return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}

public sealed class AuditExportSqliteTests(SqliteServer server) : AuditExportTests(server), IClassFixture<SqliteServer>;

public sealed class AuditExportPostgresTests(PostgresServer server) : AuditExportTests(server), IClassFixture<PostgresServer>;
