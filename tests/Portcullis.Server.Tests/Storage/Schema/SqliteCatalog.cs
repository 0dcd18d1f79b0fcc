using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;

namespace Portcullis.Server.Tests.Storage.Schema;

/// <summary>Reads a SQLite schema from sqlite_master and the table-valued pragmas into a <see cref="SchemaModel"/>.</summary>
public static partial class SqliteCatalog
{
    public static async Task<SchemaModel> ReadAsync(DbConnection connection)
    {
        var tables = await connection.QueryAsync<(string Name, string Sql)>(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name");
        var models = new List<TableModel>();
        foreach (var (name, sql) in tables)
        {
            models.Add(await ReadTableAsync(connection, name, sql));
        }

        return new SchemaModel(models);
    }

    private static async Task<TableModel> ReadTableAsync(DbConnection connection, string table, string sql)
    {
        var columns = (await connection.QueryAsync<(string Name, string Type, long NotNull, long Pk)>(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(@table) ORDER BY cid", new { table })).ToList();
        // SQLite lets a non-INTEGER PRIMARY KEY column hold NULL (a legacy bug kept for compatibility); Portcullis
        // never stores one, so key columns count as NOT NULL, as in PostgreSQL.
        var model = columns.Select(c => new ColumnModel(c.Name.ToLowerInvariant(), TypeFamily.OfSqlite(c.Type), c.NotNull == 0 && c.Pk == 0));
        var primaryKey = columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name.ToLowerInvariant());
        var indexes = new List<IndexModel>();
        var uniques = new List<UniqueModel>();
        foreach (var (name, unique, origin, partial) in await connection.QueryAsync<(string, long, string, long)>(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list(@table)", new { table }))
        {
            var keys = (await connection.QueryAsync<(string? Name, long Desc)>(
                "SELECT name, \"desc\" FROM pragma_index_xinfo(@name) WHERE key = 1 ORDER BY seqno", new { name }))
                .Select(k => (k.Name ?? "<expression>").ToLowerInvariant() + (k.Desc == 1 ? " desc" : "")).ToList();
            if (origin == "c")
            {
                indexes.Add(new IndexModel(name.ToLowerInvariant(), keys, unique == 1, partial == 1));
            }
            else if (origin == "u")
            {
                uniques.Add(new UniqueModel(keys));
            }
        }

        return TableModel.Of(table.ToLowerInvariant(), model, primaryKey, indexes, uniques, await ForeignKeysAsync(connection, table), CountChecks(sql));
    }

    private static async Task<IEnumerable<ForeignKeyModel>> ForeignKeysAsync(DbConnection connection, string table)
    {
        var rows = await connection.QueryAsync<(long Id, string Table, string From, string? To, string OnUpdate, string OnDelete)>(
            "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(@table) ORDER BY id, seq", new { table });
        var keys = new List<ForeignKeyModel>();
        foreach (var key in rows.GroupBy(r => r.Id))
        {
            var first = key.First();
            // REFERENCES parent without columns means the parent's primary key.
            var referenced = key.All(k => k.To is not null)
                ? key.Select(k => k.To!.ToLowerInvariant()).ToList()
                : (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info(@t) WHERE pk > 0 ORDER BY pk", new { t = first.Table }))
                    .Select(n => n.ToLowerInvariant()).ToList();
            keys.Add(new ForeignKeyModel([.. key.Select(k => k.From.ToLowerInvariant())], first.Table.ToLowerInvariant(), referenced,
                first.OnDelete.ToUpperInvariant(), first.OnUpdate.ToUpperInvariant()));
        }

        return keys;
    }

    // SQLite keeps no catalog of CHECK constraints, only the CREATE TABLE text: count them there, outside
    // comments and string literals.
    private static int CountChecks(string createTable) =>
        Check().Matches(CommentOrString().Replace(createTable, " ")).Count;

    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"\bCHECK\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex Check();
}
