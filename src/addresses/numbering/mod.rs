//! The numbering engine (门牌编号): projects entrances onto a street's centre line (linear
//! referencing), decides each one's side, and numbers them by the conventions in force.
//! Pure: no I/O.

mod campaign;
mod check;
mod conventions;
mod listing;
mod plan;
mod renumber;
mod unique;

pub use campaign::{Campaign, CampaignError, CampaignLine, CampaignStatus};
pub use check::{NumberFinding, NumberRule, check, suggest};
pub use conventions::{Conventions, Heading, Side, StreetOverrides};
pub use listing::{ListedPlate, StreetPlates, street_plates};
pub use plan::{Plan, PlanError, Planned, Refusal, Refused, plan};
pub use renumber::{Change, plate_order, renumber};
pub use unique::{Taken, unique_numbers};
#[cfg(test)]
mod tests;
