using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Portcullis.Server.Features.Mcp;

/// <summary>
/// A plain 2026-07-28 <c>tools/call</c>, read for <see cref="McpDirectCalls"/>. Only a request whose every part is known
/// and well formed is read; anything else (another method or protocol version, a session, <c>Mcp-Param-*</c> headers, a
/// base64-wrapped name, a property the SDK would interpret, a duplicate key anywhere, a progress token, a malformed
/// envelope) is declined and goes to the SDK, which answers it exactly as before, errors included.
/// </summary>
public sealed class McpDirectRequest : IDisposable
{
    private const string ProtocolVersion = "2026-07-28";
    private const string Method = "tools/call";
    private const string ProtocolVersionKey = "io.modelcontextprotocol/protocolVersion";
    private const string ClientInfoKey = "io.modelcontextprotocol/clientInfo";
    private const string ClientCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities";
    private const string ReservedPrefix = "io.modelcontextprotocol/";

    private readonly JsonDocument _document;

    private McpDirectRequest(JsonDocument document) => _document = document;

    /// <summary>The JSON-RPC id, a string or an integer, echoed as it came.</summary>
    public JsonElement Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The arguments as the SDK hands them to a handler; null when the call has none.</summary>
    public Dictionary<string, JsonElement>? Arguments { get; private set; }

    public JsonElement Meta { get; private set; }

    public McpClientKey Client { get; private set; } = null!;

    /// <summary>The request's own client capabilities declare the tasks extension.</summary>
    public bool DeclaresTasks { get; private set; }

    /// <summary>The headers a plain call carries, checked before its body is read.</summary>
    public static bool HeadersFit(HttpRequest request, long maxBodyBytes)
    {
        var headers = request.Headers;
        if (request.ContentLength > maxBodyBytes
            || !Single(headers["MCP-Protocol-Version"], ProtocolVersion)
            || !Single(headers["Mcp-Method"], Method)
            || headers["Mcp-Name"].Count != 1
            || headers.ContainsKey("Mcp-Session-Id")
            || !MediaTypeHeaderValue.TryParse(headers.ContentType.ToString(), out var contentType)
            || !contentType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var accept = request.GetTypedHeaders().Accept;
        if (!accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            || !accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        foreach (var header in headers)
        {
            if (header.Key.StartsWith("Mcp-Param-", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The call, or null to leave the request to the SDK.</summary>
    public static McpDirectRequest? TryRead(byte[] body, string nameHeader)
    {
        JsonDocument document;
        try
        {
            // JsonDocument would keep duplicate keys, which the SDK's readers treat in their own ways: such a request is theirs.
            document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            return null;
        }

        var request = new McpDirectRequest(document);
        if (request.Read(document.RootElement, nameHeader.Trim()))
        {
            return request;
        }

        document.Dispose();
        return null;
    }

    public void Dispose() => _document.Dispose();

    private bool Read(JsonElement root, string nameHeader)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        JsonElement parameters = default;
        var seen = 0;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var ok = property.Name switch
            {
                "jsonrpc" => value.ValueKind == JsonValueKind.String && value.ValueEquals("2.0"),
                "method" => value.ValueKind == JsonValueKind.String && value.ValueEquals(Method),
                "id" => value.ValueKind == JsonValueKind.String || value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
                "params" => value.ValueKind == JsonValueKind.Object,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }

            seen++;
            if (property.NameEquals("id"))
            {
                Id = value;
            }
            else if (property.NameEquals("params"))
            {
                parameters = value;
            }
        }

        return seen == 4 && ReadParams(parameters, nameHeader);
    }

    private bool ReadParams(JsonElement parameters, string nameHeader)
    {
        foreach (var property in parameters.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "name" when value.ValueKind == JsonValueKind.String:
                    Name = value.GetString()!;
                    break;
                case "arguments" when value.ValueKind == JsonValueKind.Object:
                    Arguments = [];
                    foreach (var argument in value.EnumerateObject())
                    {
                        Arguments[argument.Name] = argument.Value;
                    }

                    break;
                case "_meta" when value.ValueKind == JsonValueKind.Object:
                    Meta = value;
                    break;
                default:
                    return false;
            }
        }

        // The SDK checks Mcp-Name against the body; a mismatch is its error to answer.
        return Name.Length > 0 && string.Equals(Name, nameHeader, StringComparison.Ordinal)
            && Meta.ValueKind == JsonValueKind.Object && ReadMeta(Meta);
    }

    private bool ReadMeta(JsonElement meta)
    {
        var envelope = 0;
        foreach (var property in meta.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case ProtocolVersionKey when value.ValueKind == JsonValueKind.String && value.ValueEquals(ProtocolVersion):
                    envelope++;
                    break;
                case ClientInfoKey when ReadClientInfo(value):
                    envelope++;
                    break;
                case ClientCapabilitiesKey when ReadCapabilities(value):
                    envelope++;
                    break;
                case "progressToken":
                    return false;
                case var name when name.StartsWith(ReservedPrefix, StringComparison.Ordinal):
                    return false;
            }
        }

        return envelope == 3;
    }

    private bool ReadClientInfo(JsonElement info)
    {
        if (info.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        string? name = null, version = null;
        foreach (var property in info.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            switch (property.Name)
            {
                case "name":
                    name = property.Value.GetString();
                    break;
                case "version":
                    version = property.Value.GetString();
                    break;
                case "title" or "description" or "websiteUrl":
                    break;
                default:
                    return false;
            }
        }

        if (name is null || version is null)
        {
            return false;
        }

        Client = McpClientKey.ForClient(name, version);
        return true;
    }

    // Every capability is an object; only the extensions matter here (the tasks extension).
    private bool ReadCapabilities(JsonElement capabilities)
    {
        if (capabilities.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var property in capabilities.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (property.NameEquals("extensions"))
            {
                DeclaresTasks = property.Value.TryGetProperty(Tasks.McpTaskExtension.Id, out _);
            }
        }

        return true;
    }

    private static bool Single(StringValues values, string expected) =>
        values.Count == 1 && string.Equals(values[0]?.Trim(), expected, StringComparison.Ordinal);
}
