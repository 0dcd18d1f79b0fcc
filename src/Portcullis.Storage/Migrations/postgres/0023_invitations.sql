-- Invitations: adding a member by email no longer adds anyone silently. The invitee gets a one-time link, bound to the
-- email, that expires; only its lookup prefix and a salted hash of the whole token are stored. Exactly one of
-- accepted_at and revoked_at is ever set, and only while the invitation is pending.
CREATE TABLE invitations (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    email         TEXT NOT NULL,
    role          TEXT NOT NULL,
    lookup        TEXT NOT NULL UNIQUE,
    salt          BYTEA NOT NULL,
    hash          BYTEA NOT NULL,
    invited_by    TEXT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    accepted_at   BIGINT NULL,
    accepted_by   TEXT NULL REFERENCES users(id),
    revoked_at    BIGINT NULL,
    revoked_by    TEXT NULL REFERENCES users(id)
);
CREATE INDEX ix_invitations_workspace ON invitations (workspace_id, created_at);
