namespace Portcullis.Client.Tests;

/// <summary>Answers as the Portcullis server sends them, with valid defaults.</summary>
internal static class Fixtures
{
    public const string AgentKey = "pk_live_test_0123456789";

    public static readonly Reply Unavailable = new()
    {
        Status = 503,
        // `Retry-After: 0` makes a retry immediate, so the tests do not wait out real backoff.
        Headers = new Dictionary<string, string> { ["Retry-After"] = "0" },
        Json = Problem(503, "unavailable", "try again"),
    };

    public static Dictionary<string, object?> Problem(int status, string code, string detail, Dictionary<string, object?>? extra = null)
    {
        var problem = new Dictionary<string, object?>
        {
            ["type"] = $"https://portcullis.dev/problems/{code}",
            ["title"] = code,
            ["status"] = status,
            ["code"] = code,
            ["detail"] = detail,
        };
        foreach (var (key, value) in extra ?? [])
        {
            problem[key] = value;
        }

        return problem;
    }

    /// <summary>A provider's failure, as the server records it on the execution.</summary>
    public static Dictionary<string, object?> CardDeclined() => new()
    {
        ["code"] = "card_declined",
        ["message"] = "Your card was declined.",
        ["provider_status"] = 402,
        ["provider_request_id"] = "req_1",
    };

    public static Dictionary<string, object?> Execution(string status = "executed", object? error = null) => new()
    {
        ["id"] = "exe_1",
        ["status"] = status,
        ["provider"] = "stripe",
        ["action_type"] = "refund.create",
        ["attempts"] = 1,
        ["simulated"] = true,
        ["started_at"] = "2026-11-21T22:44:02.123Z",
        ["completed_at"] = "2026-11-21T22:44:02.456Z",
        ["error"] = error,
        ["response_payload"] = new { id = "re_1", @object = "refund", amount = 7999 },
    };

    public static Dictionary<string, object?> ActionAnswer(string decision, Dictionary<string, object?>? extra = null)
    {
        var answer = new Dictionary<string, object?>
        {
            ["decision"] = decision,
            ["reason"] = "because",
            ["actionRequestId"] = "act_1",
            ["matchedPolicies"] = new[] { new { id = "pol_1", name = "small refunds", decision, reason = "because", priority = 0 } },
        };
        foreach (var (key, value) in extra ?? [])
        {
            answer[key] = value;
        }

        return answer;
    }

    public static Dictionary<string, object?> Approval(string status = "pending", object? execution = null) => new()
    {
        ["id"] = "apr_1",
        ["status"] = status,
        ["actionRequestId"] = "act_1",
        ["runId"] = "run_1",
        ["actionType"] = "refund.create",
        ["provider"] = "stripe",
        ["approvalsRequired"] = 1,
        ["approvalsReceived"] = status == "approved" ? 1 : 0,
        ["createdAt"] = "2026-11-21T22:44:02.123Z",
        ["expiresAt"] = "2026-11-22T22:44:02.123Z",
        ["decidedAt"] = status == "pending" ? null : "2026-11-21T23:00:00Z",
        ["comment"] = null,
        ["decidedBy"] = status == "pending" ? null : "usr_1",
        ["policyRevision"] = 12,
        ["execution"] = execution,
    };

    public static Dictionary<string, object?> Run(string status = "completed") => new()
    {
        ["runId"] = "run_1",
        ["status"] = status,
        ["agentId"] = "agt_1",
        ["triggerType"] = "support-ticket",
        ["externalRef"] = "TKT-1042",
        ["agentVersion"] = null,
        ["triggeredBy"] = null,
        ["startedAt"] = "2026-11-21T22:44:02.123Z",
        ["endedAt"] = "2026-11-21T22:45:02.123Z",
    };

    public static Reply Json(object body, int status = 200) => new() { Status = status, Json = body };
}
