-- Labels of a check (issue 23: the overview filters by them), a JSON array of strings. An assigned check's come from
-- its config (the collector's word); a check the agent configured itself gets them from its results.
ALTER TABLE checks ADD COLUMN labels_json TEXT NOT NULL DEFAULT '[]';
