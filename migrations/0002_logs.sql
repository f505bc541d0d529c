-- Tenant log events (Auth0's /api/v2/logs). log_id sorts by time (hex millis first),
-- so it orders pages and serves as the checkpoint of `from`/`take`.
CREATE TABLE logs (
    log_id TEXT PRIMARY KEY,
    date BIGINT NOT NULL,
    type TEXT NOT NULL,
    client_id TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX logs_type ON logs (type, log_id);
CREATE INDEX logs_client ON logs (client_id, log_id);
CREATE INDEX logs_date ON logs (date);
