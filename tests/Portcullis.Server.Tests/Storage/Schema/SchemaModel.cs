namespace Portcullis.Server.Tests.Storage.Schema;

/// <summary>
/// A store's schema reduced to what both stores can express, so SQLite and PostgreSQL catalogs compare equal when the
/// migrations agree. Names are lower-case; lists keep their order where order matters (key columns).
/// </summary>
public sealed record SchemaModel(IReadOnlyList<TableModel> Tables);

public sealed record TableModel(
    string Name,
    IReadOnlyList<ColumnModel> Columns,
    IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<IndexModel> Indexes,
    IReadOnlyList<UniqueModel> Uniques,
    IReadOnlyList<ForeignKeyModel> ForeignKeys,
    int CheckConstraints)
{
    public static TableModel Of(string name, IEnumerable<ColumnModel> columns, IEnumerable<string>? primaryKey = null,
        IEnumerable<IndexModel>? indexes = null, IEnumerable<UniqueModel>? uniques = null, IEnumerable<ForeignKeyModel>? foreignKeys = null,
        int checkConstraints = 0) =>
        new(name, [.. columns], [.. primaryKey ?? []], [.. indexes ?? []], [.. uniques ?? []], [.. foreignKeys ?? []], checkConstraints);
}

/// <param name="Family">One of <see cref="TypeFamily"/>'s names, or <c>other:&lt;declared type&gt;</c>.</param>
public sealed record ColumnModel(string Name, string Family, bool Nullable)
{
    public override string ToString() => $"{Family} {(Nullable ? "null" : "not null")}";
}

/// <param name="Columns">Key columns in order, each followed by <c> desc</c> when it sorts descending.</param>
public sealed record IndexModel(string Name, IReadOnlyList<string> Columns, bool Unique, bool Partial)
{
    public override string ToString() => $"{(Unique ? "unique " : "")}({string.Join(", ", Columns)}){(Partial ? " where …" : "")}";
}

/// <summary>A UNIQUE constraint (not a unique index: that is an <see cref="IndexModel"/>).</summary>
public sealed record UniqueModel(IReadOnlyList<string> Columns)
{
    public override string ToString() => $"unique ({string.Join(", ", Columns)})";
}

/// <param name="OnDelete">The referential action, upper case as SQLite spells it: NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT.</param>
public sealed record ForeignKeyModel(IReadOnlyList<string> Columns, string References, IReadOnlyList<string> ReferencedColumns,
    string OnDelete = "NO ACTION", string OnUpdate = "NO ACTION")
{
    public override string ToString() =>
        $"({string.Join(", ", Columns)}) references {References} ({string.Join(", ", ReferencedColumns)}) on delete {OnDelete} on update {OnUpdate}";
}

/// <summary>The type families both stores are compared in.</summary>
public static class TypeFamily
{
    public const string Text = "text";
    public const string Integer = "integer";
    public const string Real = "real";
    public const string Numeric = "numeric";
    public const string Blob = "blob";
    public const string Boolean = "boolean";
    public const string Json = "json";

    /// <summary>SQLite's declared type, by its type-affinity rules (sqlite.org/datatype3.html §3.1), plus BOOL and JSON.</summary>
    public static string OfSqlite(string declared)
    {
        var type = declared.ToUpperInvariant();
        return type switch
        {
            _ when type.Contains("INT", StringComparison.Ordinal) => Integer,
            _ when type.Contains("BOOL", StringComparison.Ordinal) => Boolean,
            _ when type.Contains("JSON", StringComparison.Ordinal) => Json,
            _ when type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal)
                || type.Contains("TEXT", StringComparison.Ordinal) => Text,
            _ when type.Length == 0 || type.Contains("BLOB", StringComparison.Ordinal) => Blob,
            _ when type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal)
                || type.Contains("DOUB", StringComparison.Ordinal) => Real,
            _ when type.Contains("NUMERIC", StringComparison.Ordinal) || type.Contains("DECIMAL", StringComparison.Ordinal) => Numeric,
            _ => "other:" + declared,
        };
    }

    /// <summary>PostgreSQL's <c>information_schema.columns.data_type</c>.</summary>
    public static string OfPostgres(string dataType) => dataType switch
    {
        "text" or "character varying" or "character" => Text,
        "bigint" or "integer" or "smallint" => Integer,
        "real" or "double precision" => Real,
        "numeric" => Numeric,
        "bytea" => Blob,
        "boolean" => Boolean,
        "json" or "jsonb" => Json,
        _ => "other:" + dataType,
    };

    /// <summary>
    /// SQLite has no boolean storage class: an INTEGER column holding 0/1 is how it stores a PostgreSQL BOOLEAN (the
    /// migrations so far declare booleans that way). Every other pair must be the same family.
    /// </summary>
    public static bool Match(string sqlite, string postgres) =>
        sqlite == postgres || (sqlite == Integer && postgres == Boolean);
}
