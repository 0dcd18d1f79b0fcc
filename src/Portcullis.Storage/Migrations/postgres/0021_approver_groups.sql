-- Approver groups: named sets of a workspace's members. A require_approval policy may name one (approver_group):
-- then only its members decide, and approvalsRequired counts their approvals. escalate_to names the group an
-- unanswered approval moves to after escalate_after_seconds, or at its expiry.
CREATE TABLE approver_groups (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE approver_group_members (
    group_id  TEXT NOT NULL REFERENCES approver_groups(id),
    user_id   TEXT NOT NULL REFERENCES users(id),
    added_at  BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX ix_approver_group_members_user ON approver_group_members (user_id);

ALTER TABLE policies ADD COLUMN approver_group TEXT NULL;
ALTER TABLE policies ADD COLUMN escalate_after_seconds BIGINT NULL;
ALTER TABLE policies ADD COLUMN escalate_to TEXT NULL;
ALTER TABLE policy_versions ADD COLUMN approver_group TEXT NULL;
ALTER TABLE policy_versions ADD COLUMN escalate_after_seconds BIGINT NULL;
ALTER TABLE policy_versions ADD COLUMN escalate_to TEXT NULL;

-- On the approval: the group that decides now (it changes once, at escalation), where it escalates to and when.
ALTER TABLE approvals ADD COLUMN approver_group TEXT NULL;
ALTER TABLE approvals ADD COLUMN escalate_to TEXT NULL;
ALTER TABLE approvals ADD COLUMN escalate_at BIGINT NULL;
ALTER TABLE approvals ADD COLUMN escalated_at BIGINT NULL;
CREATE INDEX ix_approvals_escalation ON approvals (status, escalate_at);
