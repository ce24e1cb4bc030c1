-- API tokens get a scope (read / write / admin) and an optional expiry (issue #16). Tokens made before this
-- could do everything their user can; they keep exactly that as scope 'admin', with no expiry.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'admin' CHECK (scope IN ('read', 'write', 'admin'));
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
