-- A GeoPackage attribute table has an integer primary key (GeoPackage 1.3, requirement 119);
-- `versions` had its text key (id, version), so GDAL's validator refused the whole file. The
-- table is rebuilt with a `fid` like `changesets`, the key kept as a unique constraint (the
-- same B-tree a text primary key had beside the rowid), and the versions in their order.
CREATE TABLE versions_new (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  layer TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  recorded_at TEXT NOT NULL,
  superseded_at TEXT,
  changeset TEXT NOT NULL REFERENCES changesets(id),
  retired INTEGER NOT NULL,
  body TEXT NOT NULL,
  geom BLOB NOT NULL,
  UNIQUE (id, version)
);
INSERT INTO versions_new (id, version, layer, valid_from, valid_to, recorded_at, superseded_at,
  changeset, retired, body, geom)
SELECT id, version, layer, valid_from, valid_to, recorded_at, superseded_at, changeset, retired,
  body, geom
FROM versions ORDER BY rowid;
DROP TABLE versions;
ALTER TABLE versions_new RENAME TO versions;
CREATE INDEX versions_changeset ON versions(changeset);
