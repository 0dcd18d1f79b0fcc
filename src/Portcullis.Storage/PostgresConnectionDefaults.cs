using System.Data.Common;
using Npgsql;

namespace Portcullis.Storage;

/// <summary>
/// Settings Portcullis applies to a PostgreSQL connection string unless the operator's string sets them itself.
/// Measured under the requestAction bench (docs/benchmarks.md, PostgreSQL): without them every statement is parsed and
/// planned again by the server, and every connection taken from the pool is reset with <c>DISCARD ALL</c> (a request
/// takes three), which also throws away any prepared statement.
/// </summary>
public static class PostgresConnectionDefaults
{
    /// <summary>Statements Npgsql prepares per physical connection once each has run <see cref="AutoPrepareMinUsages"/> times.</summary>
    public const int MaxAutoPrepare = 256;

    public const int AutoPrepareMinUsages = 2;

    public static string Apply(string connectionString)
    {
        // Read the keys as written: the typed builder cannot tell an explicit 0 from a missing key.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = written.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!keys.Contains("AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }

        // Portcullis sets no session state (no SET, LISTEN on pooled connections, temporary tables or session locks), so
        // the reset only costs a statement per checkout. An open transaction is still rolled back when a connection returns.
        // INVARIANT: session state stays off pooled connections (a LISTEN belongs on a connection of its own, or is undone).
        if (!keys.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
