//! Hostile files are refused before GDAL sees them.
//!
//! - Only plain files of the accepted formats, within a size limit; no GDAL virtual file
//!   system (`/vsicurl/`, `/vsizip/`, …) and no network path anywhere in a name.
//! - Zip archives are unpacked by us, not by GDAL, into a private folder: entry count, total
//!   size and compression ratio are limited *while* unpacking (a zip bomb stops at the limit,
//!   whatever its headers claim); entries with `..`, absolute paths, drive letters or links
//!   are refused.
//! - Content is sniffed, whatever the extension says: a VRT (which can point GDAL at any file
//!   or URL) is refused; XML (KML, GML) with a DOCTYPE or entity declarations is refused (no
//!   external entities, no entity expansion).
//! - Sidecars are checked: a `.prj` must be WKT (GDAL would also accept a file name or a URL
//!   there), a `.cpg` must name an encoding.
//!
//! GDAL is then opened with an explicit list of drivers (see `read`), so a file that slips
//! past these checks still cannot be read by the VRT or any network driver.

use super::IoError;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Limits on what an import may read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest file (or unpacked archive), in bytes.
    pub max_bytes: u64,
    /// The most entries in an archive.
    pub max_entries: usize,
    /// The largest ratio of unpacked to packed size of an archive entry.
    pub max_ratio: u64,
    /// The most features, vertices of one geometry and vertices in all a file may hold
    /// (`server.limits`): counted while reading, so that a file of ten million vertices is
    /// refused before it is all in memory.
    pub work: crate::config::Limits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 512 * 1024 * 1024,
            max_entries: 1000,
            max_ratio: 200,
            work: crate::config::Limits::default(),
        }
    }
}

/// Extensions of the files a dataset may consist of.
const ALLOWED: &[&str] = &[
    "geojson", "json", "shp", "shx", "dbf", "prj", "cpg", "gpkg", "kml", "dxf", "csv", "csvt",
    "qix", "sbn", "sbx", "xml", "txt", "qmd",
];
/// Extensions of a dataset's main file, in order of preference.
const MAIN: &[&str] = &["gpkg", "shp", "geojson", "json", "kml", "dxf", "csv"];

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Names that would make GDAL reach beyond the file: virtual file systems and URLs.
fn check_name(name: &str) -> Result<(), IoError> {
    let lower = name.to_ascii_lowercase();
    if lower.contains("/vsi") || lower.contains("://") {
        return Err(IoError::Hostile(format!(
            "文件名“{name}”含有虚拟文件系统或网络路径，拒绝读取"
        )));
    }
    Ok(())
}

