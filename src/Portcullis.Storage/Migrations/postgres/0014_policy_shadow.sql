-- Shadow policies: evaluated on every request, never enforced. Each request records what every matching shadow policy
-- would have made of it, so the policies page can say how many requests a shadow policy would have changed.

ALTER TABLE policies ADD COLUMN mode TEXT NOT NULL DEFAULT 'enforce' CHECK (mode IN ('enforce', 'shadow'));
ALTER TABLE policy_versions ADD COLUMN mode TEXT NOT NULL DEFAULT 'enforce' CHECK (mode IN ('enforce', 'shadow'));

CREATE TABLE shadow_outcomes (
    action_request_id  TEXT NOT NULL,
    policy_id          TEXT NOT NULL,
    workspace_id       TEXT NOT NULL,
    run_id             TEXT NOT NULL,
    action_type        TEXT NOT NULL,
    decision           TEXT NOT NULL,
    enforced           TEXT NOT NULL,
    would_be           TEXT NOT NULL,
    changed            BOOLEAN NOT NULL,
    created_at         BIGINT NOT NULL,
    PRIMARY KEY (action_request_id, policy_id)
);
CREATE INDEX ix_shadow_outcomes_policy ON shadow_outcomes (workspace_id, policy_id, created_at);
