using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Portcullis.Storage;

/// <summary>PostgreSQL: many writers, so row and table locks; JSON through <c>jsonb</c> and text-array paths.</summary>
internal sealed class PostgresDialect() : SqlDialect(locksRows: true)
{
    public override StorageProvider Provider => StorageProvider.Postgres;

    public override string InList(string parameter) => "= ANY(@" + Identifier(parameter) + ")";

    public override string JsonNumber(string column, string pathParameter)
    {
        var (c, p) = (Column(column), Identifier(pathParameter));
        return $"CASE WHEN jsonb_typeof({c}::jsonb #> @{p}) = 'number' THEN ({c}::jsonb #>> @{p})::numeric END";
    }

    /// <summary>A <c>text[]</c> for <c>#&gt;</c>: array indexes are written as numbers, which jsonb reads as indexes.</summary>
    public override object JsonPath(IReadOnlyList<object> segments) =>
        segments.Select(s => Convert.ToString(s, CultureInfo.InvariantCulture)!).ToArray();

    public override Task LockRowAsync(DbConnection connection, DbTransaction transaction, string table, string id) =>
        connection.ExecuteAsync($"SELECT id FROM {Identifier(table)} WHERE id = @id FOR NO KEY UPDATE", new { id }, transaction);

    public override Task LockTableAsync(DbConnection connection, DbTransaction transaction, string table) =>
        connection.ExecuteAsync($"LOCK TABLE {Identifier(table)} IN EXCLUSIVE MODE", transaction: transaction);

    public override Task LockNameAsync(DbConnection connection, DbTransaction transaction, string name) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@name, 0))", new { name }, transaction);
}
