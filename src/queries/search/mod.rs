//! Search over the names of the registry: by characters (also inside a name), full toneless
//! pinyin, pinyin initials (qjl → 前进路), the standard romanization (erenhot), and with one
//! typo. Keys live in a finite-state transducer (`fst`, `segment`) built at once; the records
//! changed since are kept in sorted sets (`delta`) by each commit, and the registry builds a
//! new segment from both off the request path when they grow. A typo is found with a
//! Levenshtein automaton over the keys and by deletions (SymSpell). Ranked: exact before prefix before infix before typo, standard names
//! before aliases and historical names, then units, streets, places by category weight, door
//! plates, then by distance to a given point.

mod delta;
mod segment;

use crate::model::{Body, CurrentState, Layer, RecordVersion};
use crate::names::WordLists;
use crate::names::romanize::{initials, romanize, toneless};
use crate::record::RecordId;
use delta::Delta;
use geo::{Coord, Distance, Geodesic, InteriorPoint, Point};
use segment::Segment;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// How a key was made from a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    Name,
    Pinyin,
    Initials,
    Romanization,
    /// A part of the name after its first character (found by a query inside the name).
    Infix,
    /// One character off.
    Typo,
    /// An alias, abbreviation or historical name of the record.
    OtherName,
}

impl Match {
    /// How the name was matched, as the search page says it.
    pub fn label(self) -> &'static str {
        match self {
            Match::Name => "名称",
            Match::Pinyin => "拼音",
            Match::Initials => "拼音首字母",
            Match::Romanization => "罗马字母拼写",
            Match::Infix => "名称中的字",
            Match::Typo => "一字之差",
            Match::OtherName => "别名、简称或曾用名",
        }
    }
}

/// A record as the search holds it. Kept small (72 bytes and the name): a province's
/// million door plates are entries too, and they have neither readings nor other names.
#[derive(Debug, Clone)]
struct Entry {
    id: RecordId,
    name: Box<str>,
    layer: Layer,
    at: Option<Coord<f64>>,
    naming: Option<Box<EntryNaming>>,
    weight: u8,
}

/// What a named record's naming adds to its entry, when it adds anything.
#[derive(Debug, Clone, Default)]
struct EntryNaming {
    /// Confirmed readings of polyphonic characters.
    readings: BTreeMap<usize, String>,
    /// Aliases, abbreviations and historical names (found, but after standard names).
    other_names: Vec<String>,
}

static NO_READINGS: BTreeMap<usize, String> = BTreeMap::new();

impl Entry {
    fn readings(&self) -> &BTreeMap<usize, String> {
        self.naming.as_ref().map_or(&NO_READINGS, |n| &n.readings)
    }

    fn other_names(&self) -> &[String] {
        self.naming.as_ref().map_or(&[], |n| &n.other_names)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: RecordId,
    /// Rank among equal matches (units 9 … door plates 1).
    #[serde(skip)]
    pub weight: u8,
    pub name: String,
    pub layer: Layer,
    #[serde(rename = "match")]
    pub matched: Match,
    pub score: u8,
    /// Metres from the point the query gave, if it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
}

/// `s` with each one of its characters deleted in turn.
fn deletions(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len())
        .map(|skip| {
            chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c)
                .collect()
        })
        .collect()
}

/// Lower case, without spaces, apostrophes or hyphens.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '’' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Among equal matches: units, then streets, then places by category (landmarks people ask
/// for before single buildings), then door plates.
/// Whether the search index holds records of `layer` (a change to any other layer leaves it
/// as it is).
pub fn indexes(layer: Layer) -> bool {
    layer.spec().searchable
}

fn weight(body: &Body) -> u8 {
    use crate::names::PlaceCategory as C;
    match body {
        Body::AdminUnit(_) => 9,
        Body::Street(_) => 8,
        Body::Place(p) => match p.category {
            C::Transport | C::MemorialOrScenic => 7,
            C::Waters | C::Landform | C::Sea => 6,
            C::Settlement | C::NonAdministrativeArea => 5,
            C::AdministrativeArea | C::SelfGoverningOrganisation => 5,
            C::WaterPowerCommunication | C::Organisation => 4,
            C::Building => 3,
        },
        Body::DoorPlate(_) => 1,
        // Layers the search does not index (`LayerSpec::searchable`).
        _ => 0,
    }
}

