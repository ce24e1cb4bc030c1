-- Report settings saved through the API and Management (issue 21): one row per part of the YAML's `reports:`
-- (monthly, yearly, weekly, branding) as JSON, replacing the file's part of that name as a whole until deleted.
-- A saved logo travels inside the branding JSON as base64 (at most 512 KiB of PNG or JPEG).
CREATE TABLE report_settings (
  part        TEXT PRIMARY KEY CHECK (part IN ('monthly', 'yearly', 'weekly', 'branding')),
  settings    TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  updated_by  TEXT
);
