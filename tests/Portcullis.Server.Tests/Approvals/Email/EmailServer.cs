using Portcullis.Storage;

namespace Portcullis.Server.Tests.Approvals.Email;

/// <summary>An approvals test server whose approval emails go to a real local SMTP server (<see cref="SmtpSink"/>).</summary>
public abstract class EmailServer(StorageProvider provider) : ApprovalServer(provider)
{
    public const string PublicBaseUrl = "https://portcullis.test";

    public SmtpSink Smtp { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Portcullis:Email:Smtp:Host"] = "127.0.0.1",
        ["Portcullis:Email:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portcullis:Email:Smtp:Security"] = "None",
        ["Portcullis:Email:Smtp:From"] = "Portcullis <approvals@portcullis.test>",
        ["Portcullis:Email:PublicBaseUrl"] = PublicBaseUrl,
        ["Portcullis:Jobs:PollIntervalMs"] = "100",
    };

    public override async Task InitializeAsync()
    {
        await Smtp.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    public new sealed class Sqlite() : EmailServer(StorageProvider.Sqlite);

    public new sealed class Postgres() : EmailServer(StorageProvider.Postgres);
}
