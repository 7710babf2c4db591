//! Streets and door plates (门牌), and reverse geocoding. Pure: no I/O, no SQL, no HTTP.

mod door_number;
mod door_plate;
pub mod numbering;
pub mod reverse;
mod street;

pub use door_number::{DoorNumber, DoorNumberError, SubStyle};
pub use door_plate::{DoorPlate, PlateKind};
pub use street::{Street, StreetClass};
