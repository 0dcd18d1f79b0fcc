-- The event types a workspace's subscriptions ask for, their comma-bracketed lists joined (",run.started,,action.executed,"),
-- kept by every change to event_subscriptions in the same transaction. Agent calls read it with their key (one row), so a
-- request of a workspace nobody subscribed to queues no event without reading event_subscriptions.
ALTER TABLE workspaces ADD COLUMN event_types TEXT NOT NULL DEFAULT '';
UPDATE workspaces SET event_types = COALESCE((SELECT string_agg(types, '' ORDER BY id) FROM event_subscriptions s WHERE s.workspace_id = workspaces.id), '');
