//! Coordinate transformation.

use anyhow::Result;
use clap::Subcommand;
use diming::spatial::crs;

#[derive(Subcommand)]
pub(crate) enum CrsCommand {
    /// 把一对坐标从一个坐标系转换到另一个（毫米精度）
    #[command(
        after_help = "坐标按“经度/东坐标在前”输入；高斯–克吕格坐标（X 为北坐标在前）请加 --northing-first。\n\n示例：\n  diming crs transform --from EPSG:4490 --to EPSG:4546 111.97667 43.6475\n  diming crs transform --from EPSG:4497 --to EPSG:4490 --northing-first 4835120.088 19578797.461",
        allow_negative_numbers = true
    )]
    Transform {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// 输入为 X（北）在前、Y（东）在后，测绘习惯
        #[arg(long)]
        northing_first: bool,
        x: f64,
        y: f64,
    },
}

pub(crate) fn run(command: CrsCommand) -> Result<()> {
    let CrsCommand::Transform {
        from,
        to,
        northing_first,
        x,
        y,
    } = command;
    transform(&from, &to, northing_first, x, y)
}

fn transform(from: &str, to: &str, northing_first: bool, x: f64, y: f64) -> Result<()> {
    let (x, y) = if northing_first { (y, x) } else { (x, y) };
    let t = crs::Transformer::new(from, to)?;
    let (tx, ty) = t.point(x, y)?;
    if crs::is_geographic(to) {
        println!("经度 {tx:.9} 纬度 {ty:.9}");
    } else if crs::northing_first(to) {
        println!("X（北）{ty:.3} Y（东）{tx:.3}");
        println!("E {tx:.3} N {ty:.3}");
    } else {
        println!("E {tx:.3} N {ty:.3}");
    }
    Ok(())
}
