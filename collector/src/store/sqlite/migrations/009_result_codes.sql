-- Result messages as a language-neutral code with params (shared/src/messages), beside the English message:
-- the edges render them per language. NULL for results of agents that send no code; those show `message`.
ALTER TABLE results ADD COLUMN code TEXT;
ALTER TABLE results ADD COLUMN params_json TEXT;
ALTER TABLE checks ADD COLUMN code TEXT;
ALTER TABLE checks ADD COLUMN params_json TEXT;
-- Alert transitions carry the message of the result that caused them; mails render it per recipient language.
ALTER TABLE alert_transitions ADD COLUMN code TEXT;
ALTER TABLE alert_transitions ADD COLUMN params_json TEXT;