fn score(m: Match, exact: bool) -> u8 {
    match (m, exact) {
        (Match::Name, true) => 100,
        (Match::Pinyin | Match::Romanization, true) => 90,
        (Match::Initials, true) => 85,
        (Match::Name, false) => 75,
        (Match::Pinyin | Match::Romanization, false) => 70,
        (Match::Initials, false) => 65,
        (Match::OtherName, true) => 80,
        (Match::OtherName, false) => 62,
        (Match::Infix, _) => 60,
        (Match::Typo, _) => 40,
    }
}

/// The records whose search entries `versions` change: the searchable ones, and the door
/// plates of streets they rename or retire (a plate is found as "street + number"). Read from
/// the state before the versions apply.
pub fn affected(state: &CurrentState, versions: &[RecordVersion]) -> Vec<RecordId> {
    let mut ids: Vec<RecordId> = versions
        .iter()
        .filter(|v| indexes(v.layer()))
        .map(|v| v.id)
        .collect();
    let renamed: HashSet<RecordId> = versions
        .iter()
        .filter(|v| v.layer() == Layer::Street)
        .filter(|v| {
            v.retired
                || state
                    .get(&v.id)
                    .is_some_and(|old| old.body.title() != v.body.title())
        })
        .map(|v| v.id)
        .collect();
    if !renamed.is_empty() {
        ids.extend(
            state
                .layer(Layer::DoorPlate)
                .filter(|p| matches!(&p.body, Body::DoorPlate(d) if renamed.contains(&d.street)))
                .map(|p| p.id),
        );
    }
    ids
}

/// At most this many keys are read per stage, so that a short query stays fast.
const KEYS_PER_STAGE: usize = 4000;

/// Once this many records have changed since the segment was built, the registry builds a
/// new one off the request path ([`SearchIndex::merged`]); until then the changes answer from
/// the delta's sorted sets.
pub const MERGE_FROM: usize = 2_048;

/// The keys an entry is found by, and its name with each character deleted in turn (typos).
#[derive(Debug, Clone, Default)]
struct Keys {
    keys: Vec<(String, Match)>,
    deletions: Vec<String>,
}

impl Entry {
    /// The entry of a current record the search holds: units, streets, places, and door
    /// plates as "street + number" (none for a plate whose street is not current).
    fn of(state: &CurrentState, v: &RecordVersion) -> Option<Entry> {
        if !indexes(v.layer()) {
            return None;
        }
        let name = match &v.body {
            Body::DoorPlate(d) => {
                let street = state.get(&d.street)?;
                format!("{}{}", street.body.title(), d.number)
            }
            other => other.title(),
        };
        let naming = v
            .body
            .naming()
            .filter(|n| !n.readings.is_empty() || !n.other_names.is_empty())
            .map(|n| {
                Box::new(EntryNaming {
                    readings: n.readings.clone(),
                    other_names: n.other_names.iter().map(|o| o.text.clone()).collect(),
                })
            });
        Some(Entry {
            id: v.id,
            name: name.into(),
            layer: v.layer(),
            weight: weight(&v.body),
            at: v.geometry.interior_point().map(|p| p.0),
            naming,
        })
    }

