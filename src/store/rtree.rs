//! The GeoPackage R-tree spatial index (`gpkg_rtree_index`, GeoPackage 1.3 Annex F.3) of the
//! SQLite store's feature tables: without it QGIS and GDAL read a whole layer for every pan and
//! zoom. Each feature table `t` with geometry column `c` gets a virtual table `rtree_t_c` of
//! bounding boxes, kept in step by the specification's triggers, which call `ST_IsEmpty`,
//! `ST_MinX`, `ST_MaxX`, `ST_MinY` and `ST_MaxY`. SQLite has no such functions: every
//! connection of the store registers them ([`register_functions`]), as GDAL does on its own.
//!
//! The triggers are 1.3's, the version the file declares (GDAL 3.6 warns about a 1.4 file and
//! its validator asks for 1.3's trigger names). Their `update1` re-inserts with
//! `INSERT OR REPLACE`, which an outer `INSERT … ON CONFLICT DO UPDATE` turns into a plain
//! insert that fails: the store updates changed rows with `UPDATE`, never with an upsert.
//!
//! [`ensure`] runs with the migrations on every open: a feature table listed in
//! `gpkg_geometry_columns` without its index gets one, filled from the table's rows, so a store
//! made before the index existed, a feature table added by a later migration, or an index
//! dropped by hand is indexed without a migration of its own. An indexed store is left as it
//! is (nothing written).

use super::StoreError;
use super::sql;
use libsqlite3_sys as ffi;
use sqlx::{AssertSqlSafe, Sqlite, SqliteConnection, Transaction};
use std::ffi::{CStr, c_int, c_void};

/// The bounding box of a GeoPackage geometry blob, `[min x, max x, min y, max y]`, or `None`
/// for an empty geometry. The envelope in the blob's header is used when there is one (lines
/// and polygons as diming writes them); otherwise (points) the geometry is read.
pub fn envelope(blob: &[u8]) -> Result<Option<[f64; 4]>, String> {
    use geo::BoundingRect;
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("不是 GeoPackage 几何".into());
    }
    let flags = blob[3];
    if flags & 0b1_0000 != 0 {
        return Ok(None);
    }
    if (flags >> 1) & 0b111 != 0 {
        let Some(bytes) = blob.get(8..40) else {
            return Err("GeoPackage 几何的包络不完整".into());
        };
        let mut out = [0.0; 4];
        for (i, chunk) in bytes.chunks_exact(8).enumerate() {
            let raw: [u8; 8] = chunk.try_into().expect("eight bytes");
            out[i] = if flags & 1 == 1 {
                f64::from_le_bytes(raw)
            } else {
                f64::from_be_bytes(raw)
            };
        }
        return Ok(Some(out));
    }
    // A two-dimensional point, as diming writes one: its coordinates are its box.
    let wkb = &blob[8..];
    if wkb.len() == 21 && wkb[0] == flags & 1 {
        let number = |b: &[u8]| {
            let raw: [u8; 8] = b.try_into().expect("eight bytes");
            if wkb[0] == 1 {
                f64::from_le_bytes(raw)
            } else {
                f64::from_be_bytes(raw)
            }
        };
        let kind: [u8; 4] = wkb[1..5].try_into().expect("four bytes");
        let kind = if wkb[0] == 1 {
            u32::from_le_bytes(kind)
        } else {
            u32::from_be_bytes(kind)
        };
        let (x, y) = (number(&wkb[5..13]), number(&wkb[13..21]));
        if kind == 1 {
            // NaN coordinates are the empty point.
            return Ok((!x.is_nan() && !y.is_nan()).then_some([x, x, y, y]));
        }
    }
    let geometry = super::geometry::from_gpkg(blob)?;
    Ok(geometry
        .bounding_rect()
        .filter(|r| !r.min().x.is_nan())
        .map(|r| [r.min().x, r.max().x, r.min().y, r.max().y]))
}

