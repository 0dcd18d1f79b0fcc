-- Policies with version history, action requests and what follows from them: executions, alerts, approvals.

ALTER TABLE workspaces ADD COLUMN policy_revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE policies (
    id                  TEXT PRIMARY KEY,
    workspace_id        TEXT NOT NULL REFERENCES workspaces(id),
    version             INTEGER NOT NULL,
    name                TEXT NOT NULL,
    description         TEXT NULL,
    condition           TEXT NOT NULL,
    decision            TEXT NOT NULL,
    reason              TEXT NULL,
    priority            INTEGER NOT NULL,
    enabled             INTEGER NOT NULL,
    agent_ids           TEXT NOT NULL,
    approvals_required  INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    deleted_at          INTEGER NULL
);
CREATE INDEX ix_policies_workspace ON policies (workspace_id, deleted_at);

-- Every saved state of a policy, the current one included; never updated.
CREATE TABLE policy_versions (
    policy_id           TEXT NOT NULL REFERENCES policies(id),
    version             INTEGER NOT NULL,
    workspace_id        TEXT NOT NULL,
    name                TEXT NOT NULL,
    description         TEXT NULL,
    condition           TEXT NOT NULL,
    decision            TEXT NOT NULL,
    reason              TEXT NULL,
    priority            INTEGER NOT NULL,
    enabled             INTEGER NOT NULL,
    agent_ids           TEXT NOT NULL,
    approvals_required  INTEGER NOT NULL,
    change              TEXT NOT NULL,
    changed_by          TEXT NOT NULL,
    changed_at          INTEGER NOT NULL,
    PRIMARY KEY (policy_id, version)
);

CREATE TABLE action_requests (
    id                TEXT PRIMARY KEY,
    workspace_id      TEXT NOT NULL REFERENCES workspaces(id),
    run_id            TEXT NOT NULL REFERENCES runs(id),
    agent_id          TEXT NOT NULL REFERENCES agents(id),
    action_type       TEXT NOT NULL,
    provider          TEXT NULL,
    resource_type     TEXT NULL,
    resource_id       TEXT NULL,
    payload           TEXT NOT NULL,
    evidence          TEXT NULL,
    callback_url      TEXT NULL,
    idempotency_key   TEXT NULL,
    request_hash      BLOB NOT NULL,
    decision          TEXT NOT NULL,
    reason            TEXT NOT NULL,
    matched_policies  TEXT NOT NULL,
    policy_errors     TEXT NULL,
    status            TEXT NOT NULL,
    response          TEXT NULL,
    created_at        INTEGER NOT NULL,
    UNIQUE (agent_id, idempotency_key)
);
CREATE INDEX ix_action_requests_workspace_time ON action_requests (workspace_id, created_at);
CREATE INDEX ix_action_requests_agent_time ON action_requests (agent_id, action_type, created_at);
CREATE INDEX ix_action_requests_run ON action_requests (run_id);

CREATE TABLE executions (
    id                 TEXT PRIMARY KEY,
    workspace_id       TEXT NOT NULL,
    action_request_id  TEXT NOT NULL UNIQUE REFERENCES action_requests(id),
    provider           TEXT NOT NULL,
    action_type        TEXT NOT NULL,
    status             TEXT NOT NULL,
    attempts           INTEGER NOT NULL,
    simulated          INTEGER NOT NULL,
    started_at         INTEGER NOT NULL,
    completed_at       INTEGER NOT NULL,
    error              TEXT NULL,
    response_payload   TEXT NULL
);

CREATE TABLE alerts (
    id                 TEXT PRIMARY KEY,
    workspace_id       TEXT NOT NULL,
    run_id             TEXT NOT NULL,
    agent_id           TEXT NOT NULL,
    action_request_id  TEXT NOT NULL REFERENCES action_requests(id),
    action_type        TEXT NOT NULL,
    reason             TEXT NOT NULL,
    policies           TEXT NOT NULL,
    created_at         INTEGER NOT NULL
);
CREATE INDEX ix_alerts_workspace_time ON alerts (workspace_id, created_at);

CREATE TABLE approvals (
    id                  TEXT PRIMARY KEY,
    workspace_id        TEXT NOT NULL,
    action_request_id   TEXT NOT NULL UNIQUE REFERENCES action_requests(id),
    run_id              TEXT NOT NULL,
    agent_id            TEXT NOT NULL,
    status              TEXT NOT NULL,
    approvals_required  INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    expires_at          INTEGER NOT NULL,
    decided_at          INTEGER NULL,
    decided_by          TEXT NULL,
    comment             TEXT NULL
);
CREATE INDEX ix_approvals_workspace_status ON approvals (workspace_id, status, created_at);
