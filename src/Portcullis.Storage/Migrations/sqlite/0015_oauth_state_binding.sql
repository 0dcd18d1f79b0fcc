-- An OAuth connection in flight is bound to the browser that started it: the hash of a cookie set at start, checked at
-- the callback (or the same member's dashboard session), so nobody can finish a flow someone else started.

ALTER TABLE oauth_states ADD COLUMN binding_hash TEXT NULL;
