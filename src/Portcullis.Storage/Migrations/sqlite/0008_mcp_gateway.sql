-- The MCP gateway: upstream MCP servers an admin registered, their tools pinned by a hash of each definition,
-- and the agents each server is offered to. A server's credential is sealed like a workspace credential.

CREATE TABLE mcp_servers (
    id                  TEXT PRIMARY KEY,
    workspace_id        TEXT NOT NULL REFERENCES workspaces(id),
    name                TEXT NOT NULL,
    url                 TEXT NOT NULL,
    credential_header   TEXT NULL,
    credential_hint     TEXT NULL,
    master_key_version  INTEGER NULL,
    wrapped_key         BLOB NULL,
    ciphertext          BLOB NULL,
    created_by          TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    refreshed_at        INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

-- One row per tool of a server: its definition as last listed, and the hash an admin approved.
CREATE TABLE mcp_tools (
    server_id         TEXT NOT NULL REFERENCES mcp_servers(id),
    workspace_id      TEXT NOT NULL,
    name              TEXT NOT NULL,
    description       TEXT NULL,
    input_schema      TEXT NOT NULL,
    read_only_hint    INTEGER NULL,
    destructive_hint  INTEGER NULL,
    idempotent_hint   INTEGER NULL,
    open_world_hint   INTEGER NULL,
    definition_hash   TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'changed')),
    approved_hash     TEXT NULL,
    approved_by       TEXT NULL,
    approved_at       INTEGER NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (server_id, name)
);

CREATE TABLE mcp_server_agents (
    server_id     TEXT NOT NULL REFERENCES mcp_servers(id),
    agent_id      TEXT NOT NULL REFERENCES agents(id),
    workspace_id  TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (server_id, agent_id)
);
CREATE INDEX ix_mcp_server_agents_agent ON mcp_server_agents (agent_id);