/// Registers the functions the R-tree triggers call on one connection.
pub async fn register_functions(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    let functions: [(&CStr, usize); 5] = [
        (c"ST_MinX", 0),
        (c"ST_MaxX", 1),
        (c"ST_MinY", 2),
        (c"ST_MaxY", 3),
        (c"ST_IsEmpty", IS_EMPTY),
    ];
    for (name, which) in functions {
        // SAFETY: `db` is this connection's open handle, held locked for the call; the name is
        // a NUL-terminated constant; the user data is a small integer, never dereferenced; the
        // callback only reads its one argument and sets its result.
        let rc = unsafe {
            ffi::sqlite3_create_function_v2(
                db,
                name.as_ptr(),
                1,
                ffi::SQLITE_UTF8 | ffi::SQLITE_DETERMINISTIC | ffi::SQLITE_INNOCUOUS,
                which as *mut c_void,
                Some(geometry_function),
                None,
                None,
                None,
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(sqlx::Error::Configuration(
                format!(
                    "无法在 SQLite 中注册函数 {}（错误码 {rc}）",
                    name.to_string_lossy()
                )
                .into(),
            ));
        }
    }
    Ok(())
}

/// The user data of `ST_IsEmpty` (the others carry their index into the envelope).
const IS_EMPTY: usize = 4;

/// The five functions: NULL for a NULL argument; an error, with the reason, for a value that
/// is not a GeoPackage geometry.
unsafe extern "C" fn geometry_function(
    ctx: *mut ffi::sqlite3_context,
    argc: c_int,
    argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: SQLite calls this with its context and `argc` (1, as registered) valid values;
    // the blob pointer is valid for the length SQLite gives until the value changes, which
    // nothing here does.
    unsafe {
        let which = ffi::sqlite3_user_data(ctx) as usize;
        if argc != 1 {
            return result_error(ctx, "需要一个几何参数");
        }
        let value = *argv;
        match ffi::sqlite3_value_type(value) {
            ffi::SQLITE_NULL => return ffi::sqlite3_result_null(ctx),
            ffi::SQLITE_BLOB => {}
            _ => return result_error(ctx, "参数不是 GeoPackage 几何"),
        }
        let data = ffi::sqlite3_value_blob(value).cast::<u8>();
        let len = ffi::sqlite3_value_bytes(value);
        let blob = if data.is_null() || len <= 0 {
            &[][..]
        } else {
            std::slice::from_raw_parts(data, len as usize)
        };
        // A panic must not unwind into SQLite.
        match std::panic::catch_unwind(|| envelope(blob)) {
            Ok(Ok(bounds)) if which == IS_EMPTY => {
                ffi::sqlite3_result_int(ctx, c_int::from(bounds.is_none()))
            }
            Ok(Ok(Some(bounds))) => ffi::sqlite3_result_double(ctx, bounds[which]),
            Ok(Ok(None)) => ffi::sqlite3_result_null(ctx),
            Ok(Err(reason)) => result_error(ctx, &reason),
            Err(_) => result_error(ctx, "读取几何时出错"),
        }
    }
}

/// SAFETY: `ctx` is the context SQLite passed to the function being answered.
unsafe fn result_error(ctx: *mut ffi::sqlite3_context, message: &str) {
    // SQLite copies the message (the length is given, so no NUL is needed).
    unsafe {
        ffi::sqlite3_result_error(ctx, message.as_ptr().cast(), message.len() as c_int);
    }
}

/// The triggers that keep `table`'s index of `column` (its rows' ids in `fid`) in step.
fn trigger_statements(table: &str, column: &str) -> Vec<String> {
    let rtree = format!("rtree_{table}_{column}");
    let bounds = |row: &str| {
        format!(
            "ST_MinX({row}.{column}), ST_MaxX({row}.{column}), ST_MinY({row}.{column}), ST_MaxY({row}.{column})"
        )
    };
    let new = bounds("NEW");
    let present =
        |row: &str| format!("({row}.{column} NOTNULL AND NOT ST_IsEmpty({row}.{column}))");
    let absent = |row: &str| format!("({row}.{column} ISNULL OR ST_IsEmpty({row}.{column}))");
    vec![
        format!(
            "CREATE TRIGGER \"{rtree}_insert\" AFTER INSERT ON \"{table}\" WHEN {} \
             BEGIN INSERT OR REPLACE INTO \"{rtree}\" VALUES (NEW.fid, {new}); END",
            present("NEW")
        ),
        format!(
            "CREATE TRIGGER \"{rtree}_update1\" AFTER UPDATE OF {column} ON \"{table}\" \
             WHEN OLD.fid = NEW.fid AND {} \
             BEGIN INSERT OR REPLACE INTO \"{rtree}\" VALUES (NEW.fid, {new}); END",
            present("NEW")
        ),
        format!(
            "CREATE TRIGGER \"{rtree}_update2\" AFTER UPDATE OF {column} ON \"{table}\" \
             WHEN OLD.fid = NEW.fid AND {} \
             BEGIN DELETE FROM \"{rtree}\" WHERE id = OLD.fid; END",
            absent("NEW")
        ),
        format!(
            "CREATE TRIGGER \"{rtree}_update3\" AFTER UPDATE OF {column} ON \"{table}\" \
             WHEN OLD.fid != NEW.fid AND {} \
             BEGIN DELETE FROM \"{rtree}\" WHERE id = OLD.fid; \
             INSERT OR REPLACE INTO \"{rtree}\" VALUES (NEW.fid, {new}); END",
            present("NEW")
        ),
        format!(
            "CREATE TRIGGER \"{rtree}_update4\" AFTER UPDATE ON \"{table}\" \
             WHEN OLD.fid != NEW.fid AND {} \
             BEGIN DELETE FROM \"{rtree}\" WHERE id IN (OLD.fid, NEW.fid); END",
            absent("NEW")
        ),
        format!(
            "CREATE TRIGGER \"{rtree}_delete\" AFTER DELETE ON \"{table}\" WHEN OLD.{column} NOT NULL \
             BEGIN DELETE FROM \"{rtree}\" WHERE id = OLD.fid; END"
        ),
    ]
}

/// The feature tables' geometry columns that have no R-tree yet.
async fn unindexed(tx: &mut Transaction<'_, Sqlite>) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(sql::sqlite("unindexed_geometry_columns"))
        .fetch_all(&mut **tx)
        .await
}

/// Indexes every feature table that has no index yet; returns how many were indexed.
pub async fn ensure(tx: &mut Transaction<'_, Sqlite>) -> Result<usize, StoreError> {
    let fail = |source| StoreError::Database {
        context: "建立空间索引",
        source,
    };
    let missing = unindexed(tx).await.map_err(fail)?;
    if missing.is_empty() {
        return Ok(0);
    }
    sqlx::query(sql::sqlite("create_gpkg_extensions"))
        .execute(&mut **tx)
        .await
        .map_err(fail)?;
    for (table, column) in &missing {
        // Triggers left without their table (the table dropped by hand) would refuse to be
        // created again, and would fail every write meanwhile.
        suspend(tx, table, column).await.map_err(fail)?;
        build(tx, table, column).await.map_err(fail)?;
        sqlx::query(sql::sqlite("register_rtree_extension"))
            .bind(table)
            .bind(column)
            .execute(&mut **tx)
            .await
            .map_err(fail)?;
    }
    Ok(missing.len())
}

/// Drops `table`'s index of `column` and its triggers, for a write so large that building the
/// index again ([`build`]) is quicker than keeping it in step row by row: SQLite's R-tree takes
/// about 50 µs a row when a trigger writes it (each write inside a trigger reopens the index's
/// nodes), so 100,000 door plates cost 5 s through the triggers and 0.3 s bulk-loaded. Only
/// within the transaction that builds it again.
pub async fn suspend(
    tx: &mut Transaction<'_, Sqlite>,
    table: &str,
    column: &str,
) -> Result<(), sqlx::Error> {
    for trigger in [
        "insert", "update1", "update2", "update3", "update4", "delete",
    ] {
        sqlx::query(AssertSqlSafe(format!(
            "DROP TRIGGER IF EXISTS \"rtree_{table}_{column}_{trigger}\""
        )))
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(AssertSqlSafe(format!(
        "DROP TABLE IF EXISTS \"rtree_{table}_{column}\""
    )))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Creates `table`'s index of `column`, bulk-loaded from every row, and its triggers.
pub async fn build(
    tx: &mut Transaction<'_, Sqlite>,
    table: &str,
    column: &str,
) -> Result<(), sqlx::Error> {
    let rtree = format!("rtree_{table}_{column}");
    sqlx::query(AssertSqlSafe(format!(
        "CREATE VIRTUAL TABLE \"{rtree}\" USING rtree(id, minx, maxx, miny, maxy)"
    )))
    .execute(&mut **tx)
    .await?;
    let rows: Vec<(i64, Option<Vec<u8>>)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT fid, {column} FROM \"{table}\""
    )))
    .fetch_all(&mut **tx)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for (fid, blob) in rows {
        let Some(blob) = blob else { continue };
        match envelope(&blob) {
            Ok(Some(b)) => entries.push(Entry::new(fid, b)),
            Ok(None) => {}
            Err(reason) => {
                return Err(sqlx::Error::Protocol(format!(
                    "{table} 第 {fid} 行的几何无法读取：{reason}"
                )));
            }
        }
    }
    // The root's size fixes every node's: SQLite made it when it created the table.
    let node_size: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT length(data) FROM \"{rtree}_node\" WHERE nodeno = 1"
    )))
    .fetch_one(&mut **tx)
    .await?;
    let node_size = node_size as usize;
    write_tree(tx, &rtree, &pack(entries, node_size), node_size).await?;
    for sql in trigger_statements(table, column) {
        sqlx::query(AssertSqlSafe(sql)).execute(&mut **tx).await?;
    }
    Ok(())
}

