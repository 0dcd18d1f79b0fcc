-- The kill switch: an agent or a whole workspace can be frozen. Read with the agent's key lookup on every request (no
-- cache), so a freeze takes effect at the next request on every instance.

ALTER TABLE agents ADD COLUMN frozen_at INTEGER NULL;
ALTER TABLE agents ADD COLUMN frozen_reason TEXT NULL;
ALTER TABLE agents ADD COLUMN frozen_by TEXT NULL;

ALTER TABLE workspaces ADD COLUMN frozen_at INTEGER NULL;
ALTER TABLE workspaces ADD COLUMN frozen_reason TEXT NULL;
ALTER TABLE workspaces ADD COLUMN frozen_by TEXT NULL;
