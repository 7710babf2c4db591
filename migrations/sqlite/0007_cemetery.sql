-- Cemeteries, sections and plots; burial registrations, subsidy claims, graves outside
-- cemeteries and relocation notices (personal data: the typed columns hold no names and no ID
-- numbers); the zones they are checked against. Current state as GeoPackage feature tables.
CREATE TABLE cemeteries (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  geom MULTIPOLYGON NOT NULL
);
CREATE TABLE cemetery_sections (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  cemetery_id TEXT NOT NULL,
  code TEXT NOT NULL,
  geom MULTIPOLYGON NOT NULL
);
CREATE TABLE plots (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  section_id TEXT NOT NULL,
  number TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  period_until TEXT,
  geom MULTIPOLYGON NOT NULL
);
CREATE TABLE burials (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  died TEXT NOT NULL,
  disposition TEXT NOT NULL,
  residence TEXT NOT NULL,
  plot_id TEXT,
  in_zone INTEGER NOT NULL,
  geom POINT NOT NULL
);
CREATE TABLE subsidy_claims (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  burial_id TEXT NOT NULL,
  rule TEXT NOT NULL,
  total_fen INTEGER NOT NULL,
  claimed_on TEXT NOT NULL,
  geom POINT NOT NULL
);
CREATE TABLE graves (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  number TEXT NOT NULL,
  kind TEXT NOT NULL,
  treatment TEXT,
  geom POINT NOT NULL
);
CREATE TABLE relocation_notices (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  number TEXT NOT NULL,
  batch TEXT NOT NULL,
  status TEXT NOT NULL,
  deadline TEXT NOT NULL,
  geom POINT NOT NULL
);
CREATE TABLE zones (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  geom MULTIPOLYGON NOT NULL
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
  ('cemeteries', 'features', '公墓', '公墓（现行）', 4490),
  ('cemetery_sections', 'features', '墓区', '公墓墓区（现行）', 4490),
  ('plots', 'features', '墓位', '墓位（现行）', 4490),
  ('burials', 'features', '殡葬登记', '殡葬登记（现行；个人信息，仅殡葬管理部门）', 4490),
  ('subsidy_claims', 'features', '殡葬补贴', '惠民殡葬补贴申领（现行；个人信息）', 4490),
  ('graves', 'features', '散埋坟墓', '公墓外散埋坟墓台账（现行；个人信息）', 4490),
  ('relocation_notices', 'features', '迁坟告知书', '迁坟告知书（现行；个人信息）', 4490),
  ('zones', 'features', '殡葬区划', '火葬区及禁止埋葬区域（现行）', 4490);
INSERT INTO gpkg_geometry_columns VALUES
  ('cemeteries', 'geom', 'MULTIPOLYGON', 4490, 0, 0),
  ('cemetery_sections', 'geom', 'MULTIPOLYGON', 4490, 0, 0),
  ('plots', 'geom', 'MULTIPOLYGON', 4490, 0, 0),
  ('burials', 'geom', 'POINT', 4490, 0, 0),
  ('subsidy_claims', 'geom', 'POINT', 4490, 0, 0),
  ('graves', 'geom', 'POINT', 4490, 0, 0),
  ('relocation_notices', 'geom', 'POINT', 4490, 0, 0),
  ('zones', 'geom', 'MULTIPOLYGON', 4490, 0, 0);