/// A box in an R-tree node: a row's id (in a leaf) or a child node's number, and its bounds
/// as SQLite's R-tree keeps them, 32-bit, rounded outwards so that the box still holds the
/// geometry.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    id: i64,
    bounds: [f32; 4],
}

impl Entry {
    fn new(id: i64, b: [f64; 4]) -> Entry {
        let down = |v: f64| {
            let f = v as f32;
            if f64::from(f) > v { f.next_down() } else { f }
        };
        let up = |v: f64| {
            let f = v as f32;
            if f64::from(f) < v { f.next_up() } else { f }
        };
        Entry {
            id,
            bounds: [down(b[0]), up(b[1]), down(b[2]), up(b[3])],
        }
    }

    fn centre(&self, axis: usize) -> f32 {
        (self.bounds[axis * 2] + self.bounds[axis * 2 + 1]) / 2.0
    }

    /// The box around `entries`, under the id `id`.
    fn around(id: i64, entries: &[Entry]) -> Entry {
        let mut b = entries[0].bounds;
        for e in &entries[1..] {
            b[0] = b[0].min(e.bounds[0]);
            b[1] = b[1].max(e.bounds[1]);
            b[2] = b[2].min(e.bounds[2]);
            b[3] = b[3].max(e.bounds[3]);
        }
        Entry { id, bounds: b }
    }
}

