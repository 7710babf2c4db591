-- Accounts: officers and their roles, login sessions, API tokens for scripts and GIS clients,
-- and the log of refused attempts. Secrets are stored only as hashes (argon2 for passwords,
-- SHA-256 for the random session and API tokens).
CREATE TABLE users (
  name text PRIMARY KEY,
  role text NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  disabled_at timestamptz
);
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_name text NOT NULL REFERENCES users(name),
  csrf text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE TABLE api_tokens (
  token_hash text PRIMARY KEY,
  user_name text NOT NULL REFERENCES users(name),
  label text NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE TABLE access_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  user_name text,
  action text NOT NULL,
  target text NOT NULL,
  reason text NOT NULL
);