    /// The keys of the entry: its name, the parts of it after the first character, its
    /// pinyin, initials and romanization, its other names. `romanized` keeps the
    /// romanizations of names already seen (many streets share a name).
    fn keys(&self, lists: &WordLists, romanized: &mut HashMap<String, String>) -> Keys {
        let mut keys = Vec::new();
        let mut add = |key: String, m: Match| {
            if !key.is_empty() {
                keys.push((key, m));
            }
        };
        add(normalize(&self.name), Match::Name);
        let chars: Vec<char> = self.name.chars().collect();
        for start in 1..chars.len().saturating_sub(1) {
            add(chars[start..].iter().collect(), Match::Infix);
        }
        add(toneless(&self.name), Match::Pinyin);
        for other in self.other_names() {
            add(normalize(other), Match::OtherName);
            add(toneless(other), Match::OtherName);
        }
        add(initials(&self.name), Match::Initials);
        if self.layer != Layer::DoorPlate {
            let romanize =
                || normalize(&romanize(&self.name, lists, false, self.readings()).standard);
            let r = if self.readings().is_empty() {
                romanized
                    .entry(self.name.to_string())
                    .or_insert_with(romanize)
                    .clone()
            } else {
                romanize()
            };
            add(r, Match::Romanization);
        }
        let name = normalize(&self.name);
        let deletions = if !name.is_ascii() && name.chars().count() >= 2 {
            deletions(&name)
        } else {
            Vec::new()
        };
        Keys { keys, deletions }
    }
}

