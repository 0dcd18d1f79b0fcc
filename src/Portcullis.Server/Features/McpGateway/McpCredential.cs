namespace Portcullis.Server.Features.McpGateway;

/// <summary>
/// The secret an upstream server wants on every request: a header and its value. Given as a bare token for
/// <c>Authorization</c>, it is sent as <c>Bearer &lt;token&gt;</c>; a value with its own scheme (<c>Basic …</c>) is sent as given.
/// </summary>
public sealed record McpCredential(string Header, string Value)
{
    public const string DefaultHeader = "Authorization";

    /// <summary>The field name inside the sealed secret.</summary>
    public const string SecretField = "value";

    public KeyValuePair<string, string> AsHeader() =>
        new(Header, Header.Equals(DefaultHeader, StringComparison.OrdinalIgnoreCase) && !Value.Contains(' ', StringComparison.Ordinal)
            ? "Bearer " + Value
            : Value);
}
