using System.Net;
using System.Net.Http.Json;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace Portcullis.Server.Tests.Infrastructure;

public static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);

    public static Task<HttpResponseMessage> PostRaw(this HttpClient client, string path, string body, string contentType = "application/json") =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> PatchJson(this HttpClient client, string path, object body) =>
        client.PatchAsJsonAsync(path, body);

    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Asserts a problem-details answer with <paramref name="status"/> and <paramref name="code"/>; returns its body.</summary>
    public static async Task<JsonElement> AssertProblem(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} but got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(text);
        var body = doc.RootElement.Clone();
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }

    /// <summary>Test servers' log sinks, so a 500 in any test shows the server's own account of it.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentBag<LogSink> Sinks = [];

    public static async Task AssertStatus(this HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            var errors = (int)response.StatusCode >= 500
                ? string.Join('\n', Sinks.SelectMany(s => s.Lines).Where(l => l.StartsWith("Error", StringComparison.Ordinal)).Take(3))
                : "";
            Assert.Fail($"expected {(int)status} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{errors}");
        }
    }
}
