//! Administrative units and their boundaries (区划界线): units with statistical codes, levels and
//! parents. Pure: no I/O, no SQL, no HTTP.

pub mod check;
mod code;
pub mod dispute;
pub mod line;
pub mod marker;
pub mod repair;
mod unit;

pub use code::{DivisionCode, DivisionCodeError, UnitLevel};
pub use unit::AdminUnit;
