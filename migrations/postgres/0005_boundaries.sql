-- Boundary markers (界桩) and their field observations, boundary disputes: current state.
CREATE TABLE boundary_markers (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  number text NOT NULL,
  kind text NOT NULL,
  units text NOT NULL,
  geom geometry(Point, 4490) NOT NULL
);
CREATE INDEX boundary_markers_geom ON boundary_markers USING gist (geom);
CREATE TABLE marker_observations (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  marker_id text NOT NULL,
  date text NOT NULL,
  state text NOT NULL,
  offset_mm integer NOT NULL,
  alert integer NOT NULL,
  geom geometry(Point, 4490) NOT NULL
);
CREATE INDEX marker_observations_geom ON marker_observations USING gist (geom);
CREATE TABLE boundary_disputes (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  title text NOT NULL,
  status text NOT NULL,
  parties text NOT NULL,
  area_m2 integer NOT NULL,
  geom geometry(MultiPolygon, 4490) NOT NULL
);
CREATE INDEX boundary_disputes_geom ON boundary_disputes USING gist (geom);
