-- Approval emails: one row per recipient of one notification (the approval was requested, or escalated to a new group).
-- The row is the outbox entry a job sends, and the recipient's one-time link: only the SHA-256 of the link's token is
-- kept (token_hash); the token itself is sealed by the vault while the email is queued and erased once it is sent.
-- A link decides at most once (used_at) and only while its approval is pending; it expires with the approval.
CREATE TABLE approval_emails (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    approval_id   TEXT NOT NULL REFERENCES approvals(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    recipient     TEXT NOT NULL,
    reason        TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    token_sealed  TEXT NULL,
    status        TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    last_error    TEXT NULL,
    created_at    INTEGER NOT NULL,
    sent_at       INTEGER NULL,
    used_at       INTEGER NULL,
    used_decision TEXT NULL
);
CREATE INDEX ix_approval_emails_approval ON approval_emails (approval_id);
