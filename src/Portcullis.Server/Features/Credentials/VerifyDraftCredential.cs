using Dapper;
using Portcullis.Connectors;
using Portcullis.Connectors.Security;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Credentials;

/// <summary>Try the secrets typed into a Connect form before they are saved. <see cref="Secrets"/> as in <see cref="CreateCredentialCommand"/>.</summary>
public sealed record VerifyDraftCommand(Member Actor, string? Provider, IReadOnlyDictionary<string, string?>? Secrets);

public abstract record VerifyDraftResult
{
    private VerifyDraftResult()
    {
    }

    /// <summary>The provider answered (or refused); <c>Simulated</c> in demo mode, where nothing is sent. <c>VerifiedAt</c> in Unix ms.</summary>
    public sealed record Checked(bool Ok, string Message, int? ProviderStatus, long VerifiedAt, bool Simulated) : VerifyDraftResult;

    public sealed record Invalid(FieldErrors Errors) : VerifyDraftResult;

    /// <summary>A URL field the outbound guard refuses: nothing was sent.</summary>
    public sealed record UrlNotAllowed(string Field, string Reason) : VerifyDraftResult;
}

/// <summary>
/// Verify Connection for a draft: the one use case behind <c>POST /api/credentials/verify</c> and the Connect dialog's
/// Verify button. The same checks and the same cheap provider call as for a saved credential, but nothing is stored:
/// no credential, no verification result, no audit entry (a draft changes nothing), and the secrets are dropped after the call.
/// </summary>
public sealed partial class VerifyDraftCredential(Database database, ConnectorRunner runner, OutboundGuard guard, TimeProvider time, ILogger<VerifyDraftCredential> logger)
{
    public async Task<VerifyDraftResult> ExecuteAsync(VerifyDraftCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var provider = CredentialDraft.Provider(errors, command.Provider);
        var secrets = CredentialDraft.Secrets(errors, provider, command.Secrets);
        if (errors.Any)
        {
            return new VerifyDraftResult.Invalid(errors);
        }

        if (await CredentialDraft.UrlProblemAsync(guard, provider!, secrets!, ct) is { } refused)
        {
            return new VerifyDraftResult.UrlNotAllowed(refused.Field, refused.Reason);
        }

        var ws = command.Actor.WorkspaceId;
        // The id is the connector's rate-limit key: every draft of a workspace shares one budget, so a form cannot hammer a provider.
        var draft = new CredentialSecrets($"draft_{ws}", provider!, secrets!);
        var demo = await IsDemoAsync(ws, ct);
        var result = demo ? ConnectorRunner.VerifyDemo(draft) : await runner.VerifyAsync(draft, ct);
        LogVerified(logger, provider!, ws, result.Ok, demo);
        return new VerifyDraftResult.Checked(result.Ok, result.Message, result.ProviderStatus, time.Now(), demo);
    }

    private async Task<bool> IsDemoAsync(string ws, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<string>("SELECT connector_mode FROM workspaces WHERE id = @ws", new { ws }) == Actions.ActionDispatcher.DemoMode;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft {Provider} credential verified for workspace {WorkspaceId}: ok {Ok}, simulated {Simulated}")]
    private static partial void LogVerified(ILogger logger, string provider, string workspaceId, bool ok, bool simulated);
}
