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

    public static Task<WorkspaceRow?> FindAsync(DbConnection connection, string id, DbTransaction? transaction = null) =>
        connection.QueryFirstOrDefaultAsync<WorkspaceRow>($"SELECT {WorkspaceRow.Columns} FROM workspaces WHERE id = @id", new { id }, transaction);
}
