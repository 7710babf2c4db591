//! The vector-tile cache: encoded tiles by layer and tile, dropped for exactly the tiles a
//! changeset touches (the old and new extent of every record it writes, at every zoom).

use crate::model::Layer;
use geo::Rect;
use std::collections::HashMap;
use std::sync::RwLock;

/// (layer, internal (what officers see, or the public), z, x, y).
pub type TileKey = (Layer, bool, u8, u32, u32);

/// Encoded tiles (`None` for an empty one).
#[derive(Default)]
pub struct TileCache {
    /// Read by every tile request at once; written when a tile is first cut or dropped.
    tiles: RwLock<HashMap<TileKey, Option<bytes::Bytes>>>,
}

impl TileCache {
    pub fn get(&self, key: &TileKey) -> Option<Option<bytes::Bytes>> {
        self.tiles
            .read()
            .expect("tile cache lock")
            .get(key)
            .cloned()
    }

    pub fn insert(&self, key: TileKey, tile: Option<bytes::Bytes>) {
        self.tiles
            .write()
            .expect("tile cache lock")
            .insert(key, tile);
    }

    pub fn contains(&self, key: &TileKey) -> bool {
        self.tiles
            .read()
            .expect("tile cache lock")
            .contains_key(key)
    }

    /// Forgets the tiles of `layer` that meet `area` (a feature's extent, grown by the margin
    /// that tiles are cut with).
    pub fn invalidate(&self, touched: &[(Layer, Rect<f64>)]) {
        if touched.is_empty() {
            return;
        }
        self.tiles
            .write()
            .expect("tile cache lock")
            .retain(|(layer, _, z, x, y), _| {
                let b = crate::spatial::tiles::bounds(*z, *x, *y);
                let pad = b.width() * crate::spatial::tiles::BUFFER;
                !touched.iter().any(|(l, r)| {
                    l == layer
                        && r.min().x <= b.max().x + pad
                        && r.max().x >= b.min().x - pad
                        && r.min().y <= b.max().y + pad
                        && r.max().y >= b.min().y - pad
                })
            });
    }

    pub fn clear(&self) {
        self.tiles.write().expect("tile cache lock").clear();
    }
}
