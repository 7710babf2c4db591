-- Editions of the gazetteer built from the registry: who built which, from which changeset,
-- with what options; the PDF itself is an attachment (by SHA-256).
CREATE TABLE gazetteer_editions (
  id TEXT PRIMARY KEY,
  built_at DATETIME NOT NULL,
  built_by TEXT NOT NULL,
  changeset TEXT,
  entries INTEGER NOT NULL,
  options TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES attachments(sha256)
);
