-- Renumbering campaigns (门牌整编): their current state as a GeoPackage feature table; the area
-- they cover is the geometry.
CREATE TABLE campaigns (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  valid_from DATE NOT NULL,
  recorded_at DATETIME NOT NULL,
  source TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  plates INTEGER NOT NULL,
  changed INTEGER NOT NULL,
  installed INTEGER NOT NULL,
  geom MULTIPOLYGON NOT NULL
);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
  ('campaigns', 'features', '门牌整编', '门牌重新编排工作（现行）', 4490);
INSERT INTO gpkg_geometry_columns VALUES ('campaigns', 'geom', 'MULTIPOLYGON', 4490, 0, 0);
