using Portcullis.Server.Features.Audit;
using Portcullis.Server.Infrastructure;
using Portcullis.Server.Infrastructure.Auth;
using Portcullis.Server.Infrastructure.Http;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Change the actor's workspace settings; members of <see cref="Patch"/> left null stay as they are.</summary>
public sealed record UpdateSettingsCommand(Member Actor, SettingsPatch Patch);

public abstract record UpdateSettingsResult
{
    private UpdateSettingsResult()
    {
    }

    public sealed record Updated(SettingsDto Settings) : UpdateSettingsResult;

    public sealed record Invalid(FieldErrors Errors) : UpdateSettingsResult;

    /// <summary>The patch touches billing and the actor is not an owner.</summary>
    public sealed record Forbidden(string Detail) : UpdateSettingsResult;
}

/// <summary>Changing settings and billing: the one use case behind <c>PATCH /api/workspace/settings</c> and the dashboard's Settings and Billing forms.</summary>
public sealed class UpdateSettings(Database database, AuditTrail audit, TimeProvider time)
{
    /// <param name="unread">Fields the transport could not read (wrong type); the use case adds its own errors to them.</param>
    public async Task<UpdateSettingsResult> ExecuteAsync(UpdateSettingsCommand command, FieldErrors? unread, CancellationToken ct)
    {
        var errors = unread ?? new FieldErrors();
        var patch = command.Patch.Validate(errors).WithBillingDefaults(time.Now());
        if (errors.Any)
        {
            return new UpdateSettingsResult.Invalid(errors);
        }

        // Billing is the owner's business alone.
        var actor = command.Actor;
        if (patch.TouchesBilling && actor.Role < Role.Owner)
        {
            return new UpdateSettingsResult.Forbidden("only an owner can change billing");
        }

        var updated = await database.WriteAsync(async (c, t) =>
        {
            await patch.ApplyAsync(c, t, actor.WorkspaceId);
            await audit.AppendAsync(c, t, actor.WorkspaceId, Actor.User(actor.UserId), "settings.updated", "workspace", actor.WorkspaceId, patch);
            return await WorkspaceStore.FindAsync(c, actor.WorkspaceId, t);
        }, ct);

        return new UpdateSettingsResult.Updated(updated!.ToSettings(time.Now()));
    }
}
