namespace Portcullis.Server.Tests.Storage.Schema;

/// <summary>Every difference between the SQLite and the PostgreSQL schema, one readable line each; none when they agree.</summary>
public static class SchemaComparer
{
    public static IReadOnlyList<string> Compare(SchemaModel sqlite, SchemaModel postgres)
    {
        var differences = new List<string>();
        var left = sqlite.Tables.ToDictionary(t => t.Name);
        var right = postgres.Tables.ToDictionary(t => t.Name);
        foreach (var name in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            if (!left.TryGetValue(name, out var l))
            {
                differences.Add($"table {name}: only on postgres");
            }
            else if (!right.TryGetValue(name, out var r))
            {
                differences.Add($"table {name}: only on sqlite");
            }
            else
            {
                CompareTables(l, r, differences);
            }
        }

        return differences;
    }

    /// <summary>The differences as a report for a failed assertion.</summary>
    public static string Report(IReadOnlyList<string> differences) =>
        $"the migrations build different schemas on SQLite and PostgreSQL ({differences.Count} differences):"
        + string.Concat(differences.Select(d => Environment.NewLine + "  " + d));

    private static void CompareTables(TableModel sqlite, TableModel postgres, List<string> differences)
    {
        var table = sqlite.Name;
        CompareByName(sqlite.Columns, postgres.Columns, c => c.Name, $"column {table}.", differences,
            (l, r) => TypeFamily.Match(l.Family, r.Family) && l.Nullable == r.Nullable);
        if (!sqlite.PrimaryKey.SequenceEqual(postgres.PrimaryKey))
        {
            differences.Add($"primary key {table}: sqlite ({string.Join(", ", sqlite.PrimaryKey)}), postgres ({string.Join(", ", postgres.PrimaryKey)})");
        }

        CompareByName(sqlite.Indexes, postgres.Indexes, i => i.Name, $"index {table}.", differences,
            (l, r) => l.Columns.SequenceEqual(r.Columns) && l.Unique == r.Unique && l.Partial == r.Partial);
        CompareByName(sqlite.Uniques, postgres.Uniques, u => u.ToString(), $"constraint {table} ", differences, (_, _) => true);
        CompareByName(sqlite.ForeignKeys, postgres.ForeignKeys, f => f.ToString(), $"foreign key {table} ", differences, (_, _) => true);
        if (sqlite.CheckConstraints != postgres.CheckConstraints)
        {
            differences.Add($"check constraints {table}: sqlite {sqlite.CheckConstraints}, postgres {postgres.CheckConstraints}");
        }
    }

    // Pairs items by key; reports an item on one side only, and a pair the predicate finds different.
    private static void CompareByName<T>(IReadOnlyList<T> sqlite, IReadOnlyList<T> postgres, Func<T, string> key, string label,
        List<string> differences, Func<T, T, bool> same)
        where T : notnull
    {
        var left = sqlite.ToLookup(key);
        var right = postgres.ToLookup(key);
        foreach (var name in left.Select(g => g.Key).Union(right.Select(g => g.Key)).Order(StringComparer.Ordinal))
        {
            var (l, r) = (left[name].ToList(), right[name].ToList());
            if (l.Count != r.Count)
            {
                var where = r.Count == 0 ? "only on sqlite" : l.Count == 0 ? "only on postgres" : $"{l.Count} on sqlite, {r.Count} on postgres";
                var shown = (l.Count > 0 ? l : r)[0].ToString();
                differences.Add(shown == name ? $"{label}{name}: {where}" : $"{label}{name}: {where}: {shown}");
            }
            else if (l.Count == 1 && !same(l[0], r[0]))
            {
                differences.Add($"{label}{name}: sqlite {l[0]}, postgres {r[0]}");
            }
        }
    }
}
