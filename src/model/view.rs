//! Each layer's domain type as a variant of [`Body`] ([`Variant`]: `body.of::<Plot>()`,
//! `plot.into()`), and the current state as the domains read it: [`Records`] for every layer's
//! type (`state.each::<Plot>()`). Code outside the model reads and builds bodies through these
//! rather than matching `Body`'s variants itself.

use super::{Body, CurrentState, Layer, RecordVersion};
use crate::record::{Current, RecordId, Records};
use geo::Coord;
use std::sync::RwLockReadGuard;

/// A layer's domain type: which layer it is and how it sits in a [`Body`].
pub trait Variant: Sized + Into<Body> + 'static {
    const LAYER: Layer;
    fn of(body: &Body) -> Option<&Self>;
    fn of_mut(body: &mut Body) -> Option<&mut Self>;
}

impl Body {
    /// The body as the type of its layer, if it is one of `T`.
    pub fn of<T: Variant>(&self) -> Option<&T> {
        T::of(self)
    }

    /// [`Body::of`], to change it.
    pub fn of_mut<T: Variant>(&mut self) -> Option<&mut T> {
        T::of_mut(self)
    }
}

impl RecordVersion {
    /// The version's body as the type of its layer, if it is one of `T`.
    pub fn of<T: Variant>(&self) -> Option<&T> {
        T::of(&self.body)
    }
}

impl CurrentState {
    /// The current versions of `T`'s layer, each with its body as a `T`.
    pub fn versions<T: Variant>(&self) -> impl Iterator<Item = (&RecordVersion, &T)> {
        self.layer(T::LAYER).filter_map(|v| Some((v, v.of::<T>()?)))
    }

    /// The current version of `id`, if it is a `T`.
    pub fn version<T: Variant>(&self, id: &RecordId) -> Option<(&RecordVersion, &T)> {
        self.get(id).and_then(|v| Some((v, v.of::<T>()?)))
    }
}

macro_rules! records {
    ($($variant:ident($ty:ty)),* $(,)?) => {$(
        impl Variant for $ty {
            const LAYER: Layer = Layer::$variant;
            #[inline]
            fn of(body: &Body) -> Option<&Self> {
                match body {
                    Body::$variant(b) => Some(&**b),
                    _ => None,
                }
            }
            #[inline]
            fn of_mut(body: &mut Body) -> Option<&mut Self> {
                match body {
                    Body::$variant(b) => Some(&mut **b),
                    _ => None,
                }
            }
        }

        impl From<$ty> for Body {
            fn from(b: $ty) -> Body {
                Body::$variant(Box::new(b))
            }
        }

    )*};
}

impl<T: Variant> Records<T> for CurrentState {
    fn all_of(&self) -> impl Iterator<Item = Current<'_, T>> {
        self.versions::<T>().map(|(v, b)| current(v, b))
    }
    fn one_of(&self, id: &RecordId) -> Option<Current<'_, T>> {
        self.version::<T>(id).map(|(v, b)| current(v, b))
    }
    fn nearest_of(&self, point: Coord<f64>) -> Option<Current<'_, T>> {
        let id = self.index().nearest(T::LAYER, point)?;
        self.one_of(&id)
    }
    fn at_of(&self, point: Coord<f64>) -> impl Iterator<Item = Current<'_, T>> {
        self.index()
            .at_point(T::LAYER, point)
            .filter_map(|id| self.one_of(&id))
    }
}

/// A read of the registry's state answers as the state does.
impl<T: Variant> Records<T> for RwLockReadGuard<'_, CurrentState> {
    fn all_of(&self) -> impl Iterator<Item = Current<'_, T>> {
        Records::<T>::all_of(&**self)
    }
    fn one_of(&self, id: &RecordId) -> Option<Current<'_, T>> {
        Records::<T>::one_of(&**self, id)
    }
    fn nearest_of(&self, point: Coord<f64>) -> Option<Current<'_, T>> {
        Records::<T>::nearest_of(&**self, point)
    }
    fn at_of(&self, point: Coord<f64>) -> impl Iterator<Item = Current<'_, T>> {
        Records::<T>::at_of(&**self, point)
    }
}

#[inline]
fn current<'a, T>(v: &'a RecordVersion, body: &'a T) -> Current<'a, T> {
    Current {
        id: v.id,
        version: v.version,
        valid_from: v.valid_from,
        body,
        geometry: &v.geometry,
    }
}

each_layer_type!(records);
