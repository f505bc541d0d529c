-- Zeroth's first schema. Portable SQL for SQLite and PostgreSQL: only TEXT, BIGINT and
-- DOUBLE PRECISION columns (booleans 0/1, times unix ms, JSON documents as TEXT), because
-- sqlx's Any driver cannot decode engine-specific types. Secrets are stored sealed ("v1:…").

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    client_secret_sealed TEXT,
    -- Copied out of doc so the list filters are plain column comparisons on both engines.
    is_global BIGINT NOT NULL,
    is_first_party BIGINT NOT NULL,
    app_type TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX clients_created ON clients (created_at, client_id);

CREATE TABLE resource_servers (
    id TEXT PRIMARY KEY,
    identifier TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL,
    signing_secret_sealed TEXT,
    is_system BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX resource_servers_created ON resource_servers (created_at, id);

CREATE TABLE client_grants (
    id TEXT PRIMARY KEY,
    client_id TEXT REFERENCES clients (client_id),
    audience TEXT NOT NULL,
    doc TEXT NOT NULL,
    allow_any_organization BIGINT NOT NULL,
    subject_type TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (client_id, audience)
);
CREATE INDEX client_grants_created ON client_grants (created_at, id);
CREATE INDEX client_grants_audience ON client_grants (audience);

CREATE TABLE client_credentials (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (client_id),
    doc TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX client_credentials_client ON client_credentials (client_id, created_at);

CREATE TABLE used_jtis (
    client_id TEXT NOT NULL,
    jti TEXT NOT NULL,
    exp BIGINT NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX used_jtis_exp ON used_jtis (exp);

CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    private_key_sealed TEXT NOT NULL,
    cert_pem TEXT NOT NULL,
    pkcs7_pem TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    current_since BIGINT,
    current_until BIGINT,
    revoked_at BIGINT
);
