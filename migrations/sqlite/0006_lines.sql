-- Boundary lines (界线) with their joint inspections, and 平安边界 agreements: current state as
-- GeoPackage feature tables.
CREATE TABLE boundary_lines (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  left_unit TEXT NOT NULL,
  right_unit TEXT NOT NULL,
  legal TEXT NOT NULL,
  technical TEXT NOT NULL,
  geom MULTILINESTRING NOT NULL
);
CREATE TABLE line_inspections (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  line_id TEXT NOT NULL,
  date DATE NOT NULL,
  geom MULTILINESTRING NOT NULL
);
CREATE TABLE boundary_agreements (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  title TEXT NOT NULL,
  parties TEXT NOT NULL,
  renewal DATE NOT NULL,
  geom MULTILINESTRING NOT NULL
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
  ('boundary_lines', 'features', '界线', '行政区域界线（现行）', 4490),
  ('line_inspections', 'features', '界线联合检查', '界线联合检查记录（现行）', 4490),
  ('boundary_agreements', 'features', '平安边界协议', '平安边界协议（现行）', 4490);
INSERT INTO gpkg_geometry_columns VALUES
  ('boundary_lines', 'geom', 'MULTILINESTRING', 4490, 0, 0),
  ('line_inspections', 'geom', 'MULTILINESTRING', 4490, 0, 0),
  ('boundary_agreements', 'geom', 'MULTILINESTRING', 4490, 0, 0);
