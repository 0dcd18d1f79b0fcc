-- Foundation: workspaces, members, tokens, agents and keys, runs and their timeline, audit trail.
-- Times are unix epoch milliseconds (INTEGER); JSON is stored as TEXT.

CREATE TABLE workspaces (
    id                       TEXT PRIMARY KEY,
    name                     TEXT NOT NULL,
    created_at               INTEGER NOT NULL,
    default_decision         TEXT NOT NULL DEFAULT 'allow',
    connector_mode           TEXT NOT NULL DEFAULT 'demo',
    approval_expiry_seconds  INTEGER NOT NULL DEFAULT 86400,
    forbid_self_approval     INTEGER NOT NULL DEFAULT 1,
    billing_state            TEXT NOT NULL DEFAULT 'active',
    billing_trial_ends_at    INTEGER NULL,
    billing_past_due_since   INTEGER NULL,
    billing_grace_days       INTEGER NOT NULL DEFAULT 7
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE members (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);

CREATE TABLE user_tokens (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    lookup        TEXT NOT NULL UNIQUE,
    salt          BLOB NOT NULL,
    hash          BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NULL,
    last_used_at  INTEGER NULL,
    revoked_at    INTEGER NULL
);

CREATE TABLE agents (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces(id),
    name           TEXT NOT NULL,
    description    TEXT NULL,
    owner_user_id  TEXT NULL REFERENCES users(id),
    created_at     INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE agent_keys (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    agent_id      TEXT NOT NULL REFERENCES agents(id),
    name          TEXT NOT NULL,
    lookup        TEXT NOT NULL UNIQUE,
    salt          BLOB NOT NULL,
    hash          BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NULL,
    revoked_at    INTEGER NULL
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
    started_at     INTEGER NOT NULL,
    ended_at       INTEGER NULL
);
CREATE INDEX ix_runs_workspace_started ON runs (workspace_id, started_at DESC, id DESC);
CREATE INDEX ix_runs_workspace_external_ref ON runs (workspace_id, external_ref);

-- One table for the whole timeline. Agent events carry their sequence_no; system entries have
-- sequence_no NULL and sort after the agent sequence number that was highest when they were written.
CREATE TABLE timeline_entries (
    id            INTEGER PRIMARY KEY, -- the rowid; no AUTOINCREMENT, which costs a write per insert
    run_id        TEXT NOT NULL REFERENCES runs(id),
    workspace_id  TEXT NOT NULL,
    sequence_no   INTEGER NULL,
    sort_seq      INTEGER NOT NULL,
    source        TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    payload       TEXT NULL,
    occurred_at   INTEGER NOT NULL,
    recorded_at   INTEGER NOT NULL,
    content_hash  BLOB NULL,
    UNIQUE (run_id, sequence_no)
);
CREATE INDEX ix_timeline_run_order ON timeline_entries (run_id, sort_seq, id);

CREATE TABLE audit_entries (
    workspace_id  TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    id            TEXT NOT NULL UNIQUE,
    occurred_at   INTEGER NOT NULL,
    actor_type    TEXT NOT NULL,
    actor_id      TEXT NOT NULL,
    action        TEXT NOT NULL,
    target_type   TEXT NOT NULL,
    target_id     TEXT NOT NULL,
    details       TEXT NOT NULL,
    prev_hash     BLOB NOT NULL,
    hash          BLOB NOT NULL,
    PRIMARY KEY (workspace_id, seq)
);
