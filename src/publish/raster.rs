//! SVG to PNG through resvg (the renderer typst itself uses), with the fonts our drawings name:
//! sign faces and maps.

/// Why a PNG could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("缺少字体文件 {0}（请安装 fonts-noto-cjk 与 fonts-noto-core）")]
    Font(String),
    #[error("绘制失败：{0}")]
    Render(String),
}

/// The fonts a sign face is set in (Debian's fonts-noto-cjk and fonts-noto-core): a bold
/// sans-serif (黑体) for the Chinese and the pinyin, Noto Sans Mongolian for the Mongolian.
pub const SIGN_FONTS: [&str; 2] = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansMongolian-Regular.ttf",
];

/// Rasterises an SVG of ours (its text in the sign fonts) to a PNG `width_px` wide, white
/// where the drawing leaves the page empty.
pub fn svg_to_png(svg: &str, width_px: u32) -> Result<Vec<u8>, PngError> {
    svg_to_png_with(svg, width_px, &SIGN_FONTS)
}

/// Rasterises an SVG whose text is in `fonts` (font files) to a PNG `width_px` wide.
pub fn svg_to_png_with(svg: &str, width_px: u32, fonts: &[&str]) -> Result<Vec<u8>, PngError> {
    use resvg::{tiny_skia, usvg};
    let mut db = usvg::fontdb::Database::new();
    for f in fonts {
        db.load_font_file(f)
            .map_err(|_| PngError::Font(f.to_string()))?;
    }
    let options = usvg::Options {
        fontdb: std::sync::Arc::new(db),
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| PngError::Render(e.to_string()))?;
    let size = tree.size();
    let scale = width_px as f32 / size.width();
    let height_px = (size.height() * scale).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width_px.max(1), height_px.max(1))
        .ok_or_else(|| PngError::Render("图像尺寸无效".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PngError::Render(e.to_string()))
}
