//! How a domain reads the registry without knowing its catalogue: the current records of one
//! type ([`Records`]), each seen as a [`Current`] (id, version, body, geometry).
//!
//! A domain function that reads the whole registry takes `&impl Records<Plot> + Records<Burial>`
//! (whatever it reads) and calls [`View`]'s methods (`state.each::<Plot>()`); the model's current
//! state implements [`Records`] for every layer's type. So the domains name no layer and no
//! `Body`, and their functions can be tested on a hand-made list.

use super::RecordId;
use chrono::NaiveDate;
use geo::{Coord, Geometry};

/// One current record of type `T`.
#[derive(Debug)]
pub struct Current<'a, T> {
    pub id: RecordId,
    pub version: u32,
    pub valid_from: NaiveDate,
    pub body: &'a T,
    /// CGCS2000 longitude/latitude (EPSG:4490).
    pub geometry: &'a Geometry<f64>,
}

impl<T> Clone for Current<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Current<'_, T> {}

/// The current records of type `T`. Implementors answer through the spatial index where a
/// point is given.
pub trait Records<T: 'static> {
    /// Every current record of type `T`, in no particular order.
    fn all_of(&self) -> impl Iterator<Item = Current<'_, T>>;
    /// The current record `id`, if it is one of type `T`.
    fn one_of(&self, id: &RecordId) -> Option<Current<'_, T>>;
    /// The record of type `T` nearest to `point`.
    fn nearest_of(&self, point: Coord<f64>) -> Option<Current<'_, T>>;
    /// The records of type `T` whose geometry contains or touches `point`.
    fn at_of(&self, point: Coord<f64>) -> impl Iterator<Item = Current<'_, T>>;
}

/// One record of type `T` that a changeset changes: what it was (none: it is new) and what it
/// becomes (none: it is retired).
#[derive(Debug)]
pub struct Change<'a, T> {
    pub id: RecordId,
    pub before: Option<&'a T>,
    pub after: Option<&'a T>,
    /// Where it was (none: it is new).
    pub was_at: Option<&'a Geometry<f64>>,
    /// Where it will be (none: it is retired).
    pub is_at: Option<&'a Geometry<f64>>,
}

/// The records of type `T` a changeset changes, for the rules that judge a changeset as a
/// whole against the registry as it will be (which implements [`Records`] too).
pub trait Changes<T: 'static> {
    fn changes_of(&self) -> impl Iterator<Item = Change<'_, T>>;
}

/// One record of type `T` that a changeset creates or updates, open to the rules that fill in
/// what the registry decides (whole numbers behind masked ones, whether a place lies in a
/// zone) before it is judged.
pub struct Written<'a, T> {
    pub id: RecordId,
    /// The current version's body (none: the record is new).
    pub before: Option<&'a T>,
    pub body: &'a mut T,
    pub geometry: &'a Geometry<f64>,
}

/// The records of type `T` a changeset creates or updates, to fill in.
pub trait Writing<T: 'static> {
    fn written_of(&mut self) -> Vec<Written<'_, T>>;
}

/// [`Records`] with the type named at the call: `state.each::<Plot>()`.
pub trait View {
    fn each<T: 'static>(&self) -> impl Iterator<Item = Current<'_, T>>
    where
        Self: Records<T>,
    {
        self.all_of()
    }
    fn one<T: 'static>(&self, id: &RecordId) -> Option<Current<'_, T>>
    where
        Self: Records<T>,
    {
        self.one_of(id)
    }
    fn nearest<T: 'static>(&self, point: Coord<f64>) -> Option<Current<'_, T>>
    where
        Self: Records<T>,
    {
        self.nearest_of(point)
    }
    fn at<T: 'static>(&self, point: Coord<f64>) -> impl Iterator<Item = Current<'_, T>>
    where
        Self: Records<T>,
    {
        self.at_of(point)
    }
}

impl<S: ?Sized> View for S {}

/// [`Changes`] and [`Writing`] with the type named at the call: `after.changes::<Plot>()`.
pub trait ChangeView {
    fn changes<T: 'static>(&self) -> impl Iterator<Item = Change<'_, T>>
    where
        Self: Changes<T>,
    {
        self.changes_of()
    }
    fn written<T: 'static>(&mut self) -> Vec<Written<'_, T>>
    where
        Self: Writing<T>,
    {
        self.written_of()
    }
}

impl<S: ?Sized> ChangeView for S {}
