-- Approvals bound to the exact action: the digest of the arguments the approver saw (RFC 8785 canonical JSON, SHA-256),
-- which dispatch checks again before sending. NULL for approvals recorded before digests were.
ALTER TABLE approvals ADD COLUMN arguments_digest TEXT NULL;

-- Edit, then approve: a policy may let the approver change the payload. The edited payload is kept beside the original
-- (action_requests.payload stays what the agent asked), with its own digest and the policy revision that re-evaluated it.
ALTER TABLE policies ADD COLUMN allow_edit BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE policy_versions ADD COLUMN allow_edit BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE approvals ADD COLUMN allow_edit BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE approvals ADD COLUMN edited_payload TEXT NULL;
ALTER TABLE approvals ADD COLUMN edited_digest TEXT NULL;
ALTER TABLE approvals ADD COLUMN edited_policy_revision BIGINT NULL;
