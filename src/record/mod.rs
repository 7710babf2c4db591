//! The registry's record model: permanent ids, versions, lifespans and changesets.
//!
//! Every registry object is a chain of [`RecordVersion`]s sharing one permanent [`RecordId`].
//! A change is a [`Changeset`] of [`Write`]s applied all or nothing; a write names the version it
//! changes, and [`CurrentState::plan`] refuses a stale one. Nothing here does I/O: stores persist
//! what a [`CommitPlan`] says, and [`CurrentState`] is the in-memory picture of what is current.

mod changeset;
mod history;
mod id;
mod state;
mod version;

pub use changeset::{ApprovalDocument, Changeset, ChangesetError, ChangesetSummary, Write};
pub use history::{as_of, version_as_of};
pub use id::{ChangesetId, RecordId};
pub use state::{Closure, CommitPlan, CurrentState};
pub use version::RecordVersion;