/// The nodes of a packed R-tree: the root is node 1, and `depth` levels lie below it.
#[derive(Debug)]
struct Tree {
    depth: u16,
    /// (node number, its entries, its parent's number or 0 for the root), leaves first.
    nodes: Vec<(i64, Vec<Entry>, i64)>,
    /// Leaf entries' row ids and their leaf.
    leaf_of: Vec<(i64, i64)>,
}

/// Packs `entries` bottom-up by sort-tile-recursive (Leutenegger et al., 1997): sorted into
/// vertical slices by the centre's x, each slice by y, cut into full nodes; then the nodes'
/// boxes likewise, level by level, until one node holds the rest: the root.
fn pack(entries: Vec<Entry>, node_size: usize) -> Tree {
    let fanout = ((node_size - 4) / 24).max(2);
    let mut level = entries;
    let mut nodes: Vec<(i64, Vec<Entry>, i64)> = Vec::new();
    let mut leaf_of = Vec::new();
    let mut depth = 0u16;
    let mut next = 2i64;
    loop {
        if level.len() <= fanout {
            // The root; its children's parent is node 1.
            for e in &level {
                if depth == 0 {
                    leaf_of.push((e.id, 1));
                } else if let Some(child) = nodes.iter_mut().find(|n| n.0 == e.id) {
                    child.2 = 1;
                }
            }
            nodes.push((1, level, 0));
            return Tree {
                depth,
                nodes,
                leaf_of,
            };
        }
        let groups = level.len().div_ceil(fanout);
        let slices = (groups as f64).sqrt().ceil() as usize;
        let per_slice = slices * fanout;
        level.sort_by(|a, b| a.centre(0).total_cmp(&b.centre(0)));
        let mut above = Vec::with_capacity(groups);
        let first_of_level = nodes.len();
        for slice in level.chunks_mut(per_slice) {
            slice.sort_by(|a, b| a.centre(1).total_cmp(&b.centre(1)));
            for group in slice.chunks(fanout) {
                let number = next;
                next += 1;
                if depth == 0 {
                    leaf_of.extend(group.iter().map(|e| (e.id, number)));
                }
                above.push(Entry::around(number, group));
                nodes.push((number, group.to_vec(), 0));
            }
        }
        // The level below learns its parents.
        if depth > 0 {
            let parent_of: std::collections::HashMap<i64, i64> = nodes[first_of_level..]
                .iter()
                .flat_map(|(n, children, _)| children.iter().map(move |c| (c.id, *n)))
                .collect();
            for node in &mut nodes[..first_of_level] {
                if let Some(p) = parent_of.get(&node.0) {
                    node.2 = *p;
                }
            }
        }
        level = above;
        depth += 1;
    }
}