/// What the search asks of each part of the index.
trait Part {
    /// Entries under keys that start with `prefix` (at most [`KEYS_PER_STAGE`] keys), with
    /// whether the key is `prefix` itself.
    fn prefixed<'a>(&'a self, prefix: &str, each: &mut dyn FnMut(bool, &'a Entry, Match));
    /// Entries under the key `key`.
    fn exact<'a>(&'a self, key: &str, each: &mut dyn FnMut(&'a Entry, Match));
    /// Entries whose name with one character deleted is `key`.
    fn deleted<'a>(&'a self, key: &str, each: &mut dyn FnMut(&'a Entry));
    /// Entries with an ASCII key one edit away from `q`.
    fn ascii_typos<'a>(&'a self, q: &str, each: &mut dyn FnMut(&'a Entry));
}

/// The search index over one state of the registry: a segment built at once and the records
/// changed since (`delta`), which each commit brings up to date (see
/// [`SearchIndex::with_records`]); a search reads both, the segment's entries of changed
/// records left out.
#[derive(Clone)]
pub struct SearchIndex {
    segment: Arc<Segment>,
    delta: Arc<Delta>,
}

impl SearchIndex {
    /// Indexes every named current record of `state`.
    pub fn build(state: &CurrentState, lists: &WordLists) -> Self {
        let entries = state
            .records()
            .filter_map(|v| Entry::of(state, v))
            .collect();
        Self::of_entries(entries, lists)
    }

    fn of_entries(entries: Vec<Entry>, lists: &WordLists) -> Self {
        let mut romanized = HashMap::new();
        SearchIndex {
            segment: Arc::new(Segment::build(entries, |e| e.keys(lists, &mut romanized))),
            delta: Arc::default(),
        }
    }

    /// How many records the search finds.
    pub fn len(&self) -> usize {
        let kept = if self.delta.len() == 0 {
            self.segment.entries().len()
        } else {
            self.segment
                .entries()
                .iter()
                .filter(|e| !self.delta.shadows(&e.id))
                .count()
        };
        kept + self.delta.entries().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many records changed since the segment was built.
    pub fn pending(&self) -> usize {
        self.delta.len()
    }

    /// The index with the records `ids` as `state` has them now: a record no longer current
    /// (or not searchable) leaves it. The work is the changed records' keys, whatever the size
    /// of the index; the delta is copied only if a search still reads it.
    pub fn with_records(
        mut self,
        state: &CurrentState,
        ids: impl IntoIterator<Item = RecordId>,
        lists: &WordLists,
    ) -> SearchIndex {
        let delta = Arc::make_mut(&mut self.delta);
        let mut romanized = HashMap::new();
        for id in ids {
            let entry = state.get(&id).and_then(|v| Entry::of(state, v)).map(|e| {
                let keys = e.keys(lists, &mut romanized);
                (e, keys)
            });
            delta.set(id, entry);
        }
        self
    }

    /// The same entries in one new segment, worked out from the index alone (no lock on the
    /// state is held): the registry calls it off the request path once
    /// [`MERGE_FROM`] records have changed, and [`Self::rebased`] adds what changed meanwhile.
    pub fn merged(&self, lists: &WordLists) -> SearchIndex {
        let entries = self
            .segment
            .entries()
            .iter()
            .filter(|e| !self.delta.shadows(&e.id))
            .chain(self.delta.entries())
            .cloned()
            .collect();
        Self::of_entries(entries, lists)
    }

    /// This index, merged from `from`, with the changes `now` has had since; `None` when
    /// `now` no longer builds on `from`'s segment.
    pub fn rebased(mut self, from: &SearchIndex, now: &SearchIndex) -> Option<SearchIndex> {
        if !Arc::ptr_eq(&from.segment, &now.segment) {
            return None;
        }
        self.delta = Arc::new(now.delta.since(&from.delta));
        Some(self)
    }

    /// The best `limit` hits for `query`, nearest first among equals when `near` is given.
    pub fn search(&self, query: &str, near: Option<Coord<f64>>, limit: usize) -> Vec<Hit> {
        let q = normalize(query);
        if q.is_empty() {
            return Vec::new();
        }
        let delta: &Delta = &self.delta;
        // The segment's entries of changed records are out of date: the delta answers for them.
        let parts: [(&dyn Part, bool); 2] = [(&*self.segment, true), (delta, false)];
        let visible = |shadowed: bool, e: &Entry| !shadowed || !delta.shadows(&e.id);
        let mut found: HashMap<RecordId, (u8, Match, &Entry)> = HashMap::new();
        for (part, shadowed) in parts {
            part.prefixed(&q, &mut |exact, e, m| {
                if visible(shadowed, e) {
                    let s = score(m, exact);
                    let best = found.entry(e.id).or_insert((s, m, e));
                    if s > best.0 {
                        *best = (s, m, e);
                    }
                }
            });
        }
        let exact = found.values().any(|(s, ..)| *s == 100);
        if !exact && found.len() < limit && q.chars().count() >= 2 {
            for (id, e) in self.typos(&q, &parts, &visible) {
                found
                    .entry(id)
                    .or_insert((score(Match::Typo, false), Match::Typo, e));
            }
        }
        let mut hits: Vec<Hit> = found
            .into_values()
            .map(|(score, matched, e)| {
                let distance_m = near
                    .zip(e.at)
                    .map(|(a, b)| Geodesic.distance(Point(a), Point(b)));
                Hit {
                    weight: e.weight,
                    id: e.id,
                    name: e.name.to_string(),
                    layer: e.layer,
                    matched,
                    score,
                    distance_m,
                }
            })
            .collect();
        hits.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(b.weight.cmp(&a.weight))
                .then(
                    a.distance_m
                        .unwrap_or(0.0)
                        .total_cmp(&b.distance_m.unwrap_or(0.0)),
                )
                .then(a.name.chars().count().cmp(&b.name.chars().count()))
                .then(a.name.cmp(&b.name))
        });
        hits.truncate(limit);
        hits
    }

    /// Entries one character away from `q`, or sounding like it.
    fn typos<'a>(
        &'a self,
        q: &str,
        parts: &[(&'a dyn Part, bool)],
        visible: &dyn Fn(bool, &Entry) -> bool,
    ) -> HashMap<RecordId, &'a Entry> {
        let mut out: HashMap<RecordId, &'a Entry> = HashMap::new();
        for &(part, shadowed) in parts {
            let mut add = |e: &'a Entry| {
                if visible(shadowed, e) {
                    out.insert(e.id, e);
                }
            };
            if q.is_ascii() {
                if q.len() >= 3 {
                    part.ascii_typos(q, &mut add);
                }
                continue;
            }
            // Chinese: one deletion on either side finds an insertion, a deletion or a
            // substitution (SymSpell); a wrong character of the same sound (an input-method
            // slip) is found through the pinyin keys.
            let mut near_miss = |e: &'a Entry| {
                if within_one_edit(&normalize(&e.name), q) {
                    add(e);
                }
            };
            part.deleted(q, &mut near_miss);
            for d in deletions(q) {
                part.exact(&d, &mut |e, _| near_miss(e));
                part.deleted(&d, &mut near_miss);
            }
            let sound = toneless(q);
            if sound != q {
                part.exact(&sound, &mut |e, _| add(e));
            }
        }
        out
    }
}

/// Whether `a` and `b` are at most one character insertion, deletion or substitution apart.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        short[prefix + 1.min(short.len() - prefix)..] == long[prefix + 1.min(long.len() - prefix)..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addresses::{DoorPlate, Street, StreetClass};
    use crate::model::RecordVersion;
    use crate::names::{Place, PlaceCategory};
    use crate::record::{ChangesetId, Source};
    use geo::Geometry;
    use proptest::prelude::*;

