using Portcullis.Server.Tests.Infrastructure;
using Portcullis.Storage;

namespace Portcullis.Server.Tests.Telemetry;

/// <summary>A server on a real port with <c>/metrics</c> on, behind a bearer token.</summary>
public sealed class PrometheusServer() : ServerFixture(StorageProvider.Sqlite)
{
    public const string MetricsToken = "metrics-token-for-tests-0123456789";

    protected override bool RealPort => true;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Portcullis:Telemetry:Prometheus:Enabled"] = "true",
        ["Portcullis:Telemetry:Prometheus:BearerToken"] = MetricsToken,
    };

    public HttpClient Http(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
