namespace Portcullis.Storage;

/// <summary>The database engines Portcullis stores its data in.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file (WAL mode): the default, nothing to install.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: production and several instances behind a load balancer.</summary>
    Postgres,
}
