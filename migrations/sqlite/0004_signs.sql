-- Street signs (地名标志), their inspections and repair work orders: current state as
-- GeoPackage feature tables (points where the sign stands).
CREATE TABLE signs (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  code TEXT NOT NULL,
  kind TEXT NOT NULL,
  shows TEXT NOT NULL,
  condition TEXT NOT NULL,
  names_id TEXT,
  geom POINT NOT NULL
);
CREATE TABLE sign_inspections (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  sign_id TEXT NOT NULL,
  date DATE NOT NULL,
  condition TEXT NOT NULL,
  geom POINT NOT NULL
);
CREATE TABLE work_orders (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  sign_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  cost_fen INTEGER,
  geom POINT NOT NULL
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
  ('signs', 'features', '地名标志', '地名标志（现行）', 4490),
  ('sign_inspections', 'features', '标志巡查', '地名标志巡查记录（现行）', 4490),
  ('work_orders', 'features', '标志维修工单', '地名标志维修工单（现行）', 4490);
INSERT INTO gpkg_geometry_columns VALUES
  ('signs', 'geom', 'POINT', 4490, 0, 0),
  ('sign_inspections', 'geom', 'POINT', 4490, 0, 0),
  ('work_orders', 'geom', 'POINT', 4490, 0, 0);
-- Photos and other uploads, addressed by the SHA-256 of their bytes; never changed or deleted.
CREATE TABLE attachments (
  sha256 TEXT PRIMARY KEY,
  media_type TEXT NOT NULL,
  bytes BLOB NOT NULL,
  uploaded_at DATETIME NOT NULL,
  uploaded_by TEXT NOT NULL
);
