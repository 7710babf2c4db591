//! Commands on the registry as a whole: the demo, serving it, counts, history, checks.

use super::{Format, open};
use anyhow::{Context, Result, bail};
use diming::config::Config;
use diming::model::Layer;
use diming::record::RecordId;
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Arc;

pub(crate) async fn serve(db: &str, config: &Config, addr: Option<String>) -> Result<()> {
    let addr = addr.unwrap_or_else(|| config.server.addr.clone());
    let registry = Arc::new(open(db, config).await?);
    let _following = registry.follow();
    // Built before the first request, so that no search waits for it.
    registry.warm_search();
    println!("登记簿 {db}：{} 条现行记录", registry.current().len());
    println!("请在浏览器中打开 http://{addr}/");
    diming::web::serve(registry, &addr)
        .await
        .with_context(|| format!("无法在 {addr} 上提供服务"))
}

pub(crate) async fn layers(db: &str, config: &Config) -> Result<()> {
    let registry = open(db, config).await?;
    let current = registry.current();
    // Columns line up in a terminal: a Chinese character takes two cells.
    let cells = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    for layer in Layer::ALL {
        let label = layer.label();
        println!(
            "{:<21}{label}{}{:>8}",
            layer.table(),
            " ".repeat(16usize.saturating_sub(cells(label))),
            current.count(layer)
        );
    }
    Ok(())
}

pub(crate) async fn verify(db: &str, config: &Config, format: Format) -> Result<()> {
    // Opening the registry loads it; a store too broken to load says so here.
    let registry = open(db, config).await?;
    let v = registry.store().verify(&config.jurisdiction.extent).await?;
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&v)?),
        Format::Text => {
            for p in &v.problems {
                println!(
                    "[{}] {}{}",
                    p.check,
                    p.record.map(|r| format!("{r}：")).unwrap_or_default(),
                    p.message
                );
            }
            println!(
                "变更集 {}，版本 {}，现行记录 {}；发现问题 {} 处。",
                v.changesets,
                v.versions,
                v.current,
                v.problems.len()
            );
        }
    }
    if !v.problems.is_empty() {
        anyhow::bail!("完整性检查未通过");
    }
    Ok(())
}

pub(crate) async fn check(db: &str, config: &Config, format: Format) -> Result<()> {
    let registry = open(db, config).await?;
    let report = diming::check::run(
        &registry.current(),
        registry.config(),
        registry.word_lists(),
    );
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => {
            println!(
                "检查了 {} 条现行记录，发现 {} 个问题。",
                report.records,
                report.findings.len()
            );
            for f in &report.findings {
                let at =
                    f.at.map(|(x, y)| format!(" @ {x:.6},{y:.6}"))
                        .unwrap_or_default();
                println!("[{}] {}{}", f.rule, f.message, at);
            }
        }
    }
    if report.is_clean() {
        Ok(())
    } else {
        std::process::exit(2)
    }
}

pub(crate) async fn demo(db: &str, config: &Config, force: bool) -> Result<()> {
    if force {
        diming::store::Store::destroy(db).await?;
    }
    let registry = open(db, config).await?;
    let existing = registry.current().len();
    if existing > 0 {
        bail!(
            "登记簿 {db} 中已有 {existing} 条记录；如要重建示例数据，请加 --force（会删除全部数据）"
        );
    }
    let changesets = diming::demo::changesets().map_err(anyhow::Error::msg)?;
    let bar = ProgressBar::new(changesets.len() as u64).with_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
            .expect("static template")
            .progress_chars("=> "),
    );
    bar.set_message("写入示例数据");
    registry
        .commit_all(changesets, |n| bar.set_position(n as u64))
        .await?;
    bar.finish();
    println!("示例登记簿已建立：{db}");
    for layer in Layer::ALL {
        println!("  {}：{}", layer.label(), registry.current().count(layer));
    }
    // An administrator to log in with; other officers get accounts from `diming user add`.
    if registry.store().user("admin").await?.is_none() {
        let (secret, _) = diming::accounts::new_secret();
        let password = format!("dm-{}", &secret[..16]);
        registry
            .store()
            .add_user(
                "admin",
                diming::accounts::Role::Admin,
                &diming::accounts::hash_password(&password),
            )
            .await?;
        println!(
            "系统管理员账户：admin，初始密码：{password}（只显示这一次；可用 diming user passwd admin 修改）"
        );
    }
    Ok(())
}

pub(crate) async fn history(db: &str, config: &Config, id: &str) -> Result<()> {
    let id: RecordId = id.parse().with_context(|| {
        format!("记录 id“{id}”无效：应为 UUID，如 0f8fad5b-d9cb-469f-a165-70867728950e")
    })?;
    let registry = open(db, config).await?;
    let versions = registry.history(id).await?;
    if versions.is_empty() {
        bail!("登记簿中没有记录 {id}");
    }
    for v in versions {
        let cs = registry.store().changeset(v.changeset).await?;
        let until = v
            .valid_to
            .map(|d| d.to_string())
            .unwrap_or_else(|| "今".into());
        let state = if v.retired { "（注销）" } else { "" };
        println!(
            "第 {} 版{state}：{}，有效期 {} 至 {until}",
            v.version,
            v.body.title(),
            v.valid_from
        );
        if let Some(cs) = cs {
            println!(
                "  记录于 {}，作者 {}，原因：{}",
                cs.recorded_at, cs.author, cs.reason
            );
            if let Some(d) = cs.document {
                println!("  依据：{} {}（{}）", d.issuer, d.number, d.date);
            }
        }
    }
    Ok(())
}

/// Whether `path` names a GeoPackage (a registry of its own) rather than a JSON Lines backup.
fn is_geopackage(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gpkg"))
}

pub(crate) async fn backup(db: &str, output: &str) -> Result<()> {
    let store = diming::store::Store::open(db).await?;
    let backup = store.dump().await?;
    if is_geopackage(output) {
        // A registry of its own: every layer as a feature table and the whole history, the
        // guarantee that the data outlives this software.
        anyhow::ensure!(
            !std::path::Path::new(output).exists(),
            "{output} 已存在：GeoPackage 备份须写入新文件"
        );
        let target = diming::store::Store::open(&format!("sqlite://{output}")).await?;
        target.restore(&backup).await?;
    } else {
        // Whole personal numbers: readable by the owner only.
        let file = {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(output)
                .with_context(|| format!("创建 {output}"))?
        };
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .with_context(|| format!("设置 {output} 的权限"))?;
        }
        backup.write(store.kind(), &mut std::io::BufWriter::new(file))?;
    }
    println!(
        "已备份 {} 个变更集、{} 个版本到 {output}",
        backup.changesets.len(),
        backup.versions.len()
    );
    Ok(())
}

pub(crate) async fn restore(db: &str, file: &str) -> Result<()> {
    let backup = if is_geopackage(file) {
        anyhow::ensure!(std::path::Path::new(file).exists(), "没有文件 {file}");
        diming::store::Store::open(&format!("sqlite://{file}"))
            .await?
            .dump()
            .await
            .with_context(|| format!("读取 {file}"))?
    } else {
        let input = std::fs::File::open(file).with_context(|| format!("打开 {file}"))?;
        diming::store::Backup::read(std::io::BufReader::new(input))
            .with_context(|| format!("读取 {file}"))?
    };
    let store = diming::store::Store::open(db).await?;
    store.restore(&backup).await?;
    println!(
        "已恢复 {} 个变更集、{} 个版本到 {db}",
        backup.changesets.len(),
        backup.versions.len()
    );
    Ok(())
}
