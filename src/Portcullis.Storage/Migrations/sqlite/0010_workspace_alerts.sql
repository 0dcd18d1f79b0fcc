-- Alerts that belong to the workspace rather than to an action of a run: the MCP gateway raises one when a refresh
-- finds an upstream tool that changed its approved definition, or a new tool that waits for approval. Such an alert has
-- no run, agent or action request, so those columns become nullable; `kind` tells the alerts apart.
-- SQLite cannot drop NOT NULL in place: the table is rebuilt with its rows and index.
CREATE TABLE alerts_rebuilt (
    id                 TEXT PRIMARY KEY,
    workspace_id       TEXT NOT NULL,
    run_id             TEXT NULL,
    agent_id           TEXT NULL,
    action_request_id  TEXT NULL REFERENCES action_requests(id),
    action_type        TEXT NOT NULL,
    reason             TEXT NOT NULL,
    policies           TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    kind               TEXT NOT NULL DEFAULT 'action'
);
INSERT INTO alerts_rebuilt (id, workspace_id, run_id, agent_id, action_request_id, action_type, reason, policies, created_at, kind)
SELECT id, workspace_id, run_id, agent_id, action_request_id, action_type, reason, policies, created_at, 'action' FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_rebuilt RENAME TO alerts;
CREATE INDEX ix_alerts_workspace_time ON alerts (workspace_id, created_at);
