using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portcullis.Server.Features.Workspaces;
using Portcullis.Server.Infrastructure.Http;

namespace Portcullis.Server.Infrastructure.Auth;

/// <summary>An authenticated agent request: who is calling and the parsed JSON body.</summary>
public sealed class AgentCall(AgentIdentity agent, JsonDocument? body) : IDisposable
{
    public AgentIdentity Agent { get; } = agent;

    public JsonElement Body => body?.RootElement ?? default;

    public void Dispose() => body?.Dispose();
}

/// <summary>
/// The front door of every agent endpoint, in a fixed order: body size and shape, key (header or
/// <c>agentKey</c> in the body), rate limit, billing lock.
/// </summary>
public sealed class AgentGate(AgentAuthenticator authenticator, AgentRateLimiter limiter, IOptions<LimitsOptions> limits, TimeProvider time)
{
    public readonly record struct Outcome(AgentCall? Call, IResult? Problem);

    public async Task<Outcome> EnterAsync(HttpContext http, bool readBody, bool enforceBilling)
    {
        var ct = http.RequestAborted;
        var key = BearerToken.From(http.Request);
        JsonBody.Result body = default;
        if (readBody)
        {
            body = await JsonBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, ct);
            if (key is null && body.Document is { } doc
                && doc.RootElement.TryGetProperty("agentKey", out var k) && k.ValueKind == JsonValueKind.String)
            {
                key = k.GetString();
            }
        }

        var agent = await authenticator.AuthenticateAsync(key, ct);
        if (agent is null)
        {
            body.Document?.Dispose();
            return new(null, Problems.Unauthorized());
        }

        var problem = Admit(http, agent, enforceBilling) ?? body.Problem;
        if (problem is not null)
        {
            body.Document?.Dispose();
            return new(null, problem);
        }

        return new(new AgentCall(agent, body.Document), null);
    }

    private IResult? Admit(HttpContext http, AgentIdentity agent, bool enforceBilling)
    {
        var (acquired, retryAfter) = limiter.TryAcquire(agent.KeyId);
        if (!acquired)
        {
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Create(429, ErrorCodes.RateLimited, "Too many requests",
                $"this API key is limited; retry after {seconds} s",
                new Dictionary<string, object?> { ["retryAfter"] = seconds });
        }

        if (enforceBilling && Billing.Evaluate(agent.Workspace, time.Now()) is { } locked)
        {
            return BillingLocked(locked);
        }

        return null;
    }

    public static ProblemHttpResult BillingLocked(Billing.Lock locked) =>
        Problems.Create(402, ErrorCodes.BillingLocked, "Billing locked",
            $"the workspace's billing is locked: {locked.Reason}",
            new Dictionary<string, object?>
            {
                ["billing"] = new Dictionary<string, string> { ["state"] = locked.State, ["reason"] = locked.Reason, ["recovery"] = locked.Recovery },
            });
}
