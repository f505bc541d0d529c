-- Dashboard (/admin) sessions, shared by every node on one database. Only the SHA-256
-- of the cookie's token is stored, so a database read does not hand out live sessions.
-- Times are unix milliseconds; expiry (idle and absolute) is decided by the server.
CREATE TABLE dashboard_sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX dashboard_sessions_seen ON dashboard_sessions (last_seen_at);
