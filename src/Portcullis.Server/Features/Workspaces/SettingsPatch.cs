using System.Data.Common;
using System.Text;
using Dapper;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>A partial change to a workspace's settings; null members stay as they are.</summary>
public sealed record SettingsPatch
{
    public static readonly string[] Decisions = ["allow", "allow_with_alert", "require_approval", "block"];
    public static readonly string[] ConnectorModes = ["demo", "live"];

    public string? DefaultDecision { get; init; }
    public string? ConnectorMode { get; init; }
    public long? ApprovalExpirySeconds { get; init; }
    public bool? ForbidSelfApproval { get; init; }
    public string? BillingState { get; init; }
    public long? BillingTrialEndsAt { get; init; }
    public long? BillingPastDueSince { get; init; }
    public long? BillingGraceDays { get; init; }

    public bool TouchesBilling => BillingState is not null || BillingTrialEndsAt is not null || BillingPastDueSince is not null || BillingGraceDays is not null;

    /// <summary>Reads a PATCH body checking JSON types (and timestamps' format) only: the rules are <see cref="Validate"/>'s.</summary>
    public static SettingsPatch Read(JsonFields f)
    {
        var patch = new SettingsPatch
        {
            DefaultDecision = f.Text("defaultDecision"),
            ConnectorMode = f.Text("connectorMode"),
            ApprovalExpirySeconds = f.Integer("approvalExpirySeconds"),
            ForbidSelfApproval = f.Boolean("forbidSelfApproval"),
        };
        if (f.Object("billing") is { } billing)
        {
            var b = new JsonFields(billing, f.Errors, f.Path("billing"));
            patch = patch with
            {
                BillingState = b.Text("state"),
                BillingTrialEndsAt = b.Timestamp("trialEndsAt"),
                BillingPastDueSince = b.Timestamp("pastDueSince"),
                BillingGraceDays = b.Integer("graceDays"),
            };
        }

        return patch;
    }

    /// <summary>This patch with its rules applied: each bad field is named in <paramref name="errors"/> and left out.</summary>
    public SettingsPatch Validate(FieldErrors errors) => this with
    {
        DefaultDecision = errors.OneOf("defaultDecision", DefaultDecision, Decisions),
        ConnectorMode = errors.OneOf("connectorMode", ConnectorMode, ConnectorModes),
        ApprovalExpirySeconds = errors.Between("approvalExpirySeconds", ApprovalExpirySeconds, 60, 30L * 86_400),
        BillingState = errors.OneOf("billing.state", BillingState, Billing.States),
        BillingGraceDays = errors.Between("billing.graceDays", BillingGraceDays, 0, 365),
    };

    /// <summary>Fills the dates a state needs when the caller gave none.</summary>
    public SettingsPatch WithBillingDefaults(long nowMs) => BillingState switch
    {
        Billing.PastDue when BillingPastDueSince is null => this with { BillingPastDueSince = nowMs },
        Billing.Trialing when BillingTrialEndsAt is null => this with { BillingTrialEndsAt = nowMs + 14 * 86_400_000L },
        _ => this,
    };

    public async Task<int> ApplyAsync(DbConnection connection, DbTransaction transaction, string workspaceId)
    {
        var sql = new StringBuilder("UPDATE workspaces SET id = id");
        var args = new DynamicParameters(new { workspaceId });
        Set(sql, args, "default_decision", DefaultDecision);
        Set(sql, args, "connector_mode", ConnectorMode);
        Set(sql, args, "approval_expiry_seconds", ApprovalExpirySeconds);
        Set(sql, args, "forbid_self_approval", ForbidSelfApproval);
        Set(sql, args, "billing_state", BillingState);
        Set(sql, args, "billing_trial_ends_at", BillingTrialEndsAt);
        Set(sql, args, "billing_past_due_since", BillingPastDueSince);
        Set(sql, args, "billing_grace_days", BillingGraceDays);
        sql.Append(" WHERE id = @workspaceId");
        return await connection.ExecuteAsync(sql.ToString(), args, transaction);
    }

    private static void Set(StringBuilder sql, DynamicParameters args, string column, object? value)
    {
        if (value is not null)
        {
            sql.Append(", ").Append(column).Append(" = @").Append(column);
            args.Add(column, value);
        }
    }
}
