-- The credential vault: workspace credentials, sealed with envelope encryption, and their links to agents.

CREATE TABLE credentials (
    id                  TEXT PRIMARY KEY,
    workspace_id        TEXT NOT NULL REFERENCES workspaces(id),
    provider            TEXT NOT NULL,
    name                TEXT NOT NULL,
    auth_type           TEXT NOT NULL,
    hint                TEXT NOT NULL,
    status              TEXT NOT NULL,
    master_key_version  BIGINT NOT NULL,
    wrapped_key         BYTEA NOT NULL,
    ciphertext          BYTEA NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    verified_at         BIGINT NULL,
    verify_ok           BOOLEAN NULL,
    verify_message      TEXT NULL,
    deleted_at          BIGINT NULL
);
CREATE INDEX ix_credentials_workspace ON credentials (workspace_id, provider);

CREATE TABLE credential_links (
    credential_id  TEXT NOT NULL REFERENCES credentials(id),
    agent_id       TEXT NOT NULL REFERENCES agents(id),
    workspace_id   TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (credential_id, agent_id)
);
CREATE INDEX ix_credential_links_agent ON credential_links (agent_id);

-- OAuth authorisations in flight: the state parameter and the sealed PKCE verifier.
CREATE TABLE oauth_states (
    state              TEXT PRIMARY KEY,
    workspace_id       TEXT NOT NULL,
    provider           TEXT NOT NULL,
    name               TEXT NOT NULL,
    agent_id           TEXT NULL,
    created_by         TEXT NOT NULL,
    redirect_uri       TEXT NOT NULL,
    code_verifier      TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL
);
