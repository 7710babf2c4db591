//! The registry: a store plus the in-memory current state. Every write goes through
//! [`Registry::commit`]: geometries are validated, the changeset is planned against memory
//! (stale versions refused first), written to the store, and only then made current in
//! memory. Geometries larger than `server.limits` are refused before anything else is done
//! with them. On the way it applies the rules that need the whole registry: the naming
//! workflow (a name's status and form change only by its steps and documents: `names`),
//! boundary markers and
//! the city's outer border (`boundaries`), door numbers unique on their street (`numbering`),
//! the freeze of disputed areas, the replacement orders for signs that would show a superseded
//! name (`signs`), and the cemetery rules (plots, capacity, the cremation zone, subsidies,
//! notices; masked personal numbers put back: `cemetery`, which also erases personal data past
//! its retention); afterwards it brings the search index's entries of the touched records up
//! to date, marks the layers it changed for the results kept from them (`derived`) and drops
//! the cached vector tiles the changeset touched (`tiles`). Changesets that arrive while one is
//! written are planned one by one and written together (`group`). [`Registry::preview`] runs
//! the same rules and writes nothing. `gazetteer` gathers the 地名志 and the name table from
//! the registry; what a print map shows is [`crate::publish::atlas`]'s, read from the current
//! state.

pub mod boundaries;
pub mod cemetery;
mod derived;
pub mod files;
pub mod gazetteer;
mod group;
mod names;
mod numbering;
pub mod signs;
pub mod tiles;

pub use names::{NameAction, PendingName};

