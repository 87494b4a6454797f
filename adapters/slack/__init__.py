"""The Slack adapter: slack-bolt in, core decisions rendered as Block Kit out (see docs/slack.md)."""
