-- diming on SQLite: the file is a GeoPackage 1.3 (OGC 12-128r18) whose feature tables are the
-- current state of each layer; the history (all versions) and the changesets sit beside them.
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10300;

CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),
  ('China Geodetic Coordinate System 2000', 4490, 'EPSG', 4490, 'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]]', 'CGCS2000 longitude/latitude, the storage CRS of diming');

CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);

CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);

-- History: every changeset and every version of every record, never deleted. `changesets` is
-- registered as a GeoPackage attributes table; `versions` is diming's own.
CREATE TABLE changesets (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  author TEXT NOT NULL,
  reason TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  doc_issuer TEXT,
  doc_number TEXT,
  doc_date TEXT,
  writes INTEGER NOT NULL
);

CREATE TABLE versions (
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
  PRIMARY KEY (id, version)
);
CREATE INDEX versions_current ON versions(layer) WHERE superseded_at IS NULL AND retired = 0;
CREATE INDEX versions_changeset ON versions(changeset);

-- The current state of each layer, as GeoPackage feature tables.
CREATE TABLE admin_units (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  name_mn TEXT,
  level TEXT NOT NULL,
  parent_code TEXT,
  geom MULTIPOLYGON NOT NULL
);
CREATE TABLE streets (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  name TEXT NOT NULL,
  name_mn TEXT,
  class TEXT NOT NULL,
  status TEXT NOT NULL,
  geom MULTILINESTRING NOT NULL
);
CREATE TABLE places (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  name TEXT NOT NULL,
  name_mn TEXT,
  category TEXT NOT NULL,
  status TEXT NOT NULL,
  geom GEOMETRY NOT NULL
);
CREATE TABLE door_plates (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  street_id TEXT NOT NULL,
  number TEXT NOT NULL,
  number_value INTEGER NOT NULL,
  geom POINT NOT NULL
);
CREATE INDEX door_plates_street ON door_plates(street_id);

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id, min_x, min_y, max_x, max_y) VALUES
  ('admin_units', 'features', '行政区域', '行政区域（现行）', 4490, NULL, NULL, NULL, NULL),
  ('streets', 'features', '街路巷', '街路巷中心线（现行）', 4490, NULL, NULL, NULL, NULL),
  ('places', 'features', '地名', '地名实体（现行）', 4490, NULL, NULL, NULL, NULL),
  ('door_plates', 'features', '门牌', '门牌（现行）', 4490, NULL, NULL, NULL, NULL),
  ('changesets', 'attributes', '变更集', '全部变更集：作者、时间、原因、批准文件', NULL, NULL, NULL, NULL, NULL);
INSERT INTO gpkg_geometry_columns VALUES
  ('admin_units', 'geom', 'MULTIPOLYGON', 4490, 0, 0),
  ('streets', 'geom', 'MULTILINESTRING', 4490, 0, 0),
  ('places', 'geom', 'GEOMETRY', 4490, 0, 0),
  ('door_plates', 'geom', 'POINT', 4490, 0, 0);
