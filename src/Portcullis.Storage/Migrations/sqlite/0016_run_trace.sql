-- The W3C traceparent of the request that opened a run, when it was traced: later work on the run (an approval
-- decided by a person, a workflow step run by the worker) happens in other traces and links back to this one.
ALTER TABLE runs ADD COLUMN trace_parent TEXT NULL;
