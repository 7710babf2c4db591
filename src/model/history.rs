//! Queries over versions: what was true in the world on a given date.

use super::RecordVersion;
use crate::record::RecordId;
use chrono::NaiveDate;
use std::collections::HashMap;

/// The state of the records among `versions` on `date`: for each record, the version true then,
/// leaving out records that did not exist yet or were retired by then.
pub fn as_of(versions: &[RecordVersion], date: NaiveDate) -> Vec<&RecordVersion> {
    let mut best: HashMap<RecordId, &RecordVersion> = HashMap::new();
    for v in versions.iter().filter(|v| v.valid_on(date)) {
        best.entry(v.id)
            .and_modify(|b| {
                if v.version > b.version {
                    *b = v
                }
            })
            .or_insert(v);
    }
    let mut found: Vec<_> = best.into_values().filter(|v| !v.retired).collect();
    found.sort_by_key(|v| v.id);
    found
}

/// The version of one record (given all its versions) that was true on `date`.
pub fn version_as_of(versions: &[RecordVersion], date: NaiveDate) -> Option<&RecordVersion> {
    as_of(versions, date).into_iter().next()
}
