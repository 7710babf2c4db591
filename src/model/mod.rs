//! The registry's model: the layer catalogue ([`Layer`], [`Body`]), record versions, changesets
//! and the in-memory picture of what is current.
//!
//! Every registry object is a chain of [`RecordVersion`]s sharing one permanent
//! [`crate::record::RecordId`]. A change is a [`Changeset`] of [`Write`]s applied all or nothing; a
//! write names the version it changes, and [`CurrentState::plan`] refuses a stale one. Nothing
//! here does I/O: stores persist what a [`CommitPlan`] says, and [`CurrentState`] is the
//! in-memory picture of what is current. This module sits above the domains (it gathers their
//! types into one `Body`) and below the registry, the stores and the faces.

/// Every layer's domain type, listed once, in the order of [`Layer::ALL`]: `Body`, its dispatch
/// (layer, description, building from properties) and [`Variant`] are generated from this list
/// by the macro named; the [`crate::record::Records`] of the current state and the changeset
/// views ([`After`], [`Pending`]) are generic over [`Variant`].
macro_rules! each_layer_type {
    ($then:ident) => {
        $then! {
            AdminUnit(crate::boundaries::AdminUnit),
            Street(crate::addresses::Street),
            Place(crate::names::Place),
            DoorPlate(crate::addresses::DoorPlate),
            Campaign(crate::addresses::numbering::Campaign),
            Sign(crate::signs::Sign),
            SignInspection(crate::signs::Inspection),
            WorkOrder(crate::signs::WorkOrder),
            Marker(crate::boundaries::marker::Marker),
            MarkerObservation(crate::boundaries::marker::Observation),
            Dispute(crate::boundaries::dispute::Dispute),
            BoundaryLine(crate::boundaries::line::BoundaryLine),
            LineInspection(crate::boundaries::line::LineInspection),
            Agreement(crate::boundaries::line::Agreement),
            Cemetery(crate::cemetery::Cemetery),
            CemeterySection(crate::cemetery::Section),
            Plot(crate::cemetery::Plot),
            Burial(crate::cemetery::Burial),
            SubsidyClaim(crate::cemetery::SubsidyClaim),
            Grave(crate::cemetery::Grave),
            Notice(crate::cemetery::Notice),
            Zone(crate::cemetery::Zone),
        }
    };
}

mod after;
mod by_id;
mod catalogue;
mod changeset;
mod history;
mod layers;
mod state;
mod version;
mod view;

pub use after::{After, Pending};
pub use catalogue::{CATALOGUE, LayerSpec, Office, Visibility};
pub use changeset::{Changeset, ChangesetError, ChangesetSummary, Write};
pub use history::{as_of, version_as_of};
pub use layers::{Body, ColumnValue, GeometryKind, Layer, PropertyError};
pub use state::{Closure, CommitPlan, CurrentState, RecordIndex, Staged};
pub use version::RecordVersion;
pub use view::Variant;
