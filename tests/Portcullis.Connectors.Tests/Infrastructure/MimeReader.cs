using System.Text;
using System.Text.RegularExpressions;

namespace Portcullis.Connectors.Tests.Infrastructure;

/// <summary>A MIME entity read back from raw RFC 5322 text: unfolded headers, decoded body, parts.</summary>
public sealed record MimeEntity(IReadOnlyList<KeyValuePair<string, string>> Headers, string Body, IReadOnlyList<MimeEntity> Parts)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public int Count(string name) => Headers.Count(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>An independent, minimal MIME reader, so tests do not trust the builder to check itself.</summary>
public static partial class MimeReader
{
    public static MimeEntity Parse(string raw)
    {
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, "message has a header/body separator");
        var headerText = raw[..split];
        var body = raw[(split + 4)..];
        Assert.DoesNotContain("\n", headerText.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var unfolded = Regex.Replace(headerText, "\r\n[ \t]", " ");
        var headers = unfolded.Split("\r\n").Select(line =>
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            return new KeyValuePair<string, string>(line[..colon], line[(colon + 1)..].Trim());
        }).ToList();
        var entity = new MimeEntity(headers, "", []);
        var contentType = entity.Header("Content-Type") ?? "text/plain";
        if (contentType.StartsWith("multipart/", StringComparison.Ordinal))
        {
            var boundary = BoundaryPattern().Match(contentType).Groups[1].Value;
            var sections = body.Split("--" + boundary);
            Assert.True(sections[^1].StartsWith("--", StringComparison.Ordinal), "multipart ends with a closing boundary");
            var parts = sections[1..^1].Select(s => Parse(s.TrimStart('\r', '\n'))).ToList();
            return entity with { Parts = parts };
        }

        var decoded = entity.Header("Content-Transfer-Encoding") == "base64"
            ? Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\r\n", "", StringComparison.Ordinal)))
            : body;
        return entity with { Body = decoded };
    }

    /// <summary>Decodes RFC 2047 B-encoded UTF-8 words; white space between adjacent words is dropped.</summary>
    public static string DecodeWords(string value)
    {
        var joined = Regex.Replace(value, @"\?=\s+=\?", "?==?");
        return EncodedWord().Replace(joined, m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)));
    }

    [GeneratedRegex("boundary=\"([^\"]+)\"")]
    private static partial Regex BoundaryPattern();

    [GeneratedRegex(@"=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=")]
    private static partial Regex EncodedWord();
}
