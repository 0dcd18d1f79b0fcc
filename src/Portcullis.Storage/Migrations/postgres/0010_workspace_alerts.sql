-- Alerts that belong to the workspace rather than to an action of a run: the MCP gateway raises one when a refresh
-- finds an upstream tool that changed its approved definition, or a new tool that waits for approval. Such an alert has
-- no run, agent or action request, so those columns become nullable; `kind` tells the alerts apart.
ALTER TABLE alerts ALTER COLUMN run_id DROP NOT NULL;
ALTER TABLE alerts ALTER COLUMN agent_id DROP NOT NULL;
ALTER TABLE alerts ALTER COLUMN action_request_id DROP NOT NULL;
ALTER TABLE alerts ADD COLUMN kind TEXT NOT NULL DEFAULT 'action';
