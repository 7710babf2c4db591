-- Street signs (地名标志), their inspections and repair work orders: current state.
CREATE TABLE signs (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  code text NOT NULL,
  kind text NOT NULL,
  shows text NOT NULL,
  condition text NOT NULL,
  names_id text,
  geom geometry(Point, 4490) NOT NULL
);
CREATE INDEX signs_geom ON signs USING gist (geom);
CREATE TABLE sign_inspections (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  sign_id text NOT NULL,
  date text NOT NULL,
  condition text NOT NULL,
  geom geometry(Point, 4490) NOT NULL
);
CREATE INDEX sign_inspections_geom ON sign_inspections USING gist (geom);
CREATE TABLE work_orders (
  id uuid PRIMARY KEY,
  version integer NOT NULL,
  valid_from date NOT NULL,
  recorded_at timestamptz NOT NULL,
  source text NOT NULL,
  sign_id text NOT NULL,
  kind text NOT NULL,
  status text NOT NULL,
  cost_fen integer,
  geom geometry(Point, 4490) NOT NULL
);
CREATE INDEX work_orders_geom ON work_orders USING gist (geom);
-- Photos and other uploads, addressed by the SHA-256 of their bytes; never changed or deleted.
CREATE TABLE attachments (
  sha256 text PRIMARY KEY,
  media_type text NOT NULL,
  bytes bytea NOT NULL,
  uploaded_at timestamptz NOT NULL,
  uploaded_by text NOT NULL
);
