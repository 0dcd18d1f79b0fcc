namespace Portcullis.Connectors.Gmail;

/// <summary>Google's scopes that allow <c>users.messages.send</c> (Gmail API reference, "Authorization scopes").</summary>
internal static class GmailScopes
{
    public const string Send = "https://www.googleapis.com/auth/gmail.send";

    private static readonly string[] AllowSending =
    [
        Send,
        "https://www.googleapis.com/auth/gmail.compose",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://mail.google.com/",
    ];

    /// <summary>True when a space-separated scope list holds a scope that may send mail.</summary>
    public static bool MaySend(string? scopes) =>
        scopes is not null && scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(AllowSending.Contains);
}
