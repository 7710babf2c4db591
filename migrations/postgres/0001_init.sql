-- diming on PostgreSQL with PostGIS: the history (all versions) and the changesets, and the
-- current state of each layer as a table with a typed geometry column (SRID 4490) and a GiST
-- index, so that QGIS and SQL reports read the layers directly.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE changesets (
  id uuid PRIMARY KEY,
  author text NOT NULL,
  reason text NOT NULL,
  recorded_at timestamptz NOT NULL,
  doc_issuer text,
  doc_number text,
  doc_date date,
  writes integer NOT NULL
);

CREATE TABLE versions (
  id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  layer text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  recorded_at timestamptz NOT NULL,
  superseded_at timestamptz,
  changeset uuid NOT NULL REFERENCES changesets(id),
  retired boolean NOT NULL,
  body jsonb NOT NULL,
  geom geometry(Geometry, 4490) NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE INDEX versions_current ON versions(layer) WHERE superseded_at IS NULL AND NOT retired;
CREATE INDEX versions_changeset ON versions(changeset);

CREATE TABLE admin_units (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  name_mn text,
  level text NOT NULL,
  parent_code text,
  geom geometry(MultiPolygon, 4490) NOT NULL
);
CREATE INDEX admin_units_geom ON admin_units USING gist (geom);

CREATE TABLE streets (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  name text NOT NULL,
  name_mn text,
  class text NOT NULL,
  status text NOT NULL,
  geom geometry(MultiLineString, 4490) NOT NULL
);
CREATE INDEX streets_geom ON streets USING gist (geom);

CREATE TABLE places (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  name text NOT NULL,
  name_mn text,
  category text NOT NULL,
  status text NOT NULL,
  geom geometry(Geometry, 4490) NOT NULL
);
CREATE INDEX places_geom ON places USING gist (geom);

CREATE TABLE door_plates (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  street_id text NOT NULL,
  number text NOT NULL,
  number_value integer NOT NULL,
  geom geometry(Point, 4490) NOT NULL
);
CREATE INDEX door_plates_geom ON door_plates USING gist (geom);
CREATE INDEX door_plates_street ON door_plates(street_id);
