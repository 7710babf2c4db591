//! A door plate: a number on a street, at an entrance point (the record's geometry).

use super::DoorNumber;
use crate::layers::Source;
use crate::record::RecordId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoorPlate {
    /// The street record the number belongs to.
    pub street: RecordId,
    pub number: DoorNumber,
    pub source: Source,
}
