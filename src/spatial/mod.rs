//! The spatial core: pure geometry over `geo`.
//!
//! Geometries are stored as CGCS2000 longitude/latitude (EPSG:4490) and measured in metres in
//! EPSG:4546. [`crs`] is the only file that touches PROJ; `index` keeps the rstar index of
//! everything current; [`validate()`] says why a geometry is refused and where; [`coverage`] finds
//! gaps, overlaps, slivers, holes and unmatched edges between units; [`tiles`] is the web-tile
//! arithmetic. Nothing here does I/O.

pub mod coverage;
pub mod crs;
mod extent;
pub mod geojson;
mod index;
pub mod measure;
pub mod tiles;
pub mod validate;

pub use extent::Extent;
pub use index::{IndexChanges, Indexed, SpatialIndex};
pub use validate::{GeometryProblem, Invalid, validate};
