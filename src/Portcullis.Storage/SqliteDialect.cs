using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Portcullis.Storage;

/// <summary>SQLite: one writer at a time, so no locks; JSON through the json1 functions and <c>$.path</c> strings.</summary>
internal sealed class SqliteDialect() : SqlDialect(locksRows: false)
{
    public override StorageProvider Provider => StorageProvider.Sqlite;

    public override string InList(string parameter) => "IN @" + Identifier(parameter);

    public override string JsonNumber(string column, string pathParameter)
    {
        var (c, p) = (Column(column), Identifier(pathParameter));
        return $"CASE WHEN json_type({c}, @{p}) IN ('integer', 'real') THEN json_extract({c}, @{p}) END";
    }

    public override string JsonEquals(string column, string pathParameter, JsonScalarKind kind, string valueParameter)
    {
        var (c, p, v) = (Column(column), Identifier(pathParameter), Identifier(valueParameter));
        return kind switch
        {
            JsonScalarKind.Text => $"(json_type({c}, @{p}) = 'text' AND json_extract({c}, @{p}) = @{v})",
            JsonScalarKind.Number => $"(json_type({c}, @{p}) IN ('integer', 'real') AND json_extract({c}, @{p}) = @{v})",
            _ => $"json_type({c}, @{p}) = @{v}",
        };
    }

    public override string JsonPresent(string column, string pathParameter) =>
        $"json_type({Column(column)}, @{Identifier(pathParameter)}) <> 'null'";

    // Microsoft.Data.Sqlite binds a decimal as text, which never equals a JSON number: numbers go as doubles.
    // json_type names a boolean by its value, so a boolean is compared as that name.
    public override object JsonScalarParameter(JsonScalarKind kind, string? text, decimal number, bool boolean) => kind switch
    {
        JsonScalarKind.Text => text ?? "",
        JsonScalarKind.Number => (double)number,
        _ => boolean ? "true" : "false",
    };

    /// <summary><c>$."name"[0]</c>: every property name quoted, so dots and brackets in names stay names.</summary>
    public override object JsonPath(IReadOnlyList<object> segments)
    {
        var path = new StringBuilder("$");
        foreach (var segment in segments)
        {
            if (segment is int index)
            {
                path.Append(CultureInfo.InvariantCulture, $"[{index}]");
            }
            else
            {
                path.Append(".\"").Append(((string)segment).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            }
        }

        return path.ToString();
    }

    public override Task LockRowAsync(DbConnection connection, DbTransaction transaction, string table, string id)
    {
        Identifier(table);
        return Task.CompletedTask;
    }

    public override Task LockTableAsync(DbConnection connection, DbTransaction transaction, string table)
    {
        Identifier(table);
        return Task.CompletedTask;
    }

    public override Task LockNameAsync(DbConnection connection, DbTransaction transaction, string name) => Task.CompletedTask;
}
