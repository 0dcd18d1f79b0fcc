using System.Collections.Concurrent;
using System.Text;
using Npgsql;

namespace Portcullis.Storage;

/// <summary>
/// A statement's <c>@name</c> parameters as PostgreSQL's own <c>$1, $2, …</c>, rewritten once per SQL text. Npgsql otherwise
/// parses every command's SQL to do this rewrite on each execution (measured: its parser was the server's busiest method
/// of its own on the PostgreSQL request path); a command whose parameters are positional it sends as it is.
/// </summary>
internal static class PositionalSql
{
    internal sealed record Rewritten(string Sql, string[] Names);

    // Statements are constant texts, so this stays small; the bound only keeps a caller that ever built SQL from data from
    // growing it without end (such a statement is rewritten on every use instead).
    private const int MaxCached = 4096;

    private static readonly ConcurrentDictionary<string, Rewritten> Cache = new(StringComparer.Ordinal);

    /// <summary>A batch command for <paramref name="sql"/> with <paramref name="args"/> bound to its positions.</summary>
    public static NpgsqlBatchCommand Command(string sql, (string Name, object? Value)[] args)
    {
        if (!Cache.TryGetValue(sql, out var rewritten))
        {
            rewritten = Rewrite(sql);
            if (Cache.Count < MaxCached)
            {
                Cache.TryAdd(sql, rewritten);
            }
        }
        var command = new NpgsqlBatchCommand(rewritten.Sql);
        foreach (var name in rewritten.Names)
        {
            command.Parameters.Add(Parameter(ValueOf(name, args)));
        }

        return command;
    }

    private static object? ValueOf(string name, (string Name, object? Value)[] args)
    {
        foreach (var (n, value) in args)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new ArgumentException($"no value given for @{name}", nameof(args));
    }

    // PostgreSQL must know a null's type; every nullable value passed here is text.
    private static NpgsqlParameter Parameter(object? value) =>
        value is null ? new NpgsqlParameter { DbType = System.Data.DbType.String, Value = DBNull.Value } : new NpgsqlParameter { Value = value };

    /// <summary>
    /// Replaces each <c>@identifier</c> outside quotes and comments with its position (a name used twice keeps one
    /// position), as Npgsql's own rewrite does; other <c>@</c>s (operators such as <c>@&gt;</c>) stay as they are.
    /// </summary>
    internal static Rewritten Rewrite(string sql)
    {
        var names = new List<string>();
        var output = new StringBuilder(sql.Length);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var end = c switch
            {
                '\'' or '"' => Closing(sql, i + 1, c),
                '-' when At(sql, i + 1, '-') => EndOfLine(sql, i),
                '/' when At(sql, i + 1, '*') => EndOfComment(sql, i + 2),
                _ => -1,
            };
            if (end >= 0)
            {
                output.Append(sql, i, end - i);
                i = end;
                continue;
            }

            if (c == '@' && i + 1 < sql.Length && (char.IsAsciiLetter(sql[i + 1]) || sql[i + 1] == '_'))
            {
                var start = i + 1;
                i = start;
                while (i < sql.Length && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] == '_'))
                {
                    i++;
                }

                var name = sql[start..i];
                var position = names.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
                if (position < 0)
                {
                    names.Add(name);
                    position = names.Count - 1;
                }

                output.Append('$').Append(position + 1);
                continue;
            }

            output.Append(c);
            i++;
        }

        return new Rewritten(output.ToString(), [.. names]);
    }

    private static bool At(string sql, int i, char c) => i < sql.Length && sql[i] == c;

    // A quoted literal or identifier ends at its closing quote; a doubled quote inside it is an escaped one.
    private static int Closing(string sql, int i, char quote)
    {
        while (i < sql.Length)
        {
            if (sql[i] == quote && !At(sql, i + 1, quote))
            {
                return i + 1;
            }

            i += sql[i] == quote ? 2 : 1;
        }

        return sql.Length;
    }

    private static int EndOfLine(string sql, int i)
    {
        var newline = sql.IndexOf('\n', i);
        return newline < 0 ? sql.Length : newline;
    }

    private static int EndOfComment(string sql, int i)
    {
        var close = sql.IndexOf("*/", i, StringComparison.Ordinal);
        return close < 0 ? sql.Length : close + 2;
    }
}
