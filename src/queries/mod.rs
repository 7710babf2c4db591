//! Reads of the whole registry that cross domains: the search over every name (units, streets,
//! places, door plates) and the names audit (地名清查), which judges each name against its
//! peers in scope. They sit above the model and the domains, and below the registry and the
//! faces that call them.

pub mod audit;
pub mod search;
