-- Consecutive failed OAuth refreshes that were not a refusal of the grant (time-out, 5xx, network): the credential stays
-- connected and is refreshed again on its next use; after a few in a row the workspace gets an alert. A success resets it.
ALTER TABLE credentials ADD COLUMN refresh_failures INTEGER NOT NULL DEFAULT 0;
