using System.Data.Common;
using Dapper;

namespace Portcullis.Server.Tests.Storage.Schema;

/// <summary>Reads the current schema of a PostgreSQL database from information_schema and pg_catalog into a <see cref="SchemaModel"/>.</summary>
public static class PostgresCatalog
{
    private const string ConstraintsSql =
        """
        SELECT t.relname AS "Table", c.contype::text AS "Type",
               array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n) AS "Columns",
               f.relname::text AS "References",
               array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n) AS "ReferencedColumns",
               c.confdeltype::text AS "OnDelete", c.confupdtype::text AS "OnUpdate"
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_namespace s ON s.oid = t.relnamespace
        LEFT JOIN pg_class f ON f.oid = c.confrelid
        WHERE s.nspname = current_schema() AND c.contype IN ('p', 'u', 'f', 'c')
        """;

    // Indexes created on their own, not the ones backing a primary key or UNIQUE constraint (those are constraints).
    // An expression key reads as <expression>, as SQLite's catalog names none: the two spell expressions differently.
    private const string IndexesSql =
        """
        SELECT t.relname AS "Table", i.relname AS "Name", x.indisunique AS "Unique", x.indpred IS NOT NULL AS "Partial",
               array(SELECT CASE WHEN x.indkey[k - 1] = 0 THEN '<expression>' ELSE pg_get_indexdef(x.indexrelid, k, true) END
                            || CASE WHEN x.indoption[k - 1] & 1 = 1 THEN ' desc' ELSE '' END
                     FROM generate_series(1, x.indnkeyatts) k ORDER BY k) AS "Columns"
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace s ON s.oid = t.relnamespace
        WHERE s.nspname = current_schema()
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))
        """;

    public static async Task<SchemaModel> ReadAsync(DbConnection connection)
    {
        var tables = await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
        var columns = (await connection.QueryAsync<(string Table, string Name, string Type, string Nullable)>(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY ordinal_position"))
            .ToLookup(c => c.Table);
        var constraints = (await connection.QueryAsync<ConstraintRow>(ConstraintsSql)).ToLookup(c => c.Table);
        var indexes = (await connection.QueryAsync<IndexRow>(IndexesSql)).ToLookup(i => i.Table);
        return new SchemaModel([.. tables.Order(StringComparer.Ordinal).Select(t => TableModel.Of(
            t,
            columns[t].Select(c => new ColumnModel(c.Name, TypeFamily.OfPostgres(c.Type), c.Nullable == "YES")),
            constraints[t].Where(c => c.Type == "p").SelectMany(c => c.Columns),
            indexes[t].Select(i => new IndexModel(i.Name, i.Columns, i.Unique, i.Partial)),
            constraints[t].Where(c => c.Type == "u").Select(c => new UniqueModel(c.Columns)),
            constraints[t].Where(c => c.Type == "f").Select(c => new ForeignKeyModel(c.Columns, c.References!, c.ReferencedColumns,
                Action(c.OnDelete), Action(c.OnUpdate))),
            constraints[t].Count(c => c.Type == "c")))]);
    }

    // pg_constraint's one-letter referential actions, in SQLite's words.
    private static string Action(string code) => code switch
    {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => "unknown:" + code,
    };

    private sealed class ConstraintRow
    {
        public string Table { get; init; } = "";
        public string Type { get; init; } = "";
        public string[] Columns { get; init; } = [];
        public string? References { get; init; }
        public string[] ReferencedColumns { get; init; } = [];
        public string OnDelete { get; init; } = "";
        public string OnUpdate { get; init; } = "";
    }

    private sealed class IndexRow
    {
        public string Table { get; init; } = "";
        public string Name { get; init; } = "";
        public bool Unique { get; init; }
        public bool Partial { get; init; }
        public string[] Columns { get; init; } = [];
    }
}
