//! Publishing: documents made from the registry: the names audit as a standalone HTML report,
//! the renumbering crosswalk (CSV, XLSX), the door-plate certificates and notices (PDF through
//! typst, [`pdf`] alone touches it), sign faces (SVG, PDF, PNG) and the sign check (HTML,
//! CSV), the boundary marker forms and inspection reports, relocation notices with their maps
//! (`relocation`), the cremation statistics as text and chart (`cemetery`), the gazetteer
//! (`gazetteer`) and the name table (`names_table`), and the print maps (`map`: the street
//! map and the dispute map, one renderer with the styles and layouts in `maps/`), and the user
//! guide (`guide`: written once in `templates/guide.toml`, shown by the web and typeset as a
//! PDF with the page tests' screenshots). Knows nothing of HTTP or SQL.

pub mod atlas;
pub mod audit;
pub mod cemetery;
pub mod certificate;
pub mod crosswalk;
pub mod gazetteer;
pub mod guide;
pub mod map;
pub mod markers;
pub mod names_table;
pub mod notice;
pub mod pdf;
pub mod raster;
pub mod relocation;
pub mod signs;

/// Text for SVG and XML: in element content or an attribute value.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
