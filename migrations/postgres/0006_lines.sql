-- Boundary lines (界线) with their joint inspections, and 平安边界 agreements: current state.
CREATE TABLE boundary_lines (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  left_unit text NOT NULL,
  right_unit text NOT NULL,
  legal text NOT NULL,
  technical text NOT NULL,
  geom geometry(MultiLineString, 4490) NOT NULL
);
CREATE INDEX boundary_lines_geom ON boundary_lines USING gist (geom);
CREATE TABLE line_inspections (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  line_id text NOT NULL,
  date text NOT NULL,
  geom geometry(MultiLineString, 4490) NOT NULL
);
CREATE INDEX line_inspections_geom ON line_inspections USING gist (geom);
CREATE TABLE boundary_agreements (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  title text NOT NULL,
  parties text NOT NULL,
  renewal text NOT NULL,
  geom geometry(MultiLineString, 4490) NOT NULL
);
CREATE INDEX boundary_agreements_geom ON boundary_agreements USING gist (geom);