/// Checks one file on disk: a plain file, of an accepted kind, not too large.
fn check_file(path: &Path, limits: &Limits) -> Result<u64, IoError> {
    check_name(&path.to_string_lossy())?;
    let meta = std::fs::symlink_metadata(path).map_err(|e| IoError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    if !meta.is_file() {
        return Err(IoError::Hostile(format!(
            "“{}”不是普通文件（链接、目录或设备），拒绝读取",
            path.display()
        )));
    }
    if meta.len() > limits.max_bytes {
        return Err(IoError::TooLarge {
            what: path.display().to_string(),
            limit: limits.max_bytes,
        });
    }
    Ok(meta.len())
}

/// The first bytes of a file, lower-cased, without a BOM or leading white space.
fn head(path: &Path, n: usize) -> Result<String, IoError> {
    let mut buf = vec![0u8; n];
    let mut f = std::fs::File::open(path).map_err(|e| IoError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let read = f.read(&mut buf).map_err(|e| IoError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    buf.truncate(read);
    let text = String::from_utf8_lossy(&buf).to_lowercase();
    Ok(text.trim_start_matches('\u{feff}').trim_start().to_string())
}

/// Sniffs a file's content whatever its extension says.
fn check_content(path: &Path) -> Result<(), IoError> {
    let ext = extension(path);
    let start = head(path, 64 * 1024)?;
    if start.starts_with("<ogrvrtdatasource") || start.starts_with("<vrtdataset") {
        return Err(IoError::Hostile(format!(
            "“{}”实为 GDAL 虚拟数据集（VRT），可指向任意文件或网址，拒绝读取",
            path.display()
        )));
    }
    if start.starts_with('<') || matches!(ext.as_str(), "kml" | "xml" | "gml") {
        // The whole file: a declaration may hide after a long comment.
        let text = std::fs::read(path).map_err(|e| IoError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let lower = String::from_utf8_lossy(&text).to_lowercase();
        if lower.contains("<!doctype") || lower.contains("<!entity") {
            return Err(IoError::Hostile(format!(
                "“{}”含有 DOCTYPE 或实体声明（XML 外部实体、实体膨胀），拒绝读取",
                path.display()
            )));
        }
        if lower.contains("<ogrvrtdatasource") || lower.contains("<vrtdataset") {
            return Err(IoError::Hostile(format!(
                "“{}”含有 GDAL 虚拟数据集（VRT），拒绝读取",
                path.display()
            )));
        }
    }
    match ext.as_str() {
        "prj" => {
            let ok = [
                "projcs[",
                "geogcs[",
                "projcrs[",
                "geogcrs[",
                "geodcrs[",
                "compd_cs[",
            ]
            .iter()
            .any(|p| start.starts_with(p));
            if !ok {
                return Err(IoError::Hostile(format!(
                    "坐标系文件“{}”不是 WKT（可能指向其他文件或网址），拒绝读取",
                    path.display()
                )));
            }
        }
        "cpg" => {
            let name = start.trim();
            if name.len() > 32
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_ ".contains(c))
            {
                return Err(IoError::Hostile(format!(
                    "编码文件“{}”的内容不是编码名称",
                    path.display()
                )));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Unpacks a zip archive into `dir`, within the limits.
fn unzip(archive: &Path, dir: &Path, limits: &Limits) -> Result<(), IoError> {
    let file = std::fs::File::open(archive).map_err(|e| IoError::Read {
        path: archive.display().to_string(),
        reason: e.to_string(),
    })?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| IoError::Read {
        path: archive.display().to_string(),
        reason: format!("不是有效的 zip 压缩包：{e}"),
    })?;
    if zip.len() > limits.max_entries {
        return Err(IoError::Hostile(format!(
            "压缩包含 {} 个文件，超过上限 {}",
            zip.len(),
            limits.max_entries
        )));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| IoError::Read {
            path: archive.display().to_string(),
            reason: format!("压缩包第 {} 项无法读取：{e}", i + 1),
        })?;
        let raw_name = entry
            .name()
            .map_err(|e| IoError::Hostile(format!("压缩包第 {} 项的文件名无法读取：{e}", i + 1)))?
            .to_string();
        check_name(&raw_name)?;
        let absolute =
            raw_name.starts_with(['/', '\\']) || raw_name.as_bytes().get(1) == Some(&b':');
        if entry.is_symlink() {
            return Err(IoError::Hostile(format!(
                "压缩包中的“{raw_name}”是符号链接，拒绝解压"
            )));
        }
        // `enclosed_name` is None for `..`, absolute paths and drive letters.
        let Some(relative) = entry.enclosed_name().filter(|_| !absolute) else {
            return Err(IoError::Hostile(format!(
                "压缩包中的“{raw_name}”指向解压目录之外（含 .. 或绝对路径），拒绝解压"
            )));
        };
        if entry.is_dir() {
            continue;
        }
        // Folders inside the archive are flattened: a dataset's files sit side by side.
        let Some(file_name) = relative.file_name() else {
            continue;
        };
        let target = dir.join(file_name);
        if !ALLOWED.contains(&extension(&target).as_str()) {
            return Err(IoError::Hostile(format!(
                "压缩包中的“{raw_name}”不是可导入的文件类型"
            )));
        }
        if target.exists() {
            return Err(IoError::Hostile(format!(
                "压缩包中有两个同名文件“{}”",
                file_name.to_string_lossy()
            )));
        }
        let packed = entry.compressed_size().max(1);
        let mut out = std::fs::File::create(&target).map_err(|e| IoError::Read {
            path: target.display().to_string(),
            reason: e.to_string(),
        })?;
        // Copy in bounded steps: the headers' sizes are not trusted.
        let entry_limit = (packed.saturating_mul(limits.max_ratio)).max(1024 * 1024);
        let mut written: u64 = 0;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = entry.read(&mut buf).map_err(|e| IoError::Read {
                path: raw_name.clone(),
                reason: e.to_string(),
            })?;
            if n == 0 {
                break;
            }
            written += n as u64;
            total += n as u64;
            if written > entry_limit {
                return Err(IoError::Hostile(format!(
                    "压缩包中的“{raw_name}”解压后超过压缩大小的 {} 倍（疑似压缩炸弹），已停止解压",
                    limits.max_ratio
                )));
            }
            if total > limits.max_bytes {
                return Err(IoError::TooLarge {
                    what: format!("{} 解压后", archive.display()),
                    limit: limits.max_bytes,
                });
            }
            std::io::Write::write_all(&mut out, &buf[..n]).map_err(|e| IoError::Read {
                path: target.display().to_string(),
                reason: e.to_string(),
            })?;
        }
    }
    Ok(())
}

/// Checks `input` (a file, or a zip archive unpacked into `workdir`) and returns the main
/// file of the dataset to open.
pub fn prepare(input: &Path, workdir: &Path, limits: &Limits) -> Result<PathBuf, IoError> {
    check_file(input, limits)?;
    let ext = extension(input);
    let candidates: Vec<PathBuf> = if ext == "zip" {
        unzip(input, workdir, limits)?;
        let mut files: Vec<PathBuf> = std::fs::read_dir(workdir)
            .map_err(|e| IoError::Read {
                path: workdir.display().to_string(),
                reason: e.to_string(),
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        files
    } else {
        if !ALLOWED.contains(&ext.as_str()) || !MAIN.contains(&ext.as_str()) {
            return Err(IoError::UnknownFormat(input.display().to_string()));
        }
        // The dataset and its sidecars (same stem) in the same folder.
        let stem = input.file_stem().map(|s| s.to_os_string());
        let dir = input.parent().unwrap_or(Path::new("."));
        let mut files = vec![input.to_path_buf()];
        if let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        }) {
            for e in entries.flatten() {
                let p = e.path();
                if p != input && p.file_stem().map(|s| s.to_os_string()) == stem {
                    files.push(p);
                }
            }
        }
        files
    };
    for f in &candidates {
        if ALLOWED.contains(&extension(f).as_str()) {
            check_file(f, limits)?;
            check_content(f)?;
        }
    }
    if ext != "zip" {
        return Ok(input.to_path_buf());
    }
    for main in MAIN {
        let found: Vec<&PathBuf> = candidates
            .iter()
            .filter(|f| extension(f) == *main)
            .collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok((*one).clone()),
            _ => {
                return Err(IoError::UnknownFormat(format!(
                    "压缩包中有多个 .{main} 文件，请每次导入一个数据集"
                )));
            }
        }
    }
    Err(IoError::UnknownFormat(format!(
        "压缩包 {} 中没有可导入的数据文件（.shp、.gpkg、.geojson、.kml、.dxf、.csv）",
        input.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_file_systems_and_urls_are_refused_by_name() {
        assert!(check_name("/vsicurl/http://example.com/a.shp").is_err());
        assert!(check_name("x/VSIZIP/y.shp").is_err());
        assert!(check_name("http://example.com/a.geojson").is_err());
        assert!(check_name("道路.shp").is_ok());
    }
}
