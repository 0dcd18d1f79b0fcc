using System.Data.Common;

namespace Portcullis.Storage;

/// <summary>
/// The SQL that differs between the stores, in one place: features write one statement and splice in what the
/// dialect answers instead of branching on the provider. Get it from <see cref="Database.Dialect"/>.
/// </summary>
/// <remarks>
/// Row and table locks are empty (or do nothing) on SQLite: every write there runs on the one writer connection,
/// so a transaction already excludes every other writer.
/// </remarks>
public abstract class SqlDialect
{
    private readonly bool _locksRows;

    // Built once: the hot paths splice these into their statements on every call.
    private protected SqlDialect(bool locksRows)
    {
        _locksRows = locksRows;
        ForUpdate = locksRows ? " FOR UPDATE" : "";
        ForNoKeyUpdate = locksRows ? " FOR NO KEY UPDATE" : "";
        ForShare = locksRows ? " FOR SHARE" : "";
    }

    public static SqlDialect Sqlite { get; } = new SqliteDialect();

    public static SqlDialect Postgres { get; } = new PostgresDialect();

    public static SqlDialect For(StorageProvider provider) => provider == StorageProvider.Sqlite ? Sqlite : Postgres;

    public abstract StorageProvider Provider { get; }

    /// <summary>Suffix of a <c>SELECT</c> that locks the rows it reads until the transaction ends, with a leading space.</summary>
    public string ForUpdate { get; }

    /// <summary>
    /// Like <see cref="ForUpdate"/>, but inserts that only reference the rows (taking key-share locks) go on:
    /// the lock for rows a transaction will update but not re-key.
    /// </summary>
    public string ForNoKeyUpdate { get; }

    /// <summary><see cref="ForNoKeyUpdate"/> for the rows of one table of a join, named by its alias.</summary>
    public string ForNoKeyUpdateOf(string alias)
    {
        Identifier(alias);
        return _locksRows ? " FOR NO KEY UPDATE OF " + alias : "";
    }

    /// <summary>Suffix that holds off writers of the rows read (they wait for this commit) while other readers go on.</summary>
    public string ForShare { get; }

    /// <summary>
    /// The right-hand side of a match against a list: <c>WHERE x {InList("ids")}</c>, with the parameter bound to
    /// an array. Dapper expands the array into <c>IN (…)</c> on SQLite; PostgreSQL takes it as one array value.
    /// </summary>
    public abstract string InList(string parameter);

    /// <summary>
    /// An expression for the JSON number at a path inside a text column, or NULL when the value there is missing
    /// or not a number. Bind <paramref name="pathParameter"/> to <see cref="JsonPath"/>.
    /// </summary>
    public abstract string JsonNumber(string column, string pathParameter);

    /// <summary>The parameter value for a JSON path of property names (string) and array indexes (int).</summary>
    public abstract object JsonPath(IReadOnlyList<object> segments);

    /// <summary>
    /// A predicate: the JSON value at the path inside a text column is of <paramref name="kind"/> and equals the parameter
    /// bound with <see cref="JsonScalarParameter"/>. No conversion between kinds: <c>"5"</c> never equals <c>5</c>.
    /// </summary>
    public abstract string JsonEquals(string column, string pathParameter, JsonScalarKind kind, string valueParameter);

    /// <summary>A predicate: there is a value other than JSON <c>null</c> at the path.</summary>
    public abstract string JsonPresent(string column, string pathParameter);

    /// <summary>The parameter value <see cref="JsonEquals"/> compares with: text, a number, or a boolean.</summary>
    public abstract object JsonScalarParameter(JsonScalarKind kind, string? text, decimal number, bool boolean);

    /// <summary>
    /// Locks the row of <paramref name="table"/> with this <c>id</c> (<see cref="ForNoKeyUpdate"/>) until the
    /// transaction ends, to order transactions that would otherwise not conflict. Nothing on SQLite.
    /// </summary>
    public abstract Task LockRowAsync(DbConnection connection, DbTransaction transaction, string table, string id);

    /// <summary>
    /// Locks <paramref name="table"/> until the transaction ends: reads go on, other writers of it wait. Nothing on
    /// SQLite.
    /// </summary>
    public abstract Task LockTableAsync(DbConnection connection, DbTransaction transaction, string table);

    /// <summary>
    /// Takes a lock on a name until the transaction ends (a PostgreSQL advisory lock, so it orders transactions of every
    /// instance without touching a row). Nothing on SQLite, whose one writer already runs transactions one at a time.
    /// </summary>
    public abstract Task LockNameAsync(DbConnection connection, DbTransaction transaction, string name);

    // INVARIANT: names spliced into SQL (tables, aliases, columns, parameters) come from code, never from input;
    // this keeps it so.
    private protected static string Identifier(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? name
            : throw new ArgumentException($"`{name}` is not a plain SQL identifier", nameof(name));

    /// <summary>A column, optionally qualified by its table's alias (<c>r.payload</c>).</summary>
    private protected static string Column(string name)
    {
        foreach (var part in name.Split('.'))
        {
            Identifier(part);
        }

        return name;
    }
}