use crate::config::Config;
use crate::model::{ChangesetError, CommitPlan, CurrentState, Layer, RecordVersion, Write, as_of};
use crate::names::WordLists;
use crate::queries::search::{MERGE_FROM, SearchIndex};
use crate::record::{ChangesetId, RecordId};
use crate::spatial::{self, Invalid};
use crate::store::{Store, StoreError};
use chrono::{NaiveDate, Utc};
use geo::Coord;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};
use tokio::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error(transparent)]
    Changeset(#[from] ChangesetError),
    #[error("记录 {id}：{invalid}")]
    Geometry { id: RecordId, invalid: Invalid },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("记录 {0} 不是现行的地名记录（街路巷、地名或行政区域）")]
    NotNamed(RecordId),
    #[error("{0}")]
    Reading(String),
    #[error("整编 {id}：{error}")]
    Campaign {
        id: RecordId,
        error: crate::addresses::numbering::CampaignError,
    },
    #[error("{0}")]
    Renumbering(String),
    /// A changeset that cannot be undone: later changes build on it, or it retired records.
    #[error("{0}")]
    Revert(String),
    /// An edit inside the area of an open boundary dispute, without an officer's override.
    #[error("{0}")]
    Frozen(String),
    /// A changeset that breaks a cemetery rule ([`crate::cemetery::rules`]).
    #[error(transparent)]
    Cemetery(#[from] crate::cemetery::rules::Refusal),
    /// A changeset that breaks a boundary rule ([`crate::boundaries::rules`]).
    #[error(transparent)]
    Boundary(#[from] crate::boundaries::rules::Refusal),
    /// A request the registry cannot act on (a bad cost, a missing photo, a step out of
    /// order) where no caller tells the reasons apart.
    #[error("{0}")]
    Invalid(String),
    /// A door number another plate of the same street holds (同一街路巷门牌号不得重复).
    #[error("门牌号重复：{street}已有 {number}，同一街路巷门牌号不得重复")]
    DuplicateNumber {
        id: RecordId,
        other: RecordId,
        street: String,
        number: crate::addresses::DoorNumber,
    },
    /// More work than the configured limits allow (`server.limits`).
    #[error("{0}")]
    TooLarge(String),
    #[error("记录 {id}：{error}")]
    Workflow {
        id: RecordId,
        error: crate::names::naming::WorkflowError,
    },
}

/// A map that cannot be drawn is a request the registry cannot act on.
impl From<crate::publish::atlas::MapError> for RegistryError {
    fn from(e: crate::publish::atlas::MapError) -> RegistryError {
        RegistryError::Invalid(e.0)
    }
}

impl RegistryError {
    /// Whether the write was refused because someone else changed the record first (HTTP 412).
    pub fn is_stale(&self) -> bool {
        matches!(
            self,
            RegistryError::Changeset(ChangesetError::Stale { .. })
                | RegistryError::Store(StoreError::Stale { .. })
        )
    }

    /// Whether the write was refused for what it asked (a rule, a stale version, a value
    /// out of range), which the officer can put right, rather than failed in the store or the
    /// configuration.
    pub fn is_refusal(&self) -> bool {
        self.is_stale() || !matches!(self, RegistryError::Store(_) | RegistryError::Config(_))
    }
}

pub struct Registry {
    store: Store,
    config: Config,
    lists: Arc<WordLists>,
    /// Shared with the thread that stages a large commit's index (see [`Registry::commit`]).
    state: Arc<RwLock<CurrentState>>,
    tiles: tiles::TileCache,
    /// The search index: built by the first search (or [`Registry::warm_search`]), then
    /// kept up to date with each change of the state ([`Registry::index_records`]). Shared
    /// with the thread that merges its changes into a new segment.
    search: Arc<RwLock<Option<Arc<SearchIndex>>>>,
    /// Set while a thread merges the search index's changes.
    merging: Arc<AtomicBool>,
    /// Results worked out from the state, kept by the generations of the layers they read.
    derived: derived::Derived,
    writer: Mutex<()>,
    /// Changesets waiting to be written together ([`group`]).
    queue: std::sync::Mutex<std::collections::VecDeque<group::Queued>>,
    /// How many transactions wrote more than one changeset.
    groups: std::sync::atomic::AtomicU64,
    /// How many changesets the store held just before the current state was last read in
    /// full: while the store still holds as many, memory has all of them.
    read_in_full_at: AtomicI64,
}

/// Commits of at least this many versions stage their spatial index while the store writes
/// them; for fewer, a thread would cost more than it saves.
const STAGE_FROM: usize = 1_000;

impl Registry {
    /// Opens the store at `url` and loads the current state into memory.
    pub async fn open(url: &str, config: Config) -> Result<Self, RegistryError> {
        let lists = config.word_lists()?;
        let store = Store::open(url).await?;
        // Counted before reading: a commit in between makes the count larger than what was
        // read, never smaller, so `follow` reads again rather than miss it.
        let changesets = store.ping().await?;
        let state = store.load_state().await?;
        Ok(Registry {
            store,
            config,
            lists: Arc::new(lists),
            state: Arc::new(RwLock::new(state)),
            tiles: tiles::TileCache::default(),
            search: Arc::default(),
            merging: Arc::default(),
            derived: derived::Derived::default(),
            writer: Mutex::new(()),
            queue: std::sync::Mutex::default(),
            groups: std::sync::atomic::AtomicU64::new(0),
            read_in_full_at: AtomicI64::new(changesets),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The word lists of the naming rules and romanization.
    pub fn word_lists(&self) -> &WordLists {
        &self.lists
    }

    /// The layers and extents new versions touch: where they are, and where the records were.
    fn touched(&self, versions: &[RecordVersion]) -> Vec<(crate::model::Layer, geo::Rect<f64>)> {
        use geo::BoundingRect;
        let state = self.current();
        versions
            .iter()
            .flat_map(|v| {
                let old = state.get(&v.id).and_then(|o| o.geometry.bounding_rect());
                [v.geometry.bounding_rect(), old]
                    .into_iter()
                    .flatten()
                    .map(|r| (v.layer(), r))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The cache of encoded vector tiles.
    pub fn tile_cache(&self) -> &tiles::TileCache {
        &self.tiles
    }

    /// Makes `versions` current (committed here or by another process) and brings what is
    /// derived from the state up to date: the search index for the records it holds, the
    /// cached tiles where the versions are and were.
    fn apply(&self, versions: Vec<RecordVersion>, staged: Option<crate::model::Staged>) {
        let touched = self.touched(&versions);
        let searched = crate::queries::search::affected(&self.current(), &versions);
        let layers: std::collections::HashSet<crate::model::Layer> =
            versions.iter().map(|v| v.layer()).collect();
        let mut state = self.state.write().expect("current state lock poisoned");
        state.apply_staged(versions, staged);
        self.derived.bump(layers);
        drop(state);
        self.index_records(searched);
        self.tiles.invalidate(&touched);
    }

    /// The search index of the current state. Only the first search of a process that did
    /// not warm it builds it; afterwards commits keep it.
    pub fn search_index(&self) -> Arc<SearchIndex> {
        if let Some(index) = self.search.read().expect("search lock poisoned").as_ref() {
            return Arc::clone(index);
        }
        // The state's lock before the index's, as everywhere.
        let state = self.current();
        let mut slot = self.search.write().expect("search lock poisoned");
        if let Some(index) = slot.as_ref() {
            return Arc::clone(index);
        }
        let index = Arc::new(SearchIndex::build(&state, &self.lists));
        *slot = Some(Arc::clone(&index));
        index
    }

    /// Builds the search index now (a server does at start), so that no search waits for it.
    pub fn warm_search(&self) {
        self.search_index();
        give_back_freed_memory();
    }

    /// Brings the search index's entries of `ids` to what the current state holds. When
    /// enough records have changed, a thread merges them into a new segment while the index
    /// as it is goes on answering.
    fn index_records(&self, ids: Vec<RecordId>) {
        if ids.is_empty() {
            return;
        }
        let state = self.current();
        let mut slot = self.search.write().expect("search lock poisoned");
        // Not built yet: the first search builds it from the state as it will be.
        let Some(index) = slot.take() else {
            return;
        };
        let index = Arc::unwrap_or_clone(index).with_records(&state, ids, &self.lists);
        let merge = index.pending() >= MERGE_FROM;
        *slot = Some(Arc::new(index));
        drop(slot);
        drop(state);
        if merge {
            self.merge_search();
        }
    }

    /// Merges the search index's changes into a new segment on a thread of its own; what
    /// changes meanwhile is carried over when it is done.
    fn merge_search(&self) {
        if self.merging.swap(true, Ordering::SeqCst) {
            return;
        }
        let (slot, merging, lists) = (
            Arc::clone(&self.search),
            Arc::clone(&self.merging),
            Arc::clone(&self.lists),
        );
        let from = slot.read().expect("search lock poisoned").clone();
        std::thread::spawn(move || {
            if let Some(from) = from {
                let merged = from.merged(&lists);
                let mut slot = slot.write().expect("search lock poisoned");
                let rebased = slot.as_ref().and_then(|now| merged.rebased(&from, now));
                if let Some(index) = rebased {
                    *slot = Some(Arc::new(index));
                }
                drop(slot);
                // The old segment is freed once the last search reading it ends; what is
                // freed by then goes back.
                drop(from);
                give_back_freed_memory();
            }
            merging.store(false, Ordering::SeqCst);
        });
    }

    /// The current state, for reading. Hold the guard briefly: writers wait for it.
    pub fn current(&self) -> RwLockReadGuard<'_, CurrentState> {
        // A poisoned lock means a panic while applying a committed plan; the state may be
        // behind the store, so stop rather than serve it.
        self.state.read().expect("current state lock poisoned")
    }

    /// Refuses geometries larger than the configured limits (`server.limits`): vertices of
    /// one geometry and of the whole changeset, counted before anything costly is done with
    /// them (a 150,000-vertex line took 26 s to validate).
    pub fn check_size<'a>(
        &self,
        geometries: impl IntoIterator<Item = (RecordId, &'a geo::Geometry<f64>)>,
    ) -> Result<(), RegistryError> {
        use geo::CoordsIter;
        let limits = &self.config.server.limits;
        let mut total = 0usize;
        for (id, g) in geometries {
            let n = g.coords_count();
            total += n;
            limits
                .geometry(&format!("记录 {id} "), n)
                .and_then(|()| limits.all("变更集", total))
                .map_err(RegistryError::TooLarge)?;
        }
        Ok(())
    }

    /// Validates geometries and brings them to their layer's kind.
    fn prepare(
        &self,
        mut changeset: crate::model::Changeset,
    ) -> Result<crate::model::Changeset, RegistryError> {
        self.check_size(changeset.writes.iter().filter_map(|w| match w {
            Write::Create { id, geometry, .. } | Write::Update { id, geometry, .. } => {
                Some((*id, geometry))
            }
            Write::Retire { .. } => None,
        }))?;
        let extent = &self.config.jurisdiction.extent;
        for write in &mut changeset.writes {
            let (id, body, geometry) = match write {
                Write::Create {
                    id, body, geometry, ..
                }
                | Write::Update {
                    id, body, geometry, ..
                } => (*id, &*body, geometry),
                Write::Retire { .. } => continue,
            };
            let kind = body.layer().geometry_kind();
            let conformed =
                kind.conform(geometry.clone())
                    .map_err(|g| RegistryError::Geometry {
                        id,
                        invalid: Invalid::new(
                            spatial::GeometryProblem::WrongKind {
                                expected: kind.sql_name(),
                                found: spatial::validate::kind_name(&g),
                            },
                            None,
                            "",
                        ),
                    })?;
            spatial::validate(&conformed, extent)
                .map_err(|invalid| RegistryError::Geometry { id, invalid })?;
            *geometry = conformed;
        }
        Ok(changeset)
    }

    /// The registry's rules over a prepared changeset, against the current state: what to write,
    /// or why not.
    fn plan(&self, changeset: crate::model::Changeset) -> Result<CommitPlan, RegistryError> {
        let now = crate::store::truncate_time(Utc::now());
        let state = self.current();
        state.check_versions(&changeset)?;
        {
            // The registry as the changeset would leave it, read by the rules that judge
            // it whole (before the freeze and the cemetery rules change its writes).
            let after = crate::model::After::new(&state, &changeset.writes);
            boundaries::boundary_rules(&after, changeset.document.is_some())?;
            numbering::unique_numbers(&state, &after)?;
        }
        names::workflow(&state, &self.config, &self.lists, &changeset)?;
        let changeset = boundaries::freeze(&state, changeset)?;
        let changeset = cemetery::rules(&state, &self.config, changeset)?;
        // Signs that would show a superseded name or number get a drafted replacement order
        // in the same changeset.
        let mut changeset = changeset;
        let orders = signs::follow_up(&state, &changeset.writes);
        changeset.writes.extend(orders);
        Ok(state.plan(changeset, now)?)
    }

    /// What committing `changeset` now would answer, without writing anything: the geometry
    /// checks and every rule of [`Registry::commit`] (versions, numbering, frozen areas, the
    /// cemetery rules…). The editor shows it before the officer saves.
    pub fn preview(&self, changeset: crate::model::Changeset) -> Result<(), RegistryError> {
        let changeset = self.prepare(changeset)?;
        self.plan(changeset).map(|_| ())
    }

    /// Applies a changeset all or nothing and returns its id. Changesets committed at the
    /// same time are written together, each still all or nothing (`group`).
    pub async fn commit(
        &self,
        changeset: crate::model::Changeset,
    ) -> Result<ChangesetId, RegistryError> {
        let changeset = self.prepare(changeset)?;
        self.commit_queued(changeset).await
    }

    /// How many transactions have written more than one changeset (group commit).
    pub fn groups_written(&self) -> u64 {
        self.groups.load(Ordering::Relaxed)
    }

    /// Writes one planned changeset alone and makes it current. Called under the writer
    /// lock.
    async fn write_one(&self, plan: CommitPlan) -> Result<ChangesetId, RegistryError> {
        let plan = Arc::new(plan);
        // A large commit's spatial index is worked out on another thread while the store
        // writes it (100,000 plates: 0.1–0.5 s the client no longer waits for after the
        // server); it is used only if the store commits and memory is still as it was.
        let staging = (plan.versions.len() >= STAGE_FROM).then(|| {
            let (state, plan) = (Arc::clone(&self.state), Arc::clone(&plan));
            tokio::task::spawn_blocking(move || {
                state
                    .read()
                    .expect("current state lock poisoned")
                    .stage(&plan.versions)
            })
        });
        self.store.commit(&plan).await?;
        let staged = match staging {
            Some(task) => task.await.ok(),
            None => None,
        };
        // The staging thread has returned and dropped its share of the plan.
        let plan = Arc::try_unwrap(plan).unwrap_or_else(|shared| (*shared).clone());
        let id = plan.id();
        self.apply(plan.versions, staged);
        Ok(id)
    }

    /// Commits changesets in order, calling `progress` after each; stops at the first refusal.
    pub async fn commit_all(
        &self,
        changesets: Vec<crate::model::Changeset>,
        mut progress: impl FnMut(usize),
    ) -> Result<(), RegistryError> {
        for (i, cs) in changesets.into_iter().enumerate() {
            self.commit(cs).await?;
            progress(i + 1);
        }
        Ok(())
    }

    /// Keeps memory in step with commits made by other processes sharing a PostgreSQL
    /// database (LISTEN/NOTIFY). Returns `None` for SQLite, which has one server per file.
    /// If the notification connection drops, it reconnects and reloads the whole state, since
    /// notifications sent meanwhile are lost.
    pub fn follow(self: &std::sync::Arc<Self>) -> Option<tokio::task::JoinHandle<()>> {
        if !matches!(self.store, crate::store::Store::Postgres(_)) {
            return None;
        }
        let registry = std::sync::Arc::clone(self);
        Some(tokio::spawn(async move {
            loop {
                if let Err(e) = registry.follow_once().await {
                    tracing::warn!(error = %e, "lost the change notifications; reconnecting");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }))
    }

    async fn follow_once(&self) -> Result<(), RegistryError> {
        let crate::store::Store::Postgres(pg) = &self.store else {
            return Ok(());
        };
        let mut listener = pg.listener().await?;
        // Whatever was committed before the listener started is read in full, with local
        // writers held off so that memory becomes exactly what the store holds; unless the
        // store holds no changeset more than when memory was last read in full (a server just
        // started: reading a province's million records twice would double its start and
        // empty the tile cache under its first requests).
        {
            let _writing = self.writer.lock().await;
            let changesets = self.store.ping().await?;
            if changesets != self.read_in_full_at.load(Ordering::SeqCst) {
                let fresh = self.store.load_state().await?;
                // A search index already built is built again from what was read, here in
                // the background, before it replaces the old one (which answers meanwhile).
                let index = self
                    .search
                    .read()
                    .expect("search lock poisoned")
                    .is_some()
                    .then(|| Arc::new(SearchIndex::build(&fresh, &self.lists)));
                let mut state = self.state.write().expect("current state lock poisoned");
                *state = fresh;
                self.derived.bump(crate::model::Layer::ALL);
                drop(state);
                if let Some(index) = index {
                    *self.search.write().expect("search lock poisoned") = Some(index);
                }
                self.tiles.clear();
                self.read_in_full_at.store(changesets, Ordering::SeqCst);
            }
        }
        loop {
            let notification = listener.recv().await.map_err(|source| {
                RegistryError::Store(StoreError::Database {
                    context: "接收变更通知",
                    source,
                })
            })?;
            let Ok(id) = notification.payload().parse() else {
                continue;
            };
            let versions = self.store.changeset_versions(ChangesetId(id)).await?;
            self.apply(versions, None);
        }
    }

    /// Undoes a changeset with a new one: records it created are retired, records it changed
    /// go back to the version before. Refused when a record has changed since (later changes
    /// depend on it) or when the changeset retired records (re-register them instead).
    pub async fn revert(
        &self,
        id: ChangesetId,
        author: &str,
        reason: &str,
    ) -> Result<ChangesetId, RegistryError> {
        let written = self.store.changeset_versions(id).await?;
        if written.is_empty() {
            return Err(RegistryError::Changeset(ChangesetError::Empty));
        }
        let today = chrono::Local::now().date_naive();
        let mut cs = crate::model::Changeset::new(author, format!("撤销变更集 {}：{reason}", id.0));
        let mut later = Vec::new();
        for v in &written {
            if v.retired {
                return Err(RegistryError::Revert(format!(
                    "变更集注销了“{}”：撤销注销须重新登记该记录",
                    v.body.title()
                )));
            }
            let current_version = self.current().get(&v.id).map(|c| c.version);
            if current_version != Some(v.version) {
                later.push(v.body.title());
                continue;
            }
            if v.version == 1 {
                cs.push(Write::Retire {
                    id: v.id,
                    base_version: 1,
                    valid_from: today,
                });
            } else {
                let history = self.store.history(v.id).await?;
                let before = history
                    .iter()
                    .find(|h| h.version == v.version - 1)
                    .ok_or_else(|| {
                        RegistryError::Revert(format!("记录 {} 缺少第 {} 版", v.id, v.version - 1))
                    })?;
                cs.push(Write::Update {
                    id: v.id,
                    base_version: v.version,
                    valid_from: today.max(v.valid_from),
                    body: before.body.clone(),
                    geometry: before.geometry.clone(),
                });
            }
        }
        if !later.is_empty() {
            return Err(RegistryError::Revert(format!(
                "不能撤销：此后又有变更修改了 {}；请先撤销那些变更",
                later.join("、")
            )));
        }
        self.commit(cs).await
    }

    /// Every version of a record, oldest first.
    pub async fn history(&self, id: RecordId) -> Result<Vec<RecordVersion>, RegistryError> {
        Ok(self.store.history(id).await?)
    }

    /// The records of `layer` as they were in the world on `date`.
    pub async fn layer_as_of(
        &self,
        layer: Layer,
        date: NaiveDate,
    ) -> Result<Vec<RecordVersion>, RegistryError> {
        let versions = self.store.layer_versions(layer).await?;
        Ok(as_of(&versions, date).into_iter().cloned().collect())
    }

    /// The records of `layer` that have been retired, each as its last version (the one
    /// that retired it).
    pub async fn retired(&self, layer: Layer) -> Result<Vec<RecordVersion>, RegistryError> {
        let mut last: std::collections::HashMap<RecordId, RecordVersion> =
            std::collections::HashMap::new();
        for v in self.store.layer_versions(layer).await? {
            if last.get(&v.id).is_none_or(|w| w.version < v.version) {
                last.insert(v.id, v);
            }
        }
        Ok(last.into_values().filter(|v| v.retired).collect())
    }

    /// One record as it was on `date`.
    pub async fn record_as_of(
        &self,
        id: RecordId,
        date: NaiveDate,
    ) -> Result<Option<RecordVersion>, RegistryError> {
        let versions = self.store.history(id).await?;
        Ok(crate::model::version_as_of(&versions, date).cloned())
    }

    /// The deepest unit containing `point` (a community or 嘎查 where there is one).
    pub fn unit_at(&self, point: Coord<f64>) -> Option<RecordVersion> {
        self.current().unit_at(point).cloned()
    }
}

/// Hands the memory freed after a large build (the store read at start, a search index's
/// keys) back to the system: glibc keeps freed small blocks for reuse, so a server that
/// loaded a province and built its search index held 3.9 GB while using 1 GB.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's arenas to the system;
    // it touches no memory in use and is safe to call from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
