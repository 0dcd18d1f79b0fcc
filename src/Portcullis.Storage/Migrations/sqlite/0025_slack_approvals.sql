-- Approvals in Slack. One Slack app per workspace: its team, default channel and the sealed bot token + signing secret
-- (vault envelope, the workspace id bound in). Interactions find their workspace by team id, then by the signing
-- secret that verifies the request, so two workspaces may connect two apps of one Slack team.
CREATE TABLE slack_integrations (
    workspace_id     TEXT PRIMARY KEY REFERENCES workspaces(id),
    team_id          TEXT NOT NULL,
    team_name        TEXT NULL,
    default_channel  TEXT NOT NULL,
    secrets_sealed   TEXT NOT NULL,
    token_hint       TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX ix_slack_integrations_team ON slack_integrations (team_id);

-- A member's Slack identity: who a button click in Slack decides as.
CREATE TABLE slack_user_links (
    workspace_id   TEXT NOT NULL REFERENCES workspaces(id),
    user_id        TEXT NOT NULL REFERENCES users(id),
    slack_user_id  TEXT NOT NULL,
    linked_at      INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, user_id),
    UNIQUE (workspace_id, slack_user_id)
);

-- The Slack message of an approval: where it was posted (channel id and ts, to update it), how the post went
-- (posted, failed, or unknown after a crash mid-post: never posted twice) and the failed tries of the current send.
CREATE TABLE slack_messages (
    approval_id  TEXT PRIMARY KEY REFERENCES approvals(id),
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    state        TEXT NOT NULL,
    channel      TEXT NULL,
    ts           TEXT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NULL,
    posted_at    INTEGER NULL,
    updated_at   INTEGER NOT NULL
);

-- Signatures of interactions already handled: a request replayed inside the five-minute window is refused.
CREATE TABLE slack_interactions_seen (
    signature  TEXT PRIMARY KEY,
    seen_at    INTEGER NOT NULL
);
CREATE INDEX ix_slack_interactions_seen_at ON slack_interactions_seen (seen_at);

-- Where each decision came from (dashboard, api, slack, email); the approval's final one too (and expiry).
ALTER TABLE approval_decisions ADD COLUMN channel TEXT NULL;
ALTER TABLE approvals ADD COLUMN decided_channel TEXT NULL;

-- A require_approval policy may post to another channel than the workspace's default; the approval keeps its choice.
ALTER TABLE policies ADD COLUMN slack_channel TEXT NULL;
ALTER TABLE policy_versions ADD COLUMN slack_channel TEXT NULL;
ALTER TABLE approvals ADD COLUMN slack_channel TEXT NULL;
