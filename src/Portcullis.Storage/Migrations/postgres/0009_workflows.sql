-- Workflows: an agent's multi-step definitions (versioned; a run keeps the version it started with), their runs and
-- each run's steps. A step is an action request through the governed-action engine; the run advances as a durable job
-- (kind 'workflow', subject the workflow run), so a server killed mid-workflow carries on from the last recorded step.

CREATE TABLE workflows (
    id                  TEXT PRIMARY KEY,
    workspace_id        TEXT NOT NULL REFERENCES workspaces(id),
    agent_id            TEXT NOT NULL REFERENCES agents(id),
    name                TEXT NOT NULL,
    description         TEXT NULL,
    version             BIGINT NOT NULL,
    trigger_type        TEXT NOT NULL,
    webhook_token_hash  TEXT NULL,
    webhook_secret      TEXT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    deleted_at          BIGINT NULL
);
CREATE INDEX ix_workflows_agent ON workflows (workspace_id, agent_id);

CREATE TABLE workflow_versions (
    workflow_id  TEXT NOT NULL REFERENCES workflows(id),
    version      BIGINT NOT NULL,
    definition   TEXT NOT NULL,
    created_by   TEXT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (workflow_id, version)
);

CREATE TABLE workflow_runs (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
    workflow_id      TEXT NOT NULL REFERENCES workflows(id),
    version          BIGINT NOT NULL,
    run_id           TEXT NOT NULL REFERENCES runs(id),
    agent_id         TEXT NOT NULL REFERENCES agents(id),
    status           TEXT NOT NULL,
    started_by       TEXT NOT NULL,
    input            TEXT NOT NULL,
    error            TEXT NULL,
    idempotency_key  TEXT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    completed_at     BIGINT NULL
);
CREATE INDEX ix_workflow_runs_workflow ON workflow_runs (workflow_id, created_at);
CREATE UNIQUE INDEX ux_workflow_runs_key ON workflow_runs (workflow_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE workflow_run_steps (
    workflow_run_id      TEXT NOT NULL REFERENCES workflow_runs(id),
    position             BIGINT NOT NULL,
    step_id              TEXT NOT NULL,
    status               TEXT NOT NULL,
    action_request_id    TEXT NULL,
    decision             TEXT NULL,
    approval_request_id  TEXT NULL,
    input                TEXT NULL,
    output               TEXT NULL,
    error                TEXT NULL,
    started_at           BIGINT NULL,
    completed_at         BIGINT NULL,
    PRIMARY KEY (workflow_run_id, position)
);

-- The step an action request belongs to (so an approval decided later wakes its workflow), and the credential the
-- step picked (null: the agent's linked credential for the provider).
ALTER TABLE action_requests ADD COLUMN workflow_run_id TEXT NULL;
ALTER TABLE action_requests ADD COLUMN credential_id TEXT NULL;
