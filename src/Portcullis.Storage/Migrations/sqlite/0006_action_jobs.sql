-- The governed-action engine: where a request came from, caller-supplied policy context, and durable jobs.
-- A job is written in the transaction that decides the side effect it stands for, claimed with a lease,
-- completed in the transaction that records its result, and reclaimed when its lease runs out.

ALTER TABLE action_requests ADD COLUMN source TEXT NOT NULL DEFAULT 'rest';
ALTER TABLE action_requests ADD COLUMN context TEXT NULL;

CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    kind          TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    status        TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    lease_owner   TEXT NULL,
    next_at       INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    completed_at  INTEGER NULL,
    UNIQUE (kind, subject_id)
);
-- Due work: pending jobs whose time has come and running jobs whose lease ran out, both by next_at.
CREATE INDEX ix_jobs_due ON jobs (status, next_at);

-- Actions left executing by an earlier version (dispatched between two transactions, with no owner) become
-- jobs that were started and whose lease has run out: recovery re-sends the safe ones and marks the rest unknown.
INSERT INTO jobs (id, workspace_id, kind, subject_id, status, attempts, lease_owner, next_at, created_at, completed_at)
SELECT 'job_' || id, workspace_id, 'dispatch', id, 'running', 1, NULL, 0, created_at, NULL
FROM action_requests WHERE status = 'executing';
