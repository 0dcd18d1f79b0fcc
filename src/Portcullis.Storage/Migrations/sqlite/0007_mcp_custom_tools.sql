-- The MCP server: tools an admin declares for a workspace (decided and recorded, never dispatched), and the run
-- each MCP client's calls are grouped into when a call names none.

CREATE TABLE mcp_custom_tools (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL,
    description   TEXT NOT NULL,
    input_schema  TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

-- One open run per agent and client (an MCP session, or a client name and version); replaced when that run ends.
CREATE TABLE mcp_client_runs (
    agent_id      TEXT NOT NULL REFERENCES agents(id),
    client_key    TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    run_id        TEXT NOT NULL REFERENCES runs(id),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (agent_id, client_key)
);
