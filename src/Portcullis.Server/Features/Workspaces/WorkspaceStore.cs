using System.Data.Common;
using Dapper;
using Portcullis.Storage;

namespace Portcullis.Server.Features.Workspaces;

/// <summary>Reads and writes workspace rows.</summary>
public sealed class WorkspaceStore(Database database)
{
    public async Task<WorkspaceRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await FindAsync(connection, id);
    }

    /// <summary>Inserts a workspace with the default settings (the columns' defaults).</summary>
    public static Task InsertAsync(DbConnection connection, DbTransaction transaction, string id, string name, long now, string connectorMode = "demo") =>
        connection.ExecuteAsync("INSERT INTO workspaces (id, name, created_at, connector_mode) VALUES (@id, @name, @now, @connectorMode)",
            new { id, name, now, connectorMode }, transaction);

    public static Task<WorkspaceRow?> FindAsync(DbConnection connection, string id, DbTransaction? transaction = null) =>
        connection.QueryFirstOrDefaultAsync<WorkspaceRow>($"SELECT {WorkspaceRow.Columns} FROM workspaces WHERE id = @id", new { id }, transaction);
}
