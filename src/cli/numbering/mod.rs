//! Door-plate numbering: planning from files, checks, infill, renumbering.

mod args;

pub(crate) use args::*;

use super::{AuditFormat, open, parse_point};
use anyhow::{Context, Result, bail};

use diming::addresses::DoorPlate;
use diming::addresses::numbering::Campaign;
use diming::config::Config;
use diming::model::Layer;
use diming::record::{RecordId, View};
use diming::registry::Registry;

pub(crate) async fn run(
    db: &str,
    config: &Config,
    author: &str,
    command: NumberingCommand,
) -> Result<()> {
    match command {
        NumberingCommand::Check { street, format } => {
            check(db, config, street.as_deref(), format).await
        }
        NumberingCommand::Suggest { street, at } => suggest(db, config, &street, &at).await,
        command @ NumberingCommand::Renumber { .. } => renumber(db, config, author, command).await,
        command @ NumberingCommand::Plan { .. } => plan(config, command),
        NumberingCommand::Certificate {
            street,
            plate,
            issuer,
            output,
        } => certificates(db, config, street, plate, issuer, &output).await,
        command @ NumberingCommand::Notice { .. } => notice(db, config, command).await,
        NumberingCommand::Campaign { command } => campaign(db, config, author, command).await,
        NumberingCommand::Order {
            street,
            unit,
            all,
            changed_only,
            format,
        } => order(db, config, street, unit, all, changed_only, format).await,
    }
}

