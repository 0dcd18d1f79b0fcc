-- No query reads action requests by run (a run's actions are on its timeline), and runs are never
-- deleted, so this index only cost a write: one more B-tree page in every requestAction commit.
DROP INDEX IF EXISTS ix_action_requests_run;
