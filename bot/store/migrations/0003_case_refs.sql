-- 0003: an unguessable reference per case, for the buttons that act on it.
--
-- Buttons on reminders and in the moderators' log carry what identifies their case; a
-- sequential id there can be guessed (and was, in the past, looked up with no check of the
-- community). New cases get a random ref; a case from before this migration has none and its
-- old buttons, which carry its id, still work within its own community.

ALTER TABLE cases ADD COLUMN ref TEXT;
CREATE UNIQUE INDEX cases_ref ON cases (ref);
