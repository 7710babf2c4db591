//! # diming (地名)
//!
//! The registry a city's civil-affairs bureau keeps of its place names, door plates, street
//! signs, administrative boundaries and cemeteries. Library and binary `diming`.
//!
//! ## Layers, and the dependency rule
//!
//! ```text
//! faces     main.rs + cli/, web/                 parse, ask, present; never decide
//! services  registry/ (every write, every rule), queries/, check, store/, io/, publish/, demo/
//! model     model/: the layer catalogue, Body, versions, changesets, history, CurrentState
//! domains   names → boundaries → addresses; signs → names; cemetery → boundaries; gazetteer
//! leaves    record/ (ids, provenance, documents, Records, Changes, Describe, Form)   spatial/
//! ```
//!
//! A module names only modules of its own layer or below, with no circle among them; leaves
//! name no other module, and domains name only leaves and domains. `tests/it/architecture.rs`
//! measures this from the source and fails when a change breaks it. Domains read the registry
//! through [`record::Records`] (`state.each::<Plot>()`), which [`model::CurrentState`]
//! implements for every layer, and judge a changeset through [`record::Changes`] and
//! [`record::Writing`], which [`model::After`] and [`model::Pending`] implement, so they never
//! name `Body` or a layer.
//!
//! ## Where a change goes
//!
//! - A rule that guards a write: a pure function in its domain over `Records` and `Changes`
//!   with a typed refusal (as `cemetery::rules`, `boundaries::rules`,
//!   `addresses::numbering::unique_numbers`), called from the registry's commit path
//!   (`registry::Registry::plan`), never from a face.
//! - A new layer: its domain type (with [`record::Describe`], the title and labelled attributes
//!   people read), a `Layer` variant and its line in `model::each_layer_type!` (`model/mod.rs`;
//!   `Body` and its dispatch are generated from that list), its
//!   declaration in [`model::CATALOGUE`] (table, label, geometry, columns, office, visibility,
//!   search, photos, retention, dispute freeze, import columns, CQL2 queryables, and the map
//!   editor's form, which the type declares beside itself as a [`record::Form`]), and a
//!   migration for its table in both stores. Roles, visibility, filters, search, the forms,
//!   the importer's coded values, the map's panel and its tiles follow from these.
//! - A statement of a store: `queries/*.sql` (what both stores run in `common.sql`), named and
//!   loaded by `store::sql`; only statements built from the catalogue are assembled in code.
//! - A file import or export: `registry::files`, which the CLI and the web both call.
//! - A new read of the whole registry: in its domain over `Records<T>` when it reads one
//!   domain's types, in `queries/` when it crosses domains.
//! - A page or an endpoint: `web/` (HTTP only), calling the registry; the same for a CLI
//!   command in `cli/`.
//!
//! ## Map of the crate
//!
//! - [`config`]: one configuration struct (jurisdiction, extent, CRSs, naming and numbering
//!   settings, server), read from TOML (`data/erenhot.toml` is the default).
//! - [`record`]: the leaves of the record model: permanent ids, a record's source, approval
//!   documents, how domains read current records ([`record::Records`]) and how a record reads
//!   to a person ([`record::Describe`]).
//! - [`model`]: the layer catalogue (one [`model::LayerSpec`] per layer), `Layer` and `Body`,
//!   versions, changesets, history and the in-memory current state.
//! - [`spatial`]: validation, measurement, coverage and edge matching, the rstar index (generic
//!   over what it indexes), web-tile arithmetic; `spatial::crs` alone touches PROJ.
//! - [`boundaries`], [`addresses`], [`names`], [`signs`], [`cemetery`], [`gazetteer`]: the
//!   domains: types and rules, pure (the naming rules and romanization live in `names`; the
//!   numbering engine, checks, renumbering and campaigns, and reverse geocoding in
//!   `addresses`; the sign register, its conformance rules (GB 17733), its report and sign
//!   faces drawn to scale in `signs`; the boundary check and repairs, lines, markers,
//!   inspections, agreements and disputes in `boundaries`; cemeteries, plots and their grid
//!   layout, burials, subsidies, graves, relocation notices, the cremation statistics, the
//!   masking of personal numbers and their retention in `cemetery`; what the 地名志 holds, in
//!   which order, and the columns of the name table in `gazetteer`).
//! - [`queries`]: reads that cross domains: the search over every name and the names audit.
//! - [`store`]: persistence of changesets, one API over SQLite (a GeoPackage) and PostgreSQL
//!   with PostGIS, the steps of a commit and a restore written once (`store::shape`) and each
//!   backend's SQL in `queries/*.sql`; photos by SHA-256; backups as JSON Lines (one consistent snapshot) that
//!   restore into either; `store::verify` checks a store's integrity.
//! - [`registry`]: the store plus the in-memory current state; every write goes through it,
//!   including the steps of the naming workflow and of renumbering campaigns, sign inspections
//!   and work orders (a rename or renumbering drafts the replacement of every sign that shows
//!   the old text, in the same changeset), boundary markers, lines and disputes (the freeze of
//!   a disputed area, documents for the outer border and for new codes), door numbers unique
//!   on their street, and the erasure of personal data past its retention; a change can be
//!   checked without being written (`Registry::preview`); changesets saved at once are written
//!   in one transaction, each judged alone (`registry::group`); the search index (kept by each
//!   change), the checks the pages show (kept until a layer they read changes:
//!   `registry::derived`) and the vector-tile cache are derived from it; `registry::files` is
//!   the one import and export use case.
//! - [`accounts`]: roles and what each may read and write; password hashing (argon2id) and
//!   the random session and API tokens (stored as SHA-256 only). The public sees public data.
//! - [`demo`]: the deterministic demo registry of 二连浩特市 (Erenhot), built from `data/`.
//! - [`check`]: the validation report over the whole registry.
//! - [`io`]: imports and exports (GeoJSON, Shapefile, GeoPackage, KML, DXF, CSV); the only
//!   place that touches GDAL; hostile files are refused before GDAL opens them.
//! - [`publish`]: documents made from the registry (names audit as HTML, crosswalks as
//!   CSV/XLSX, certificates and notices as PDF, sign faces as SVG/PDF/PNG and the sign check
//!   as HTML/CSV, boundary marker forms and inspection reports, relocation notices, the
//!   cremation statistics and their chart, the gazetteer and the name table) and the print
//!   maps (`publish::atlas` gathers what each map shows from the current state;
//!   `publish::map` is one renderer for the street, dispute, sign and cemetery maps and
//!   the figures in documents, from the styles and layouts in `maps/`); `publish::pdf`
//!   alone touches typst.
//! - [`web`]: axum; the only place that knows HTTP: pages, the map page (MapLibre, embedded),
//!   the JSON API with its writes (If-Match, roles, CSRF), login and sessions, OGC API
//!   Features (Parts 1–4: CRSs, dates, CQL2 filters, transactions; its OpenAPI 3.0 document),
//!   the JSON API's OpenAPI 3.1 document (each operation declared beside its handler with
//!   `#[utoipa::path]`, its request and answer schemas derived from the handler's types;
//!   `web::openapi` adds the catalogue's tables, the common errors and the GeoJSON shapes),
//!   the history browser with
//!   diffs and undo, the sign and boundary pages, the cemetery pages and grave finder, the
//!   gazetteer's editions, vector tiles, `/healthz` and `/metrics`.
//! - `fuzzing` (hidden): one entry per parser of outside input, for the fuzz targets in
//!   `fuzz/` and the test that replays their corpora.
//! - The binary (`main.rs`, `cli/`) parses arguments, calls the library and prints.
//!
//! ## Invariants
//!
//! - Domain code (`record`, `model`, `spatial`, `boundaries`, `addresses`, `names`, `signs`,
//!   `cemetery`, `gazetteer`) does no I/O and knows nothing of HTTP or SQL.
//! - ID-card and telephone numbers serialize masked everywhere except inside
//!   [`cemetery::personal::reveal`] (the stores, backups, the burial officer's own page).
//! - Every change is a [`model::Changeset`], applied all or nothing, with author, time, reason
//!   and, where the law wants one, an approval document. Nothing is overwritten or deleted: a
//!   change closes the current version and adds the next; a retirement is a version too. The
//!   one exception is the law's: personal data past its retention is erased from the earlier
//!   versions as well (`cemetery::retention`, after a changeset that erases it from the
//!   current ones).
//! - A write names the version it changes; a stale version is refused
//!   ([`model::ChangesetError::Stale`], HTTP 412), never merged.
//! - Reads are served from memory ([`model::CurrentState`]); a write goes to the store first
//!   and then to memory.
//! - Both stores behave the same; the same tests run against both.
//! - Every write through the web checks the caller's role against the layer of the record as
//!   stored; every refusal is logged (`access_log`). Secrets are never stored in the clear.
//! - Geometry enters through [`spatial::validate()`]: an invalid geometry is refused with its
//!   reason and location, never stored and never repaired silently.
//! - PROJ stays inside `spatial::crs`, one context per thread, never shared.
//! - User text reaches typst only as string literals (`publish::pdf::string`), never as markup.
//! - The rules that guard a write run in [`registry::Registry::commit`], whatever the face:
//!   a name's status and form move only by the workflow's steps with their documents
//!   (`names::naming::admissible`), and no field a client sets (a record's `source`) relaxes
//!   a rule. Work is bounded before it is done (`config::Limits`).
//! - No page has inline script: pages load scripts from `/static/` and take their data from
//!   `data-` attributes; every answer carries a Content-Security-Policy that forbids the rest
//!   (`web::headers`). User text reaches HTML and SVG through tera's escaping or
//!   `publish::escape`, and CSV through `io::csv` (no formulas).

pub mod accounts;
pub mod addresses;
pub mod boundaries;
pub mod cemetery;
pub mod check;
pub mod config;
pub mod demo;
pub mod forms;
#[doc(hidden)]
pub mod fuzzing;
pub mod gazetteer;
pub mod io;
pub mod model;
pub mod names;
pub mod publish;
pub mod queries;
pub mod record;
pub mod registry;
pub mod signs;
pub mod spatial;
pub mod store;
pub mod web;
