-- Foundation: workspaces, members, tokens, agents and keys, runs and their timeline, audit trail.
-- Times are unix epoch milliseconds (BIGINT); JSON is stored as TEXT.

CREATE TABLE workspaces (
    id                       TEXT PRIMARY KEY,
    name                     TEXT NOT NULL,
    created_at               BIGINT NOT NULL,
    default_decision         TEXT NOT NULL DEFAULT 'allow',
    connector_mode           TEXT NOT NULL DEFAULT 'demo',
    approval_expiry_seconds  BIGINT NOT NULL DEFAULT 86400,
    forbid_self_approval     BOOLEAN NOT NULL DEFAULT TRUE,
    billing_state            TEXT NOT NULL DEFAULT 'active',
    billing_trial_ends_at    BIGINT NULL,
    billing_past_due_since   BIGINT NULL,
    billing_grace_days       BIGINT NOT NULL DEFAULT 7
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     BIGINT NOT NULL
);

CREATE TABLE members (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);

CREATE TABLE user_tokens (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    lookup        TEXT NOT NULL UNIQUE,
    salt          BYTEA NOT NULL,
    hash          BYTEA NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NULL,
    last_used_at  BIGINT NULL,
    revoked_at    BIGINT NULL
);

CREATE TABLE agents (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces(id),
    name           TEXT NOT NULL,
    description    TEXT NULL,
    owner_user_id  TEXT NULL REFERENCES users(id),
    created_at     BIGINT NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE agent_keys (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    agent_id      TEXT NOT NULL REFERENCES agents(id),
    name          TEXT NOT NULL,
    lookup        TEXT NOT NULL UNIQUE,
    salt          BYTEA NOT NULL,
    hash          BYTEA NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT NULL,
    revoked_at    BIGINT NULL
);
CREATE INDEX ix_agent_keys_agent ON agent_keys (workspace_id, agent_id);

CREATE TABLE runs (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces(id),
    agent_id       TEXT NOT NULL REFERENCES agents(id),
    status         TEXT NOT NULL,
    trigger_type   TEXT NOT NULL,
    external_ref   TEXT NULL,
    agent_version  TEXT NULL,
    triggered_by   TEXT NULL,
    started_at     BIGINT NOT NULL,
    ended_at       BIGINT NULL
);
CREATE INDEX ix_runs_workspace_started ON runs (workspace_id, started_at DESC, id DESC);
CREATE INDEX ix_runs_workspace_external_ref ON runs (workspace_id, external_ref);

-- One table for the whole timeline. Agent events carry their sequence_no; system entries have
-- sequence_no NULL and sort after the agent sequence number that was highest when they were written.
CREATE TABLE timeline_entries (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id        TEXT NOT NULL REFERENCES runs(id),
    workspace_id  TEXT NOT NULL,
    sequence_no   BIGINT NULL,
    sort_seq      BIGINT NOT NULL,
    source        TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    payload       TEXT NULL,
    occurred_at   BIGINT NOT NULL,
    recorded_at   BIGINT NOT NULL,
    content_hash  BYTEA NULL,
    UNIQUE (run_id, sequence_no)
);
CREATE INDEX ix_timeline_run_order ON timeline_entries (run_id, sort_seq, id);

CREATE TABLE audit_entries (
    workspace_id  TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    id            TEXT NOT NULL UNIQUE,
    occurred_at   BIGINT NOT NULL,
    actor_type    TEXT NOT NULL,
    actor_id      TEXT NOT NULL,
    action        TEXT NOT NULL,
    target_type   TEXT NOT NULL,
    target_id     TEXT NOT NULL,
    details       TEXT NOT NULL,
    prev_hash     BYTEA NOT NULL,
    hash          BYTEA NOT NULL,
    PRIMARY KEY (workspace_id, seq)
);
