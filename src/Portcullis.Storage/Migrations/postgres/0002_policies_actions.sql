-- Policies with version history, action requests and what follows from them: executions, alerts, approvals.

ALTER TABLE workspaces ADD COLUMN policy_revision BIGINT NOT NULL DEFAULT 0;

CREATE TABLE policies (
    id                  TEXT PRIMARY KEY,
    workspace_id        TEXT NOT NULL REFERENCES workspaces(id),
    version             BIGINT NOT NULL,
    name                TEXT NOT NULL,
    description         TEXT NULL,
    condition           TEXT NOT NULL,
    decision            TEXT NOT NULL,
    reason              TEXT NULL,
    priority            BIGINT NOT NULL,
    enabled             BOOLEAN NOT NULL,
    agent_ids           TEXT NOT NULL,
    approvals_required  BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    deleted_at          BIGINT NULL
);
CREATE INDEX ix_policies_workspace ON policies (workspace_id, deleted_at);

-- Every saved state of a policy, the current one included; never updated.
CREATE TABLE policy_versions (
    policy_id           TEXT NOT NULL REFERENCES policies(id),
    version             BIGINT NOT NULL,
    workspace_id        TEXT NOT NULL,
    name                TEXT NOT NULL,
    description         TEXT NULL,
    condition           TEXT NOT NULL,
    decision            TEXT NOT NULL,
    reason              TEXT NULL,
    priority            BIGINT NOT NULL,
    enabled             BOOLEAN NOT NULL,
    agent_ids           TEXT NOT NULL,
    approvals_required  BIGINT NOT NULL,
    change              TEXT NOT NULL,
    changed_by          TEXT NOT NULL,
    changed_at          BIGINT NOT NULL,
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
    request_hash      BYTEA NOT NULL,
    decision          TEXT NOT NULL,
    reason            TEXT NOT NULL,
    matched_policies  TEXT NOT NULL,
    policy_errors     TEXT NULL,
    status            TEXT NOT NULL,
    response          TEXT NULL,
    created_at        BIGINT NOT NULL,
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
    attempts           BIGINT NOT NULL,
    simulated          BOOLEAN NOT NULL,
    started_at         BIGINT NOT NULL,
    completed_at       BIGINT NOT NULL,
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
    created_at         BIGINT NOT NULL
);
CREATE INDEX ix_alerts_workspace_time ON alerts (workspace_id, created_at);

CREATE TABLE approvals (
    id                  TEXT PRIMARY KEY,
    workspace_id        TEXT NOT NULL,
    action_request_id   TEXT NOT NULL UNIQUE REFERENCES action_requests(id),
    run_id              TEXT NOT NULL,
    agent_id            TEXT NOT NULL,
    status              TEXT NOT NULL,
    approvals_required  BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    expires_at          BIGINT NOT NULL,
    decided_at          BIGINT NULL,
    decided_by          TEXT NULL,
    comment             TEXT NULL
);
CREATE INDEX ix_approvals_workspace_status ON approvals (workspace_id, status, created_at);
