-- Approvals: each approver's decision, the sealed webhook signing secret of a workspace, and the
-- outbox of signed callbacks that tell an agent how its approval ended.

-- One row per approver and approval: N distinct approvers are N rows, so approving twice counts once.
CREATE TABLE approval_decisions (
    approval_id  TEXT NOT NULL REFERENCES approvals(id),
    user_id      TEXT NOT NULL REFERENCES users(id),
    decision     TEXT NOT NULL,
    comment      TEXT NULL,
    decided_at   BIGINT NOT NULL,
    PRIMARY KEY (approval_id, user_id)
);

-- The expiry sweep and "is another approval of this run still pending?" read these.
CREATE INDEX ix_approvals_status_expiry ON approvals (status, expires_at);
CREATE INDEX ix_approvals_run_status ON approvals (run_id, status);

-- The callback signing secret, sealed with the vault's envelope encryption (SealedSecret's compact
-- form); never stored in the clear and never returned except once by the owner-only rotate endpoint.
ALTER TABLE workspaces ADD COLUMN webhook_secret_sealed TEXT NULL;
ALTER TABLE workspaces ADD COLUMN webhook_secret_rotated_at BIGINT NULL;

CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
    approval_id      TEXT NOT NULL REFERENCES approvals(id),
    event            TEXT NOT NULL,
    url              TEXT NOT NULL,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL,
    next_attempt_at  BIGINT NOT NULL,
    last_status      BIGINT NULL,
    last_error       TEXT NULL,
    delivered_at     BIGINT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX ix_webhook_deliveries_approval ON webhook_deliveries (approval_id, created_at);

-- Every attempt of a delivery, as the receiver answered it (status code or a secret-free error).
CREATE TABLE webhook_attempts (
    delivery_id   TEXT NOT NULL REFERENCES webhook_deliveries(id),
    attempt       BIGINT NOT NULL,
    attempted_at  BIGINT NOT NULL,
    duration_ms   BIGINT NOT NULL,
    status_code   BIGINT NULL,
    error         TEXT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
