//! The leaves of the record model: permanent ids, provenance and approval documents, and the
//! traits through which the domains meet the registry without naming it: [`Records`] (how a
//! domain reads current records of one type), [`Changes`] and [`Writing`] (how a domain rule
//! sees the records a changeset writes), [`Describe`] (how a record reads to a person and on a
//! map) and [`Form`] (the form an officer fills in for it).
//!
//! Every registry object is a chain of versions sharing one permanent [`RecordId`]; a change is
//! a changeset with its [`ChangesetId`], citing an [`ApprovalDocument`] where a rule asks for one.
//! This module names no domain and no layer: the domains build on it, and [`crate::model`] (the
//! layer catalogue, versions, changesets and the current state) builds on both.

mod describe;
mod document;
mod form;
mod id;
mod source;
mod view;

pub use describe::{Attributes, Describe, Tag};
pub use document::ApprovalDocument;
pub use form::{Field, Form};
pub use id::{ChangesetId, RecordId};
pub use source::Source;
pub use view::{Change, ChangeView, Changes, Current, Records, View, Writing, Written};
