using System.Text.Json;
using System.Text.Json.Nodes;
using Portcullis.Connectors.Demo;

namespace Portcullis.Connectors;

public sealed partial class ConnectorRunner
{
    /// <summary>
    /// Verify Connection in demo mode: no call leaves Portcullis. The credential's fields are checked against the
    /// provider's declared shapes, and the answer says that nothing was sent.
    /// </summary>
    public static VerifyResult VerifyDemo(CredentialSecrets credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (ConnectorCatalog.Find(credential.Provider) is not { } descriptor)
        {
            return new VerifyResult(false, $"`{credential.Provider}` is not a known provider", null);
        }

        var problems = descriptor.CredentialFields
            .Where(f => f.Check is not null && credential.Get(f.Name) is not null)
            .Select(f => f.Check!(credential.Get(f.Name)!) is { } problem ? $"`{f.Name}` {problem}" : null)
            .OfType<string>().ToList();
        return problems.Count > 0
            ? new VerifyResult(false, $"demo mode (simulated, nothing sent): {string.Join("; ", problems)}", null)
            : new VerifyResult(true, $"demo mode (simulated, nothing sent to {descriptor.DisplayName}): the credential looks well-formed; switch the workspace to live mode to verify it with {descriptor.DisplayName}", null);
    }

    /// <summary>
    /// Demo mode: validates the payload like live mode, then answers with a realistic provider-shaped
    /// response marked <c>Simulated</c>. Ids derive from a hash of the action request id and payload, so the
    /// same request always gets the same answer; timestamps come from <paramref name="time"/>.
    /// </summary>
    public static ConnectorResult ExecuteDemo(ConnectorRequest request, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetUtcNow();
        var (connector, model, problem) = Resolve(request);
        if (problem is not null)
        {
            return Failed(problem, null, 0, true, started, started);
        }

        var ids = new DemoIds(request.ActionRequestId, request.ActionType, request.Payload);
        var credential = request.Credential ?? new CredentialSecrets("demo", connector!.Provider, new Dictionary<string, string>());
        var context = new CallContext(request.ActionRequestId, request.ActionType, model!, credential, DemoOptions, started);
        var payload = JsonSerializer.SerializeToElement<JsonNode>(connector!.Demo(context, ids));
        var completed = started.AddMilliseconds(ids.Number("latency", 120, 480));
        return new ConnectorResult(true, payload, null, 0, true, started, completed);
    }
}
