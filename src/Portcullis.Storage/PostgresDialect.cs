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

    public override string JsonEquals(string column, string pathParameter, JsonScalarKind kind, string valueParameter)
    {
        var (c, p, v) = (Column(column), Identifier(pathParameter), Identifier(valueParameter));
        return kind switch
        {
            JsonScalarKind.Text => $"(jsonb_typeof({c}::jsonb #> @{p}) = 'string' AND ({c}::jsonb #>> @{p}) = @{v})",
            JsonScalarKind.Number => $"(jsonb_typeof({c}::jsonb #> @{p}) = 'number' AND ({c}::jsonb #>> @{p})::numeric = @{v})",
            _ => $"(jsonb_typeof({c}::jsonb #> @{p}) = 'boolean' AND ({c}::jsonb #>> @{p}) = @{v})",
        };
    }

    public override string JsonPresent(string column, string pathParameter) =>
        $"jsonb_typeof({Column(column)}::jsonb #> @{Identifier(pathParameter)}) <> 'null'";

    public override object JsonScalarParameter(JsonScalarKind kind, string? text, decimal number, bool boolean) => kind switch
    {
        JsonScalarKind.Text => text ?? "",
        JsonScalarKind.Number => number,
        _ => boolean ? "true" : "false",
    };

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
