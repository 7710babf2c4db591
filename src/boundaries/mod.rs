//! Administrative units and their boundaries (区划界线): units with statistical codes, levels and
//! parents; the coverage and edge check and its repair proposals; boundary lines, their joint
//! inspections and 平安边界 agreements; markers (界桩) and their observations; disputes. Pure:
//! no I/O, no SQL, no HTTP.

pub mod check;
mod code;
pub mod dispute;
pub mod line;
pub mod marker;
pub mod repair;
pub mod rules;
mod unit;

pub use code::{DivisionCode, DivisionCodeError, UnitLevel};
pub use unit::{AdminUnit, by_code, deepest_at};
