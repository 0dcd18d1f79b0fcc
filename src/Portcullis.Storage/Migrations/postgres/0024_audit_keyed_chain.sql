-- Keyed audit chain, signed checkpoints, and appends off the request path.
-- scheme 1: entries written before this migration (plain SHA-256 chain, no MAC) and still verified as such.
-- scheme 2: hash = SHA-256 over the typed v2 canonical form, mac = HMAC-SHA256(chain key key_id, hash).
ALTER TABLE audit_entries ADD COLUMN scheme INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_entries ADD COLUMN key_id INTEGER NULL;
ALTER TABLE audit_entries ADD COLUMN mac BYTEA NULL;

-- Requests append here with no lock and no previous hash; one chainer per workspace moves the rows, in pos order,
-- into audit_entries with their seq, hash and mac, in one transaction (so a crash leaves each row in exactly one table).
CREATE TABLE audit_pending (
    pos           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    id            TEXT NOT NULL UNIQUE,
    occurred_at   BIGINT NOT NULL,
    actor_type    TEXT NOT NULL,
    actor_id      TEXT NOT NULL,
    action        TEXT NOT NULL,
    target_type   TEXT NOT NULL,
    target_id     TEXT NOT NULL,
    details       TEXT NOT NULL
);
CREATE INDEX ix_audit_pending_workspace ON audit_pending (workspace_id, pos);

-- Ed25519-signed statements "workspace W's chain had hash H at seq S at time T".
CREATE TABLE audit_checkpoints (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL,
    seq            BIGINT NOT NULL,
    hash           BYTEA NOT NULL,
    created_at     BIGINT NOT NULL,
    public_key_id  TEXT NOT NULL,
    signature      BYTEA NOT NULL
);
CREATE INDEX ix_audit_checkpoints_workspace ON audit_checkpoints (workspace_id, seq);
