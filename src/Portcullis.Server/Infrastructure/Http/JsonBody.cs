using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Portcullis.Server.Infrastructure.Http;

/// <summary>
/// Reads a request body as one JSON object, enforcing the size limit before parsing anything.
/// Handlers parse by hand rather than model-binding so that every wrong field type is reported by
/// name instead of as one opaque binding failure.
/// </summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>The parsed body, or the problem to answer instead.</summary>
    /// <param name="Raw">The body's bytes exactly as received, for a signature computed over them.</param>
    public readonly record struct Result(JsonDocument? Document, ProblemHttpResult? Problem, ReadOnlyMemory<byte> Raw = default)
    {
        public JsonElement Root => Document!.RootElement;
    }

    /// <param name="objectOnly">False for a body whose root may be any JSON value (a policies file is an array).</param>
    public static async Task<Result> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct, bool objectOnly = true)
    {
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return new(null, TooLarge(maxBytes));
        }

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is { } n and > 0 ? (int)n : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, ct);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return new(null, TooLarge(maxBytes));
            }
        }

        if (buffer.WrittenCount == 0)
        {
            return new(null, Problems.MalformedJson("the request body is empty; a JSON object is required"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.WrittenMemory, Options);
        }
        catch (JsonException ex)
        {
            // The reader's message names the position but never echoes the body back.
            return new(null, Problems.MalformedJson($"the request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})"));
        }

        if (objectOnly && document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return new(null, Problems.MalformedJson("the request body must be a JSON object"));
        }

        return new(document, null, buffer.WrittenMemory);
    }

    /// <summary>
    /// Reads the body as one JSON object and hands it to <paramref name="use"/>; a body that is too large,
    /// empty or not an object is answered with its problem instead. The document lives for the call.
    /// </summary>
    public static async Task<Results<TOk, ProblemHttpResult>> ThenAsync<TOk>(
        HttpContext http, long maxBytes, Func<JsonElement, Task<Results<TOk, ProblemHttpResult>>> use)
        where TOk : IResult
    {
        var read = await ReadAsync(http.Request, maxBytes, http.RequestAborted);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        using var body = read.Document!;
        return await use(body.RootElement);
    }

    private static ProblemHttpResult TooLarge(long maxBytes) =>
        Problems.PayloadTooLarge($"the request body is larger than the limit of {maxBytes} bytes");
}