    const SPECIFICS: [&str; 6] = ["前进", "前近", "友谊", "团结", "和平", "胜利"];

    /// A change to a registry of a few streets, their plates and places.
    #[derive(Debug, Clone)]
    enum Op {
        /// A new street (`true`) or place, named from [`SPECIFICS`].
        Create(bool, usize),
        /// A plate numbered `.1` on the street at position `.0` among the current ones.
        Plate(usize, u32),
        /// The record at this position takes another name.
        Rename(usize, usize),
        Retire(usize),
        /// A new segment, built as the registry does off the request path.
        Merge,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (any::<bool>(), 0..SPECIFICS.len()).prop_map(|(s, n)| Op::Create(s, n)),
            (0..8usize, 1..40u32).prop_map(|(i, n)| Op::Plate(i, n)),
            (0..8usize, 0..SPECIFICS.len()).prop_map(|(i, n)| Op::Rename(i, n)),
            (0..8usize).prop_map(Op::Retire),
            Just(Op::Merge),
        ]
    }

    fn version(id: RecordId, version: u32, body: Body) -> RecordVersion {
        RecordVersion {
            id,
            version,
            valid_from: "2024-01-01".parse().unwrap(),
            valid_to: None,
            recorded_at: chrono::Utc::now(),
            superseded_at: None,
            changeset: ChangesetId::new(),
            retired: false,
            body,
            geometry: Geometry::Point(geo::Point::new(111.97, 43.65)),
        }
    }

    fn named(street: bool, name: String) -> Body {
        if street {
            Body::from(Street {
                name,
                name_mn: None,
                class: StreetClass::Branch,
                source: Source::Sample,
                naming: Default::default(),
                numbering: Default::default(),
            })
        } else {
            Body::from(Place {
                name,
                name_mn: None,
                category: PlaceCategory::Building,
                source: Source::Sample,
                naming: Default::default(),
            })
        }
    }

    /// Sorted, so that equal hits in another order compare equal.
    fn found(index: &SearchIndex, q: &str) -> Vec<(RecordId, String, u8, Match)> {
        let mut hits: Vec<_> = index
            .search(q, None, 10_000)
            .into_iter()
            .map(|h| (h.id, h.name, h.score, h.matched))
            .collect();
        hits.sort_by_key(|h| h.0);
        hits
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// An index kept by each change (and merged now and then) finds what an index built
        /// afresh from the same state finds, for every name and its parts, typos and pinyin.
        #[test]
        fn an_index_kept_by_changes_answers_as_one_built_afresh(ops in prop::collection::vec(op(), 1..40)) {
            let lists = WordLists::builtin();
            let mut state = CurrentState::default();
            let mut index = SearchIndex::build(&state, &lists);
            for (n, op) in ops.into_iter().enumerate() {
                let current: Vec<RecordVersion> = {
                    let mut v: Vec<_> = state.records().filter(|v| v.layer() != Layer::DoorPlate).cloned().collect();
                    v.sort_by_key(|v| v.id);
                    v
                };
                let streets: Vec<&RecordVersion> = current.iter().filter(|v| v.layer() == Layer::Street).collect();
                let versions = match op {
                    Op::Create(street, s) => vec![version(RecordId::new(), 1, named(street, format!("{}{}", SPECIFICS[s], if street { "路" } else { "广场" })))],
                    Op::Plate(i, number) => match streets.get(i % streets.len().max(1)) {
                        Some(street) => vec![version(RecordId::new(), 1, Body::from(DoorPlate {
                            street: street.id,
                            number: number.to_string().parse().unwrap(),
                            source: Source::Sample,
                            kind: Default::default(),
                        }))],
                        None => continue,
                    },
                    Op::Rename(i, s) => match current.get(i % current.len().max(1)) {
                        Some(old) => {
                            let street = old.layer() == Layer::Street;
                            vec![version(old.id, old.version + 1, named(street, format!("{}{n}{}", SPECIFICS[s], if street { "街" } else { "大厦" })))]
                        }
                        None => continue,
                    },
                    Op::Retire(i) => match current.get(i % current.len().max(1)) {
                        Some(old) => vec![RecordVersion { retired: true, version: old.version + 1, ..old.clone() }],
                        None => continue,
                    },
                    Op::Merge => {
                        index = index.merged(&lists);
                        continue;
                    }
                };
                let ids = affected(&state, &versions);
                state.apply_versions(versions);
                index = index.with_records(&state, ids, &lists);
            }
            let fresh = SearchIndex::build(&state, &lists);
            prop_assert_eq!(index.len(), fresh.len());
            let mut queries: Vec<String> = SPECIFICS.iter().map(|s| s.to_string()).collect();
            for v in state.records() {
                let title = v.body.title();
                queries.push(title.chars().skip(1).collect());
                queries.push(toneless(&title));
                queries.push(format!("{title}x"));
                queries.push(title);
            }
            queries.extend(["qianjin", "qjl", "qianjn", "前进1", "路"].map(String::from));
            for q in &queries {
                prop_assert_eq!(found(&index, q), found(&fresh, q), "query {}", q);
            }
        }
    }

    /// A merge that finishes after more changes keeps them.
    #[test]
    fn a_merge_keeps_what_changed_while_it_ran() {
        let lists = WordLists::builtin();
        let mut state = CurrentState::default();
        let first = version(RecordId::new(), 1, named(true, "前进路".into()));
        state.apply_versions([first.clone()]);
        let index = SearchIndex::build(&state, &lists);
        let later = version(RecordId::new(), 1, named(false, "友谊广场".into()));
        let renamed = version(first.id, 2, named(true, "团结路".into()));
        let versions = vec![later, renamed];
        let from = index.with_records(&state, [], &lists);
        let merged = from.merged(&lists);
        let ids = affected(&state, &versions);
        state.apply_versions(versions);
        let now = from.clone().with_records(&state, ids, &lists);
        assert_eq!(now.pending(), 2);
        let index = merged.rebased(&from, &now).expect("same segment");
        assert_eq!(
            index.pending(),
            2,
            "the changes after the merge began are kept"
        );
        assert_eq!(
            found(&index, "团结路"),
            found(&SearchIndex::build(&state, &lists), "团结路")
        );
        assert!(found(&index, "前进路").is_empty(), "the old name is gone");
        assert_eq!(index.search("友谊", None, 5).len(), 1);
        // An index whose state was read anew is not rebased onto.
        assert!(
            index
                .merged(&lists)
                .rebased(&from, &SearchIndex::build(&state, &lists))
                .is_none()
        );
    }

    #[test]
    fn one_edit_apart() {
        assert!(within_one_edit("前进大街", "前近大街"));
        assert!(within_one_edit("前进大街", "前进街"));
        assert!(within_one_edit("前进大街", "前进大街x"));
        assert!(within_one_edit("前进大街", "前进大街"));
        assert!(!within_one_edit("前进大街", "前近大道"));
        assert!(!within_one_edit("前进大街", "进前大街"));
    }
}
