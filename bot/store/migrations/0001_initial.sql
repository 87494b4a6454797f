-- 0001: the first schema: cases, idempotency keys, rate limits, desist requests, settings,
-- the audit log and scheduled community purges.
--
-- Written to run unchanged on SQLite and PostgreSQL: standard types (TEXT, INTEGER, BOOLEAN),
-- no "user" column (reserved in PostgreSQL), datetimes as fixed-width ISO-8601 UTC text
-- ("2026-01-31T12:00:00.000000+00:00") so that text comparison is time order on both.
--
-- One exception: "INTEGER PRIMARY KEY AUTOINCREMENT" is SQLite's spelling of an identity
-- column. A PostgreSQL engine replaces it with "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
-- when it loads the file. AUTOINCREMENT (rather than a plain rowid) guarantees that the id of an
-- erased or purged case is never handed out again, so an audit entry naming a case id stays true.
--
-- schema_version itself is created by the migration runner, before any file is applied.

CREATE TABLE processed_events (
    platform   TEXT NOT NULL,
    event_key  TEXT NOT NULL,
    community  TEXT,            -- known only when the decision stored a case
    decided_at TEXT NOT NULL,
    PRIMARY KEY (platform, event_key)
);
CREATE INDEX processed_events_decided_at ON processed_events (decided_at);
CREATE INDEX processed_events_community ON processed_events (platform, community);

CREATE TABLE cases (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    platform   TEXT NOT NULL,
    community  TEXT NOT NULL,
    channel    TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    message_id TEXT NOT NULL,
    labels     TEXT NOT NULL,   -- JSON array of label names
    clauses    TEXT NOT NULL,   -- JSON array of clause numbers
    rules      TEXT NOT NULL,   -- JSON array of rule ids and detector kinds
    severity   TEXT NOT NULL,
    action     TEXT NOT NULL,
    step       INTEGER NOT NULL,
    strike     BOOLEAN NOT NULL,
    status     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    permalink  TEXT,
    content    TEXT             -- NULL unless the config opts in to storing message content
);
CREATE INDEX cases_user ON cases (platform, community, user_id, created_at);
CREATE INDEX cases_message ON cases (platform, community, message_id);
CREATE INDEX cases_status ON cases (platform, community, status);
CREATE INDEX cases_created_at ON cases (created_at);

-- The per-channel rate limit: when a user was last reminded in a channel.
CREATE TABLE reminders (
    platform    TEXT NOT NULL,
    community   TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    reminded_at TEXT NOT NULL,
    PRIMARY KEY (platform, community, user_id, channel)
);
CREATE INDEX reminders_reminded_at ON reminders (reminded_at);

-- 5.2: requests to desist, one per (requester, target) pair.
CREATE TABLE desist_requests (
    platform   TEXT NOT NULL,
    community  TEXT NOT NULL,
    requester  TEXT NOT NULL,
    target     TEXT NOT NULL,
    channel    TEXT NOT NULL,
    message_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (platform, community, requester, target)
);
CREATE INDEX desist_requests_target ON desist_requests (platform, community, target, expires_at);
CREATE INDEX desist_requests_expires_at ON desist_requests (expires_at);

-- Settings moderators toggle at run time (shadow mode).
CREATE TABLE settings (
    platform  TEXT NOT NULL,
    community TEXT NOT NULL,
    name      TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (platform, community, name)
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    platform   TEXT NOT NULL,
    community  TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX audit_log_community ON audit_log (platform, community, created_at);

-- Communities the bot has left, and when their data goes.
CREATE TABLE community_purges (
    platform  TEXT NOT NULL,
    community TEXT NOT NULL,
    purge_at  TEXT NOT NULL,
    PRIMARY KEY (platform, community)
);
