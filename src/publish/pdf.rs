//! Print-ready PDF through typst, used as a library: the fonts come from Debian's packages
//! (Noto Serif CJK for Chinese, Noto Sans Mongolian), are embedded and subset; nothing is
//! downloaded. Documents are typst sources made by the modules of `publish`; user text enters
//! them only through [`string`], never as markup.

use std::path::Path;
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;
use typst_library::foundations::Bytes;
use typst_library::text::Font;

/// Where Debian puts the fonts diming typesets with (fonts-noto-cjk, fonts-noto-core).
pub const FONT_FILES: [&str; 3] = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansMongolian-Regular.ttf",
];

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("缺少字体文件 {path}（请安装 fonts-noto-cjk 与 fonts-noto-core）：{source}")]
    Font {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("排版失败：{0}")]
    Typeset(String),
}

/// The fonts, read and parsed once; every document typeset with them shares their data
/// (typst keeps a reference to a font in every page that uses it).
pub struct Fonts(Vec<Font>);

impl Fonts {
    pub fn load() -> Result<Fonts, PdfError> {
        Fonts::load_from(&FONT_FILES)
    }

    pub fn load_from(paths: &[&str]) -> Result<Fonts, PdfError> {
        paths
            .iter()
            .map(|p| {
                std::fs::read(Path::new(p))
                    .map(|data| Font::iter(Bytes::new(data)).collect::<Vec<_>>())
                    .map_err(|source| PdfError::Font {
                        path: p.to_string(),
                        source,
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|fonts| Fonts(fonts.into_iter().flatten().collect()))
    }
}

/// A typst string literal holding `s` exactly (quotes, backslashes and markup characters are
/// text, not code).
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lays out a typst source into pages.
pub fn compile(source: &str, fonts: &Fonts) -> Result<PagedDocument, PdfError> {
    let engine = TypstEngine::builder()
        .main_file(source.to_string())
        .fonts(fonts.0.iter().cloned())
        .build();
    engine
        .compile()
        .output
        .map_err(|e| PdfError::Typeset(format!("{e:?}")))
}

/// Lays out a typst source that reads `files` (name, bytes: pictures) into pages.
pub fn compile_with_files(
    source: &str,
    fonts: &Fonts,
    files: Vec<(String, Vec<u8>)>,
) -> Result<PagedDocument, PdfError> {
    let files: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let engine = TypstEngine::builder()
        .main_file(source.to_string())
        .fonts(fonts.0.iter().cloned())
        .with_static_file_resolver(files)
        .build();
    engine
        .compile()
        .output
        .map_err(|e| PdfError::Typeset(format!("{e:?}")))
}

/// Writes laid-out pages as PDF bytes.
pub fn export(document: &PagedDocument) -> Result<Vec<u8>, PdfError> {
    typst_pdf::pdf(document, &Default::default()).map_err(|e| PdfError::Typeset(format!("{e:?}")))
}

/// Typesets a typst source into PDF bytes.
pub fn render(source: &str, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    export(&compile(source, fonts)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_escape_into_markup() {
        assert_eq!(string(r#"12"号\#x"#), r#""12\"号\\#x""#);
    }
}
