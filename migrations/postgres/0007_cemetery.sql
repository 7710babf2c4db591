-- Cemeteries, sections and plots; burial registrations, subsidy claims, graves outside
-- cemeteries and relocation notices (personal data: the typed columns hold no names and no ID
-- numbers); the zones they are checked against. Current state.
CREATE TABLE cemeteries (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL,
  geom geometry(MultiPolygon, 4490) NOT NULL
);
CREATE INDEX cemeteries_geom ON cemeteries USING gist (geom);
CREATE TABLE cemetery_sections (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  cemetery_id text NOT NULL,
  code text NOT NULL,
  geom geometry(MultiPolygon, 4490) NOT NULL
);
CREATE INDEX cemetery_sections_geom ON cemetery_sections USING gist (geom);
CREATE TABLE plots (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  section_id text NOT NULL,
  number text NOT NULL,
  kind text NOT NULL,
  status text NOT NULL,
  period_until text,
  geom geometry(MultiPolygon, 4490) NOT NULL
);
CREATE INDEX plots_geom ON plots USING gist (geom);
CREATE TABLE burials (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  died text NOT NULL,
  disposition text NOT NULL,
  residence text NOT NULL,
  plot_id text,
  in_zone integer NOT NULL,
  geom geometry(Point, 4490) NOT NULL
);
CREATE INDEX burials_geom ON burials USING gist (geom);
CREATE TABLE subsidy_claims (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  burial_id text NOT NULL,
  rule text NOT NULL,
  total_fen integer NOT NULL,
  claimed_on text NOT NULL,
  geom geometry(Point, 4490) NOT NULL
);
CREATE INDEX subsidy_claims_geom ON subsidy_claims USING gist (geom);
CREATE TABLE graves (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  number text NOT NULL,
  kind text NOT NULL,
  treatment text,
  geom geometry(Point, 4490) NOT NULL
);
CREATE INDEX graves_geom ON graves USING gist (geom);
CREATE TABLE relocation_notices (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  number text NOT NULL,
  batch text NOT NULL,
  status text NOT NULL,
  deadline text NOT NULL,
  geom geometry(Point, 4490) NOT NULL
);
CREATE INDEX relocation_notices_geom ON relocation_notices USING gist (geom);
CREATE TABLE zones (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL,
  geom geometry(MultiPolygon, 4490) NOT NULL
);
CREATE INDEX zones_geom ON zones USING gist (geom);
