//! Publishing: documents made from the registry. For now the names audit as a standalone HTML
//! report and the renumbering crosswalk (CSV, XLSX); maps, the gazetteer, notices and
//! certificates come with their issues. Knows nothing of HTTP or SQL.

pub mod audit;
pub mod crosswalk;
