-- Editions of the gazetteer built from the registry: who built which, from which changeset,
-- with what options; the PDF itself is an attachment (by SHA-256).
CREATE TABLE gazetteer_editions (
  id text PRIMARY KEY,
  built_at timestamptz NOT NULL,
  built_by text NOT NULL,
  changeset text,
  entries integer NOT NULL,
  options text NOT NULL,
  sha256 text NOT NULL REFERENCES attachments(sha256)
);
