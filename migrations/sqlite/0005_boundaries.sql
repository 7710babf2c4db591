-- Boundary markers (界桩) and their field observations, boundary disputes: current state as
-- GeoPackage feature tables (registered position; observed position; disputed area).
CREATE TABLE boundary_markers (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  number TEXT NOT NULL,
  kind TEXT NOT NULL,
  units TEXT NOT NULL,
  geom POINT NOT NULL
);
CREATE TABLE marker_observations (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  marker_id TEXT NOT NULL,
  date DATE NOT NULL,
  state TEXT NOT NULL,
  offset_mm INTEGER NOT NULL,
  alert INTEGER NOT NULL,
  geom POINT NOT NULL
);
CREATE TABLE boundary_disputes (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  parties TEXT NOT NULL,
  area_m2 INTEGER NOT NULL,
  geom MULTIPOLYGON NOT NULL
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
  ('boundary_markers', 'features', '界桩', '界桩登记（现行）', 4490),
  ('marker_observations', 'features', '界桩观测', '界桩实地观测（现行）', 4490),
  ('boundary_disputes', 'features', '边界争议', '边界争议及争议区域（现行）', 4490);
INSERT INTO gpkg_geometry_columns VALUES
  ('boundary_markers', 'geom', 'POINT', 4490, 0, 0),
  ('marker_observations', 'geom', 'POINT', 4490, 0, 0),
  ('boundary_disputes', 'geom', 'MULTIPOLYGON', 4490, 0, 0);
