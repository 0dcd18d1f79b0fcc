-- Every decision records the policy-set revision (workspaces.policy_revision) it was made under, so an action or an
-- approval can be traced to the exact policies that decided it. Requests recorded before this migration have none.
ALTER TABLE action_requests ADD COLUMN policy_revision BIGINT NULL;