/// A node's bytes (SQLite's `rtree.c`): the tree's depth (read from the root only) and the
/// number of cells, 16-bit, then each cell's 64-bit id and four 32-bit bounds, big-endian,
/// padded with zeros to the node size.
fn node_bytes(depth: u16, entries: &[Entry], node_size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(node_size);
    out.extend(depth.to_be_bytes());
    out.extend((entries.len() as u16).to_be_bytes());
    for e in entries {
        out.extend(e.id.to_be_bytes());
        for b in e.bounds {
            out.extend(b.to_be_bytes());
        }
    }
    out.resize(node_size, 0);
    out
}

/// Writes a packed tree into the R-tree's own tables (`_node`, `_parent`, `_rowid`), as
/// GDAL's bulk loader does; the table was just created, so it holds only an empty root.
async fn write_tree(
    tx: &mut Transaction<'_, Sqlite>,
    rtree: &str,
    tree: &Tree,
    node_size: usize,
) -> Result<(), sqlx::Error> {
    for chunk in tree.nodes.chunks(500) {
        let sql = format!(
            "INSERT OR REPLACE INTO \"{rtree}_node\" (nodeno, data) VALUES {}",
            vec!["(?, ?)"; chunk.len()].join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (number, entries, _) in chunk {
            let depth = if *number == 1 { tree.depth } else { 0 };
            q = q.bind(*number).bind(node_bytes(depth, entries, node_size));
        }
        q.execute(&mut **tx).await?;
    }
    let parents: Vec<(i64, i64)> = tree
        .nodes
        .iter()
        .filter(|(n, _, _)| *n != 1)
        .map(|(n, _, p)| (*n, *p))
        .collect();
    for (table, pairs) in [("parent", &parents), ("rowid", &tree.leaf_of)] {
        let key = if table == "parent" {
            "nodeno, parentnode"
        } else {
            "rowid, nodeno"
        };
        for chunk in pairs.chunks(5000) {
            let sql = format!(
                "INSERT INTO \"{rtree}_{table}\" ({key}) VALUES {}",
                vec!["(?, ?)"; chunk.len()].join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (a, b) in chunk {
                q = q.bind(*a).bind(*b);
            }
            q.execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// Where the R-tree of each feature table disagrees with the table: a row missing from the
/// index or boxed where it is not (the index keeps 32-bit bounds rounded outwards), or an
/// index entry for no row. One line per table at fault; empty when all agree.
pub async fn check(conn: &mut SqliteConnection) -> Result<Vec<String>, sqlx::Error> {
    let tables: Vec<(String, String, Option<String>)> =
        sqlx::query_as(sql::sqlite("geometry_columns_with_rtree"))
            .fetch_all(&mut *conn)
            .await?;
    let mut out = Vec::new();
    for (table, column, rtree) in tables {
        let Some(rtree) = rtree else {
            out.push(format!("{table} 没有空间索引"));
            continue;
        };
        let (unboxed, stray): (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT \
               (SELECT count(*) FROM \"{table}\" t LEFT JOIN \"{rtree}\" r ON r.id = t.fid \
                WHERE NOT ST_IsEmpty(t.{column}) AND (r.id IS NULL \
                  OR r.minx > ST_MinX(t.{column}) OR r.maxx < ST_MaxX(t.{column}) \
                  OR r.miny > ST_MinY(t.{column}) OR r.maxy < ST_MaxY(t.{column}) \
                  OR r.maxx - r.minx > ST_MaxX(t.{column}) - ST_MinX(t.{column}) + 1e-4 \
                  OR r.maxy - r.miny > ST_MaxY(t.{column}) - ST_MinY(t.{column}) + 1e-4)), \
               (SELECT count(*) FROM \"{rtree}\" r LEFT JOIN \"{table}\" t ON t.fid = r.id \
                WHERE t.fid IS NULL)"
        )))
        .fetch_one(&mut *conn)
        .await?;
        let structure: String =
            sqlx::query_scalar(AssertSqlSafe(format!("SELECT rtreecheck('{rtree}')")))
                .fetch_one(&mut *conn)
                .await?;
        if structure != "ok" {
            out.push(format!("{table} 的空间索引结构损坏：{structure}"));
        }
        if unboxed > 0 || stray > 0 {
            out.push(format!(
                "{table} 的空间索引与图层表不符：{unboxed} 行未编入或范围不对，{stray} 项无对应行"
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Geometry, LineString, Point};

    #[test]
    fn the_box_of_a_point_is_read_from_its_geometry_and_of_a_line_from_its_header() {
        let point = Geometry::Point(Point::new(111.97, 43.65));
        let blob = super::super::geometry::to_gpkg(&point).unwrap();
        assert_eq!(
            envelope(&blob).unwrap(),
            Some([111.97, 111.97, 43.65, 43.65])
        );
        // The same point big-endian, as another writer may store it.
        let mut big = b"GP\0\0\0\0\x11\x8a\0\0\0\0\x01".to_vec();
        big.extend(111.97f64.to_be_bytes());
        big.extend(43.65f64.to_be_bytes());
        assert_eq!(
            envelope(&big).unwrap(),
            Some([111.97, 111.97, 43.65, 43.65])
        );
        // GDAL's empty point: NaN coordinates.
        let mut nan = blob[..13].to_vec();
        nan.extend(f64::NAN.to_le_bytes());
        nan.extend(f64::NAN.to_le_bytes());
        assert_eq!(envelope(&nan).unwrap(), None);
        let line = Geometry::LineString(LineString::from(vec![(111.9, 43.7), (112.0, 43.6)]));
        let blob = super::super::geometry::to_gpkg(&line).unwrap();
        assert_eq!(envelope(&blob).unwrap(), Some([111.9, 112.0, 43.6, 43.7]));
        // The empty flag set in the header.
        let mut empty = blob.clone();
        empty[3] |= 0b1_0000;
        assert_eq!(envelope(&empty).unwrap(), None);
    }

    /// Every entry in exactly one leaf, every node within the fan-out and inside its parent's
    /// box, all leaves at the depth the root gives.
    #[test]
    fn a_packed_tree_holds_every_entry_once_in_full_nodes_under_one_root() {
        for n in [0usize, 1, 51, 52, 2601, 2602, 10_000] {
            let entries: Vec<Entry> = (0..n)
                .map(|i| {
                    let (x, y) = (
                        111.9 + (i * 7919 % 1000) as f64 * 1e-4,
                        43.6 + (i % 997) as f64 * 1e-4,
                    );
                    Entry::new(i as i64 + 100, [x, x, y, y])
                })
                .collect();
            let tree = pack(entries.clone(), 1228);
            let nodes: std::collections::HashMap<i64, (&Vec<Entry>, i64)> =
                tree.nodes.iter().map(|(n, e, p)| (*n, (e, *p))).collect();
            assert_eq!(nodes.len(), tree.nodes.len(), "node numbers are unique");
            assert_eq!(nodes[&1].1, 0, "node 1 is the root");
            let leaf_of: std::collections::HashMap<i64, i64> =
                tree.leaf_of.iter().copied().collect();
            let mut seen = Vec::new();
            for (number, (children, _)) in &nodes {
                assert!(children.len() <= 51, "{n} entries: node {number} overfull");
                // Up to the root: each parent lists the node under the node's own box.
                let mut level = 0;
                let mut up = *number;
                while up != 1 {
                    let (entries, parent) = nodes[&up];
                    let listed = nodes[&parent].0.iter().find(|e| e.id == up);
                    let own = Entry::around(up, entries);
                    assert_eq!(listed.map(|e| e.bounds), Some(own.bounds), "node {up}");
                    up = parent;
                    level += 1;
                }
                if level == tree.depth {
                    for e in children.iter() {
                        assert_eq!(leaf_of.get(&e.id), Some(number), "entry {}", e.id);
                        seen.push(e.id);
                    }
                }
            }
            seen.sort();
            assert_eq!(
                seen,
                entries.iter().map(|e| e.id).collect::<Vec<_>>(),
                "{n} entries"
            );
            assert_eq!(tree.leaf_of.len(), n);
        }
    }

    #[test]
    fn bounds_are_rounded_outwards_to_32_bits() {
        let e = Entry::new(1, [111.97000001, 111.97000001, 43.65, 43.65]);
        assert!(f64::from(e.bounds[0]) <= 111.97000001 && f64::from(e.bounds[1]) >= 111.97000001);
        assert!(f64::from(e.bounds[2]) <= 43.65 && f64::from(e.bounds[3]) >= 43.65);
    }

    #[test]
    fn a_value_that_is_not_a_geometry_is_an_error_not_a_box() {
        assert!(envelope(b"not a geometry").is_err());
        assert!(
            envelope(b"GP\0\x03\0\0\0\0").is_err(),
            "an envelope promised but missing"
        );
        let line = Geometry::LineString(LineString::from(vec![(111.9, 43.7), (112.0, 43.6)]));
        let blob = super::super::geometry::to_gpkg(&line).unwrap();
        assert!(envelope(&blob[..20]).is_err());
    }
}
