-- 0002: app installations, so one deployment serves many Slack workspaces (Slack's OAuth flow),
-- and the one-time state values that flow hands out.
--
-- installations.data is the installation as the adapter serialised it, bot tokens included:
-- a secret. The adapter encrypts it when a key is configured (docs/slack.md); the ids beside it
-- stay readable so that lookups need no key.

CREATE TABLE installations (
    platform     TEXT NOT NULL,
    kind         TEXT NOT NULL,   -- e.g. one row per installing user, one per workspace's bot
    enterprise   TEXT NOT NULL,   -- '' outside an Enterprise Grid organisation
    team         TEXT NOT NULL,   -- '' for an organisation-wide install
    installer    TEXT NOT NULL,   -- the installing user's id; '' when no person's
    data         TEXT NOT NULL,
    installed_at TEXT NOT NULL,
    PRIMARY KEY (platform, kind, enterprise, team, installer)
);
CREATE INDEX installations_newest ON installations (platform, kind, enterprise, team, installed_at);

-- OAuth state values: issued when an install starts, consumed once when Slack sends the user back.
CREATE TABLE oauth_states (
    platform   TEXT NOT NULL,
    state      TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (platform, state)
);
CREATE INDEX oauth_states_expires_at ON oauth_states (expires_at);
