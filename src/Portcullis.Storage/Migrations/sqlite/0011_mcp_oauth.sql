-- OAuth 2.1 for the MCP server: clients that registered themselves (RFC 7591), the grants members gave them to act as an
-- agent, and every code and token issued under a grant, stored like agent keys (a public lookup and a keyed hash).

CREATE TABLE mcp_oauth_clients (
    id             TEXT PRIMARY KEY,
    name           TEXT NULL,
    redirect_uris  TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE mcp_oauth_grants (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    agent_id      TEXT NOT NULL REFERENCES agents(id),
    client_id     TEXT NOT NULL REFERENCES mcp_oauth_clients(id),
    granted_by    TEXT NOT NULL,
    scope         TEXT NOT NULL,
    resource      TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NULL,
    revoked_at    INTEGER NULL,
    revoked_by    TEXT NULL
);
CREATE INDEX ix_mcp_oauth_grants_agent ON mcp_oauth_grants (workspace_id, agent_id);

CREATE TABLE mcp_oauth_tokens (
    id              TEXT PRIMARY KEY,
    grant_id        TEXT NOT NULL REFERENCES mcp_oauth_grants(id),
    kind            TEXT NOT NULL CHECK (kind IN ('code', 'access', 'refresh')),
    lookup          TEXT NOT NULL UNIQUE,
    salt            BLOB NOT NULL,
    hash            BLOB NOT NULL,
    code_challenge  TEXT NULL,
    redirect_uri    TEXT NULL,
    expires_at      INTEGER NOT NULL,
    used_at         INTEGER NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX ix_mcp_oauth_tokens_grant ON mcp_oauth_tokens (grant_id);
