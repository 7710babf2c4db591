//! Publishing: documents made from the registry: the names audit as a standalone HTML report,
//! the renumbering crosswalk (CSV, XLSX) and the door-plate certificates (PDF through typst,
//! [`pdf`] alone touches it). Maps, the gazetteer and notices come with their issues. Knows
//! nothing of HTTP or SQL.

pub mod audit;
pub mod certificate;
pub mod crosswalk;
pub mod dispute_map;
pub mod markers;
pub mod notice;
pub mod pdf;
pub mod signs;
