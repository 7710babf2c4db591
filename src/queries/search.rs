//! Search over the names of the registry: by characters (also inside a name), full toneless
//! pinyin, pinyin initials (qjl → 前进路), the standard romanization (erenhot), and with one
//! typo. Keys live in a finite-state transducer (`fst`); a typo is found with a Levenshtein
//! automaton over it. Ranked: exact before prefix before infix before typo, standard names
//! before aliases and historical names, then units, streets, places by category weight, door
//! plates, then by distance to a given point.

use crate::model::{Body, CurrentState, Layer};
use crate::names::WordLists;
use crate::names::romanize::{initials, romanize, toneless};
use crate::record::RecordId;
use fst::automaton::{Levenshtein, Str};
use fst::{Automaton, IntoStreamer, Map, Streamer};
use geo::{Coord, Distance, Geodesic, InteriorPoint, Point};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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

#[derive(Debug, Clone)]
struct Entry {
    id: RecordId,
    name: String,
    layer: Layer,
    at: Option<Coord<f64>>,
    /// Confirmed readings of polyphonic characters.
    readings: BTreeMap<usize, String>,
    /// Aliases, abbreviations and historical names (found, but after standard names).
    other_names: Vec<String>,
    weight: u8,
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

/// The search index over one state of the registry.
pub struct SearchIndex {
    map: Map<Vec<u8>>,
    /// Each Chinese name with one character deleted (SymSpell), for typos.
    deletions: Map<Vec<u8>>,
    /// Keys with several entries; a key with one entry holds it in its fst value.
    postings: Vec<Vec<(u32, Match)>>,
    entries: Vec<Entry>,
}

/// Marks an fst value that holds its one entry inline: flag | entry << 8 | match.
const INLINE: u64 = 1 << 63;

fn match_code(m: Match) -> u64 {
    m as u64
}

fn match_of(code: u64) -> Match {
    [
        Match::Name,
        Match::Pinyin,
        Match::Initials,
        Match::Romanization,
        Match::Infix,
        Match::Typo,
        Match::OtherName,
    ][(code & 0xff) as usize]
}

/// Builds an fst from sorted keys, inlining single entries and spilling the rest to
/// `postings`.
fn build_map(
    keys: BTreeMap<String, Vec<(u32, Match)>>,
    postings: &mut Vec<Vec<(u32, Match)>>,
) -> Map<Vec<u8>> {
    let mut builder = fst::MapBuilder::memory();
    for (key, mut list) in keys {
        list.sort();
        list.dedup_by_key(|(i, _)| *i);
        let value = match list.as_slice() {
            [(i, m)] => INLINE | (u64::from(*i) << 8) | match_code(*m),
            _ => {
                postings.push(list);
                (postings.len() - 1) as u64
            }
        };
        // Keys come sorted and unique out of the BTreeMap.
        builder.insert(&key, value).expect("sorted unique keys");
    }
    Map::new(builder.into_inner().expect("in-memory fst")).expect("valid fst")
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

/// At most this many keys are read per stage, so that a short query stays fast.
const KEYS_PER_STAGE: usize = 4000;

impl SearchIndex {
    /// Indexes every named current record: units, streets, places, and door plates as
    /// "street + number".
    pub fn build(state: &CurrentState, lists: &WordLists) -> Self {
        let mut entries = Vec::new();
        for v in state.records().filter(|v| indexes(v.layer())) {
            let name = match &v.body {
                Body::DoorPlate(d) => match state.get(&d.street) {
                    Some(street) => format!("{}{}", street.body.title(), d.number),
                    None => continue,
                },
                other => other.title(),
            };
            entries.push(Entry {
                id: v.id,
                name,
                layer: v.layer(),
                weight: weight(&v.body),
                at: v.geometry.interior_point().map(|p| p.0),
                readings: v
                    .body
                    .naming()
                    .map(|n| n.readings.clone())
                    .unwrap_or_default(),
                other_names: v
                    .body
                    .naming()
                    .map(|n| n.other_names.iter().map(|o| o.text.clone()).collect())
                    .unwrap_or_default(),
            });
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let mut keys: BTreeMap<String, Vec<(u32, Match)>> = BTreeMap::new();
        let mut add = |key: String, i: usize, m: Match| {
            if !key.is_empty() {
                keys.entry(key).or_default().push((i as u32, m));
            }
        };
        let mut romanized: HashMap<String, String> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            add(normalize(&e.name), i, Match::Name);
            let chars: Vec<char> = e.name.chars().collect();
            for start in 1..chars.len().saturating_sub(1) {
                add(chars[start..].iter().collect(), i, Match::Infix);
            }
            add(toneless(&e.name), i, Match::Pinyin);
            for other in &e.other_names {
                add(normalize(other), i, Match::OtherName);
                add(toneless(other), i, Match::OtherName);
            }
            add(initials(&e.name), i, Match::Initials);
            if e.layer != Layer::DoorPlate {
                let r = if e.readings.is_empty() {
                    romanized
                        .entry(e.name.clone())
                        .or_insert_with(|| {
                            normalize(&romanize(&e.name, lists, false, &e.readings).standard)
                        })
                        .clone()
                } else {
                    normalize(&romanize(&e.name, lists, false, &e.readings).standard)
                };
                add(r, i, Match::Romanization);
            }
        }
        let mut deleted: BTreeMap<String, Vec<(u32, Match)>> = BTreeMap::new();
        for (i, e) in entries.iter().enumerate() {
            let name = normalize(&e.name);
            if !name.is_ascii() && name.chars().count() >= 2 {
                for d in deletions(&name) {
                    deleted.entry(d).or_default().push((i as u32, Match::Typo));
                }
            }
        }
        let mut postings = Vec::new();
        let map = build_map(keys, &mut postings);
        let deletions = build_map(deleted, &mut postings);
        SearchIndex {
            map,
            deletions,
            postings,
            entries,
        }
    }

    /// The entries behind an fst value.
    fn posting(&self, value: u64) -> std::borrow::Cow<'_, [(u32, Match)]> {
        if value & INLINE != 0 {
            std::borrow::Cow::Owned(vec![(((value & !INLINE) >> 8) as u32, match_of(value))])
        } else {
            std::borrow::Cow::Borrowed(&self.postings[value as usize])
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn collect<A: Automaton>(
        &self,
        automaton: A,
        stage: Option<Match>,
        exact: &str,
        found: &mut HashMap<u32, (u8, Match)>,
    ) {
        let mut stream = self.map.search(automaton).into_stream();
        let mut n = 0;
        while let Some((key, posting)) = stream.next() {
            let is_exact = key == exact.as_bytes();
            for &(i, m) in self.posting(posting).iter() {
                let m = stage.unwrap_or(m);
                let s = score(m, is_exact);
                let best = found.entry(i).or_insert((s, m));
                if s > best.0 {
                    *best = (s, m);
                }
            }
            n += 1;
            if n >= KEYS_PER_STAGE {
                break;
            }
        }
    }

    /// Entries one character away from `q`, or sounding like it.
    fn typos(&self, q: &str) -> HashMap<u32, (u8, Match)> {
        let mut out = HashMap::new();
        if q.is_ascii() {
            // fst's Levenshtein automaton is reliable on ASCII keys (pinyin, initials).
            if q.len() >= 3
                && let Ok(lev) = Levenshtein::new(q, 1)
            {
                self.collect(lev, Some(Match::Typo), "", &mut out);
            }
            return out;
        }
        // Chinese: one deletion on either side finds an insertion, a deletion or a
        // substitution (SymSpell); a wrong character of the same sound (an input-method slip)
        // is found through the pinyin keys.
        let typo = (score(Match::Typo, false), Match::Typo);
        let mut add = |value: u64| {
            for &(i, _) in self.posting(value).iter() {
                if within_one_edit(&normalize(&self.entries[i as usize].name), q) {
                    out.insert(i, typo);
                }
            }
        };
        if let Some(v) = self.deletions.get(q) {
            add(v);
        }
        for d in deletions(q) {
            if let Some(v) = self.map.get(&d) {
                add(v);
            }
            if let Some(v) = self.deletions.get(&d) {
                add(v);
            }
        }
        let sound = toneless(q);
        if sound != q {
            self.collect(Str::new(&sound), Some(Match::Typo), "", &mut out);
        }
        out
    }

    /// The best `limit` hits for `query`, nearest first among equals when `near` is given.
    pub fn search(&self, query: &str, near: Option<Coord<f64>>, limit: usize) -> Vec<Hit> {
        let q = normalize(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut found: HashMap<u32, (u8, Match)> = HashMap::new();
        self.collect(Str::new(&q).starts_with(), None, &q, &mut found);
        let exact = found.values().any(|(s, _)| *s == 100);
        if !exact && found.len() < limit && q.chars().count() >= 2 {
            for (i, v) in self.typos(&q) {
                found.entry(i).or_insert(v);
            }
        }
        let mut hits: Vec<Hit> = found
            .into_iter()
            .map(|(i, (score, matched))| {
                let e = &self.entries[i as usize];
                let distance_m = near
                    .zip(e.at)
                    .map(|(a, b)| Geodesic.distance(Point(a), Point(b)));
                Hit {
                    weight: e.weight,
                    id: e.id,
                    name: e.name.clone(),
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
