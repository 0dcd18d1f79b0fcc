-- Event subscriptions: an admin's URL that receives CloudEvents for the listed types (a comma-bracketed list,
-- ",run.started,action.executed,", so one LIKE finds a type without a JSON function that differs per store).
CREATE TABLE event_subscriptions (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    url           TEXT NOT NULL,
    types         TEXT NOT NULL,
    description   TEXT NULL,
    created_by    TEXT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX ix_event_subscriptions_workspace ON event_subscriptions (workspace_id);

-- One row per event and subscription, written in the transaction of the change; the body is the signed CloudEvent.
CREATE TABLE event_deliveries (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
    subscription_id  TEXT NOT NULL REFERENCES event_subscriptions(id),
    event_id         TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    subject          TEXT NULL,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    last_status      INTEGER NULL,
    last_error       TEXT NULL,
    delivered_at     INTEGER NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX ix_event_deliveries_due ON event_deliveries (status, next_attempt_at);
CREATE INDEX ix_event_deliveries_subscription ON event_deliveries (subscription_id, created_at);

-- Every attempt of a delivery, as the receiver answered it (status code or a secret-free error).
CREATE TABLE event_attempts (
    delivery_id   TEXT NOT NULL REFERENCES event_deliveries(id),
    attempt       INTEGER NOT NULL,
    attempted_at  INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL,
    status_code   INTEGER NULL,
    error         TEXT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