fn plan(config: &Config, command: NumberingCommand) -> Result<()> {
    use diming::addresses::numbering::{self, Conventions, StreetOverrides};
    let NumberingCommand::Plan {
        street,
        entrances,
        conventions,
        from_end,
        from_start,
        one_sided,
        format,
    } = command
    else {
        unreachable!("called for plan only");
    };
    let conventions: Conventions = match &conventions {
        Some(path) => diming::config::load_toml(path)?,
        None => config.numbering.clone(),
    };
    let read = |path: &str| -> Result<Vec<(geojson::JsonObject, geo::Geometry<f64>)>> {
        let text = std::fs::read_to_string(path).with_context(|| format!("读取 {path}"))?;
        diming::spatial::geojson::features(&text).map_err(|e| anyhow::anyhow!("{path}：{e}"))
    };
    let extent = &config.jurisdiction.extent;
    let streets = read(&street)?;
    let line = match streets.as_slice() {
        [(_, g)] => {
            diming::spatial::validate(g, extent).map_err(|e| anyhow::anyhow!("{street}：{e}"))?;
            match diming::model::GeometryKind::MultiLineString.conform(g.clone()) {
                Ok(geo::Geometry::MultiLineString(m)) => m,
                _ => bail!("{street}：中心线应为 LineString 或 MultiLineString"),
            }
        }
        _ => bail!("{street} 中应恰有一条中心线，实有 {} 个要素", streets.len()),
    };
    let points = read(&entrances)?;
    let mut coords = Vec::with_capacity(points.len());
    for (i, (_, g)) in points.iter().enumerate() {
        diming::spatial::validate(g, extent)
            .map_err(|e| anyhow::anyhow!("{entrances} 第 {} 个要素：{e}", i + 1))?;
        match g {
            geo::Geometry::Point(p) => coords.push(p.0),
            _ => bail!("{entrances} 第 {} 个要素不是点", i + 1),
        }
    }
    let overrides = StreetOverrides {
        from_end: from_end.then_some(true),
        from_start: from_start.then_some(true),
        one_sided: one_sided.then_some(true),
        odd_side: None,
    };
    let plan = numbering::plan(&line, &coords, &[], &conventions, &overrides)?;
    for r in &plan.refused {
        eprintln!("{entrances} 第 {} 个入口未编号：{}", r.index + 1, r.reason);
    }
    match format {
        PlanFormat::Geojson => {
            let features: Vec<serde_json::Value> = plan
                .numbered
                .iter()
                .map(|n| {
                    let (props, g) = &points[n.index];
                    let mut props = props.clone();
                    props.insert("number".into(), serde_json::json!(format!("{}号", n.number)));
                    props.insert("side".into(), serde_json::json!(n.side.label()));
                    props.insert("along_m".into(), serde_json::json!((n.along_m * 100.0).round() / 100.0));
                    props.insert("offset_m".into(), serde_json::json!((n.offset_m * 100.0).round() / 100.0));
                    if n.closer_to_other {
                        props.insert("closer_to_other".into(), serde_json::json!(true));
                    }
                    serde_json::json!({ "type": "Feature", "geometry": diming::spatial::geojson::from_geo(g), "properties": props })
                })
                .collect();
            let out = serde_json::json!({ "type": "FeatureCollection", "features": features, "reserved": plan.reserved });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        PlanFormat::Csv => {
            let mut w = diming::io::csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "序号",
                "经度",
                "纬度",
                "门牌号",
                "侧",
                "沿街距离（米）",
                "离中心线（米）",
            ])?;
            for n in &plan.numbered {
                let c = coords[n.index];
                w.write_record([
                    (n.index + 1).to_string(),
                    format!("{:.7}", c.x),
                    format!("{:.7}", c.y),
                    format!("{}号", n.number),
                    n.side.label().to_string(),
                    format!("{:.2}", n.along_m),
                    format!("{:.2}", n.offset_m),
                ])?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

/// A street by name or id.
fn find_street(registry: &Registry, street: &str) -> Result<RecordId> {
    if let Ok(id) = street.parse::<RecordId>() {
        return Ok(id);
    }
    let current = registry.current();
    let found: Vec<RecordId> = current
        .layer(Layer::Street)
        .filter(|v| v.body.title() == street)
        .map(|v| v.id)
        .collect();
    match found.as_slice() {
        [id] => Ok(*id),
        [] => bail!("没有名为“{street}”的现行街路巷"),
        _ => bail!("有 {} 条名为“{street}”的街路巷，请用 id 指定", found.len()),
    }
}

async fn check(db: &str, config: &Config, street: Option<&str>, format: AuditFormat) -> Result<()> {
    let registry = open(db, config).await?;
    let only = match street {
        Some(s) => Some(vec![find_street(&registry, s)?]),
        None => None,
    };
    let findings = diming::addresses::numbering::check(
        &registry.current(),
        &config.numbering,
        only.as_deref(),
    );
    match format {
        AuditFormat::Json => println!("{}", serde_json::to_string_pretty(&findings)?),
        AuditFormat::Csv => {
            let mut w = diming::io::csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "街路巷",
                "门牌号",
                "规则",
                "说明",
                "建议",
                "经度",
                "纬度",
                "记录",
            ])?;
            for f in &findings {
                w.write_record([
                    f.street_name.clone(),
                    f.number.clone(),
                    f.rule.id().to_string(),
                    f.message.clone(),
                    f.suggestion.clone().unwrap_or_default(),
                    format!("{:.7}", f.at.0),
                    format!("{:.7}", f.at.1),
                    f.plate.to_string(),
                ])?;
            }
            w.flush()?;
        }
        AuditFormat::Text | AuditFormat::Html => {
            println!("检查门牌，发现 {} 个问题。", findings.len());
            for f in &findings {
                let fix = f
                    .suggestion
                    .as_deref()
                    .map(|s| format!("（建议：{s}）"))
                    .unwrap_or_default();
                println!("[{}] {}{fix}", f.rule.id(), f.message);
            }
        }
    }
    if findings.is_empty() {
        Ok(())
    } else {
        std::process::exit(2)
    }
}

async fn suggest(db: &str, config: &Config, street: &str, at: &str) -> Result<()> {
    let registry = open(db, config).await?;
    let id = find_street(&registry, street)?;
    let point = parse_point(at)?;
    let number = diming::addresses::numbering::suggest(
        &registry.current(),
        &config.numbering,
        id,
        point,
        diming::addresses::SubStyle::Annex,
    )
    .map_err(anyhow::Error::msg)?;
    println!("{number}");
    Ok(())
}

async fn renumber(
    db: &str,
    config: &Config,
    author: &str,
    command: NumberingCommand,
) -> Result<()> {
    let NumberingCommand::Renumber {
        street,
        unit,
        all,
        pin,
        crosswalk,
        apply,
        issuer,
        number,
        date,
        from,
    } = command
    else {
        unreachable!("called for renumber only");
    };
    let registry = open(db, config).await?;
    let streets = scope(&registry, &street, unit, all)?;
    let pins = pin;
    let changes = registry.renumbering(&streets, &pins)?;
    let changed: Vec<_> = changes.iter().filter(|c| c.changes()).collect();
    println!(
        "范围内 {} 个门牌，{} 个号码变更。",
        changes.len(),
        changed.len()
    );
    for c in &changed {
        println!("  {}：{} → {}", c.street_name, c.old, c.new);
    }
    for c in changes.iter().filter(|c| c.kept) {
        eprintln!(
            "注意：{}{} 在中心线上，无法判断左右，保留原号",
            c.street_name, c.old
        );
    }
    if let Some(path) = crosswalk {
        let title = format!("{}门牌重新编排", config.jurisdiction.name);
        let bytes = if path.ends_with(".xlsx") {
            diming::publish::crosswalk::xlsx(&changes, &registry.current(), &title)?
        } else {
            diming::publish::crosswalk::csv(&changes, &registry.current())?
        };
        std::fs::write(&path, bytes).with_context(|| format!("写入 {path}"))?;
        println!("对照表已写入 {path}");
    }
    if apply {
        let document = diming::record::ApprovalDocument {
            issuer: issuer.context("缺少 --issuer")?,
            number: number.context("缺少 --number")?,
            date: date.context("缺少 --date")?,
        };
        let from = from.unwrap_or_else(|| chrono::Local::now().date_naive());
        let id = registry
            .apply_renumbering(&changes, document, author, from)
            .await?;
        println!("已写入登记簿：变更集 {id}");
    }
    Ok(())
}

async fn certificates(
    db: &str,
    config: &Config,
    street: Option<String>,
    plate: Option<RecordId>,
    issuer: Option<String>,
    output: &str,
) -> Result<()> {
    use diming::publish::certificate::{self, Certificate};
    let registry = open(db, config).await?;
    let plates: Vec<RecordId> = match (street, plate) {
        (Some(s), None) => {
            let id = find_street(&registry, &s)?;
            let current = registry.current();
            let mut plates: Vec<_> = current
                .each::<DoorPlate>()
                .filter(|d| d.body.street == id)
                .map(|d| (d.body.number.clone(), d.id))
                .collect();
            plates.sort();
            plates.into_iter().map(|(_, id)| id).collect()
        }
        (None, Some(p)) => vec![p],
        _ => bail!("请用 --street 或 --plate 指定门牌"),
    };
    let city = config.jurisdiction.name.clone();
    let issuer = issuer.unwrap_or_else(|| format!("{city}民政局"));
    let today = chrono::Local::now().date_naive();
    let mut certs = Vec::with_capacity(plates.len());
    for id in plates {
        let history = registry.history(id).await?;
        let v = history
            .iter()
            .rev()
            .find(|v| v.superseded_at.is_none() && !v.retired)
            .with_context(|| format!("没有现行门牌 {id}"))?;
        let Some(d) = v.body.of::<DoorPlate>() else {
            bail!("记录 {id} 不是门牌")
        };
        let old_number = history
            .iter()
            .rev()
            .filter_map(|h| h.body.of::<DoorPlate>())
            .find(|o| o.number != d.number)
            .map(|o| o.number.to_string());
        let (street_name, at) = {
            let current = registry.current();
            let name = current
                .get(&d.street)
                .map(|s| s.body.title())
                .unwrap_or_default();
            let at = match &v.geometry {
                geo::Geometry::Point(p) => current.unit_at(p.0).map(|u| u.body.title()),
                _ => None,
            };
            (name, at.unwrap_or_default())
        };
        certs.push(Certificate {
            serial: format!(
                "{}-{}-{}",
                config.jurisdiction.county_code,
                today.format("%Y"),
                &id.to_string()[..8]
            ),
            city: city.clone(),
            unit: at,
            street: street_name,
            number: d.number.to_string(),
            old_number,
            valid_from: v.valid_from,
            issuer: issuer.clone(),
            issued_on: today,
        });
    }
    let fonts = diming::publish::pdf::Fonts::load()?;
    let pdf = certificate::pdf(&certs, &fonts)?;
    std::fs::write(output, pdf).with_context(|| format!("写入 {output}"))?;
    println!("已生成 {} 张门牌号码使用证：{output}", certs.len());
    Ok(())
}

async fn notice(db: &str, config: &Config, command: NumberingCommand) -> Result<()> {
    let NumberingCommand::Notice {
        street,
        all,
        effective,
        contact,
        issuer,
        output,
    } = command
    else {
        unreachable!("called for notice only");
    };
    let registry = open(db, config).await?;
    let streets = scope(&registry, &street, None, all)?;
    let changes = registry.renumbering(&streets, &[])?;
    let changed = changes.iter().filter(|c| c.changes()).count();
    if changed == 0 {
        bail!("范围内没有需要变更的门牌号，无需公告");
    }
    let text = diming::publish::notice::NoticeText {
        city: config.jurisdiction.name.clone(),
        issuer: issuer.unwrap_or_else(|| format!("{}民政局", config.jurisdiction.name)),
        issued_on: chrono::Local::now().date_naive(),
        effective,
        contact,
        rule: config.numbering.describe(),
    };
    let fonts = diming::publish::pdf::Fonts::load()?;
    let pdf = diming::publish::notice::pdf(&changes, &text, &fonts)?;
    std::fs::write(&output, pdf).with_context(|| format!("写入 {output}"))?;
    println!("已生成公告（{changed} 处变更）：{output}");
    Ok(())
}

/// The streets of a scope given on the command line.
fn scope(
    registry: &Registry,
    street: &[String],
    unit: Option<String>,
    all: bool,
) -> Result<Vec<RecordId>> {
    if all {
        return Ok(registry
            .current()
            .layer(Layer::Street)
            .map(|v| v.id)
            .collect());
    }
    if let Some(code) = unit {
        let code: diming::boundaries::DivisionCode = code.parse()?;
        let current = registry.current();
        let unit = diming::boundaries::by_code(&current, code)
            .with_context(|| format!("没有区域 {code}"))?;
        let bbox = geo::BoundingRect::bounding_rect(unit.geometry).context("区域没有范围")?;
        return Ok(current
            .index()
            .intersecting(Layer::Street, bbox)
            .into_iter()
            .filter(|id| {
                current
                    .get(id)
                    .is_some_and(|s| geo::Intersects::intersects(&s.geometry, unit.geometry))
            })
            .collect());
    }
    if street.is_empty() {
        bail!("请用 --street、--unit 或 --all 指定范围");
    }
    street.iter().map(|s| find_street(registry, s)).collect()
}

async fn order(
    db: &str,
    config: &Config,
    street: Vec<String>,
    unit: Option<String>,
    all: bool,
    changed_only: bool,
    format: AuditFormat,
) -> Result<()> {
    let registry = open(db, config).await?;
    let streets = scope(&registry, &street, unit, all)?;
    let changes = registry.renumbering(&streets, &[])?;
    let order = diming::addresses::numbering::plate_order(&changes, changed_only);
    match format {
        AuditFormat::Csv => {
            let mut w = diming::io::csv::Writer::from_writer(std::io::stdout());
            w.write_record(["种类", "宽（厘米）", "高（厘米）", "颜色", "数量"])?;
            for (kind, n) in &order {
                let (width, height) = kind.size_cm();
                w.write_record([
                    kind.label().to_string(),
                    width.to_string(),
                    height.to_string(),
                    kind.colours().to_string(),
                    n.to_string(),
                ])?;
            }
            w.flush()?;
        }
        AuditFormat::Json => {
            let rows: Vec<_> = order
                .iter()
                .map(|(k, n)| serde_json::json!({ "kind": k, "label": k.label(), "size_cm": k.size_cm(), "colours": k.colours(), "count": n }))
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
        AuditFormat::Text | AuditFormat::Html => {
            let total: usize = order.iter().map(|(_, n)| n).sum();
            println!("门牌制作订单（共 {total} 块）：");
            for (kind, n) in &order {
                let (width, height) = kind.size_cm();
                println!(
                    "  {}  {width}×{height} 厘米  {}  {n} 块",
                    kind.label(),
                    kind.colours()
                );
            }
        }
    }
    Ok(())
}

async fn campaign(db: &str, config: &Config, author: &str, command: CampaignCommand) -> Result<()> {
    let registry = open(db, config).await?;
    let today = chrono::Local::now().date_naive();
    let id = match command {
        CampaignCommand::New {
            name,
            street,
            unit,
            all,
        } => {
            let streets = scope(&registry, &street, unit, all)?;
            let id = registry
                .create_campaign(&name, streets, author, today)
                .await?;
            println!("已建立整编方案：{id}");
            id
        }
        CampaignCommand::Pin { id, pin } => {
            registry.pin_campaign(id, &pin, author, today).await?;
            id
        }
        CampaignCommand::Approve { id, document } => {
            registry
                .approve_campaign(id, document.document(), author, today)
                .await?;
            id
        }
        CampaignCommand::Apply { id, from } => {
            let changeset = registry
                .apply_campaign(id, author, from.unwrap_or(today))
                .await?;
            println!("已写入登记簿：变更集 {changeset}");
            id
        }
        CampaignCommand::Install {
            id,
            plate,
            every,
            on,
        } => {
            let plates = if every {
                match registry.current().one::<Campaign>(&id) {
                    Some(c) => c
                        .body
                        .lines
                        .iter()
                        .filter(|l| l.installed_on.is_none())
                        .map(|l| l.plate)
                        .collect(),
                    None => bail!("没有整编 {id}"),
                }
            } else {
                plate
            };
            registry.install_campaign(id, &plates, on, author).await?;
            id
        }
        CampaignCommand::Close { id } => {
            registry.close_campaign(id, author, today).await?;
            id
        }
        CampaignCommand::Show { id } => id,
    };
    let Some(c) = registry
        .current()
        .one::<Campaign>(&id)
        .map(|c| c.body.clone())
    else {
        bail!("没有整编 {id}");
    };
    println!(
        "{}：{}；门牌 {} 块，号码变更 {} 处，已安装 {} 块",
        c.name,
        c.status.label(),
        c.lines.len(),
        c.changed(),
        c.installed_count()
    );
    for (unit, n, installed) in registry.campaign_progress(id)? {
        println!("  {unit}：{installed}/{n}");
    }
    Ok(())
}
