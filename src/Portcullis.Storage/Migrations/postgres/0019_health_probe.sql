-- /health/ready proves the store can write, not only read: it updates this one row (a full disk, a read-only file
-- system or a read-only database fails the update, and the instance is taken out of rotation).

CREATE TABLE health_probe (
    id                 INTEGER PRIMARY KEY,
    probed_at          BIGINT NOT NULL
);
INSERT INTO health_probe (id, probed_at) VALUES (1, 0);
