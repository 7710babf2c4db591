//! What happened in the demo cemetery after its burials: plots whose use ran out, funeral
//! subsidies claimed and paid, graves outside cemeteries surveyed and the relocation notices
//! sent for them.

use super::{
    Body, Burial, Centroid, Deceased, Disposition, Duration, Geometry, Grave, GraveKind, Item,
    Laid, Lcg, Notice, NoticeStatus, NoticeStep, NoticeTerms, PlotNumber, PlotStatus, Point,
    Polygon, RecordId, Sex, Site, Source, SubsidyClaim, Treatment, Use, UsePeriod, Write,
    add_years, cemetery_id, date, person, phone, plot_id,
};

/// Plots of section E whose 20 years ended before 2026: one renewed in August 2025, the
/// others expired on their last day.
pub(super) fn expiries(done: &[(String, String, Vec<Write>)]) -> Result<Vec<Write>, String> {
    let plots = &done
        .iter()
        .find(|(k, _, _)| k == "cemetery")
        .ok_or("缺少墓位")?
        .2;
    let mut out = Vec::new();
    for w in plots {
        let Write::Create {
            id,
            body: Body::Plot(p),
            geometry,
            ..
        } = w
        else {
            continue;
        };
        let Some(period) = &p.period else { continue };
        if p.number.section != "E" || period.until >= date(2026, 1, 1) {
            continue;
        }
        let (next, on) = if p.number.row == 1 && p.number.number == 4 {
            let renewed = date(2025, 8, 15);
            (p.renewed(renewed, "续期收据 2025-0815（示例）")?, renewed)
        } else {
            let mut next = (**p).clone();
            next.status = PlotStatus::Expired;
            (next, period.until)
        };
        out.push(Write::Update {
            id: *id,
            base_version: 1,
            valid_from: on,
            body: Body::from(next),
            geometry: geometry.clone(),
        });
    }
    Ok(out)
}

/// Five subsidies (1,810 yuan each under the 2016 rule): one each in 2016, 2018 and 2019,
/// two in 2020, for cremated residents.
pub(super) fn subsidies(done: &[(String, String, Vec<Write>)]) -> Result<Vec<Write>, String> {
    let rule_items: [(&str, i64); 5] = [
        ("遗体接运", 50_000),
        ("遗体冷藏（3 天以内）", 15_000),
        ("遗体火化", 56_000),
        ("骨灰盒", 20_000),
        ("骨灰安放", 40_000),
    ];
    let mut out = Vec::new();
    for (year, count) in [(2016, 1), (2018, 1), (2019, 1), (2020, 2)] {
        let writes = &done
            .iter()
            .find(|(k, _, _)| *k == format!("burials/{year}"))
            .ok_or("缺少殡葬登记")?
            .2;
        let cremated = writes.iter().filter_map(|w| match w {
            Write::Create {
                id,
                body: Body::Burial(b),
                geometry,
                ..
            } if b.disposition == Disposition::Cremation => Some((*id, b, geometry)),
            _ => None,
        });
        for (i, (id, b, g)) in cremated.skip(3).step_by(7).take(count).enumerate() {
            let on = b.registered_on + Duration::days(10 + i as i64);
            out.push(Write::Create {
                id: RecordId::derived(&format!("subsidy/{id}")),
                valid_from: on,
                body: Body::from(SubsidyClaim {
                    burial: id,
                    rule: "erenhot-2016".into(),
                    items: rule_items
                        .iter()
                        .map(|(name, fen)| Item {
                            name: (*name).into(),
                            amount_fen: *fen,
                        })
                        .collect(),
                    total_fen: 181_000,
                    claimed_on: on,
                    claimant: format!("{}的家属", b.deceased.name),
                    claimant_phone: None,
                    paid_on: Some(on + Duration::days(20)),
                    source: Source::Sample,
                }),
                geometry: g.clone(),
            });
        }
    }
    Ok(out)
}

type GraveWrites = (Vec<Write>, Vec<Write>, Vec<Write>);

pub(super) fn graves_and_notices(
    rng: &mut Lcg,
    site: &Site,
    sections: &[(Polygon<f64>, Laid)],
    uses: &mut std::collections::HashMap<PlotNumber, Use>,
) -> Result<GraveWrites, String> {
    let terms = NoticeTerms {
        basis: "《殡葬管理条例》第十条、第二十条；《内蒙古自治区殡葬管理办法》；锡林郭勒盟散埋乱葬专项整治工作方案（示例）".into(),
        reason: "G208 国道沿线、陶力嘎查居民点周边及市区水源地保护区散埋乱葬集中整治".into(),
        scope: "G208 国道两侧、陶力嘎查居民点周边、市区水源地保护区内的坟墓（见附图）".into(),
        registration_from: date(2020, 3, 5),
        registration_until: date(2020, 3, 25),
        deadline: date(2020, 3, 31),
        destination: cemetery_id(),
        destination_name: "二连浩特市公益性公墓迁坟安置区".into(),
        compensation_single_fen: 200_000,
        compensation_double_fen: 350_000,
        bonus_fen: 50_000,
        documents: "坟主居民身份证、户口簿，与逝者关系证明".into(),
        contact: "二连浩特市民政局社会事务科（示例地址），联系人 张工，电话 0479-7512345（示例）".into(),
        issuer: "二连浩特市民政局".into(),
        issued_on: date(2020, 3, 2),
    };
    let kinds = [
        GraveKind::Ordinary,
        GraveKind::Ordinary,
        GraveKind::Hardened,
        GraveKind::Ordinary,
        GraveKind::Clan,
        GraveKind::Empty,
        GraveKind::Luxury,
    ];
    let mut graves = Vec::new();
    let mut notices = Vec::new();
    let mut relocations = Vec::new();
    for i in 0..92usize {
        let (w, s, e, n) = match i % 4 {
            0 | 1 => (111.971, 43.45, 111.981, 43.62),
            2 => (111.727, 43.542, 111.753, 43.558),
            _ => (112.062, 43.562, 112.088, 43.588),
        };
        let point = Point::new(w + (e - w) * rng.unit(), s + (n - s) * rng.unit());
        let kind = kinds[i % kinds.len()];
        let (owner, _) = person(rng, i % 3 == 0);
        let grave_id = RecordId::derived(&format!("grave/{i}"));
        let moved = i < 5;
        let plot = moved.then(|| {
            let laid = &sections
                .iter()
                .find(|(_, l)| l.code == "F")
                .expect("section F")
                .1;
            laid.cells[i].0.clone()
        });
        let burial_id = RecordId::derived(&format!("relocated-burial/{i}"));
        let buried = (kind != GraveKind::Empty).then(|| person(rng, i % 3 == 0).0);
        graves.push(Write::Create {
            id: grave_id,
            valid_from: date(2020, 2, 20),
            body: Body::from(Grave {
                number: format!("SM-2020-{:03}", i + 1),
                kind,
                area_m2: Some(match kind {
                    GraveKind::Hardened => 5.5,
                    GraveKind::Luxury => 12.0,
                    GraveKind::Clan => 40.0,
                    _ => 2.0 + (i % 5) as f64 * 0.3,
                }),
                buried: buried.clone(),
                owner: Some(owner.clone()),
                owner_phone: Some(phone(rng)),
                zones: Vec::new(),
                treatment: Some(match kind {
                    GraveKind::Hardened | GraveKind::Luxury => Treatment::RemoveHardening,
                    _ if i % 4 == 2 => Treatment::Screen,
                    _ => Treatment::Move,
                }),
                surveyed: date(2020, 2, 20),
                moved_to: plot.as_ref().map(plot_id),
                burial: moved.then_some(burial_id),
                photos: Vec::new(),
                notes: String::new(),
                source: Source::Sample,
            }),
            geometry: Geometry::Point(point),
        });
        let step = |status, on| NoticeStep {
            status,
            on,
            note: String::new(),
        };
        let mut steps = vec![step(NoticeStatus::Issued, date(2020, 3, 2))];
        let status = match i {
            0..=4 => {
                steps.push(step(NoticeStatus::Delivered, date(2020, 3, 3)));
                steps.push(step(NoticeStatus::Registered, date(2020, 3, 10)));
                steps.push(step(NoticeStatus::Relocated, date(2020, 3, 28)));
                if i < 2 {
                    steps.push(step(NoticeStatus::Compensated, date(2020, 4, 15)));
                    NoticeStatus::Compensated
                } else {
                    NoticeStatus::Relocated
                }
            }
            5..=29 => {
                steps.push(step(NoticeStatus::Delivered, date(2020, 3, 4)));
                steps.push(step(NoticeStatus::Registered, date(2020, 3, 20)));
                NoticeStatus::Registered
            }
            30..=69 => {
                steps.push(step(NoticeStatus::Delivered, date(2020, 3, 5)));
                NoticeStatus::Delivered
            }
            _ => {
                steps.push(step(NoticeStatus::Unclaimed, date(2020, 4, 1)));
                NoticeStatus::Unclaimed
            }
        };
        notices.push(Write::Create {
            id: RecordId::derived(&format!("notice/{i}")),
            valid_from: date(2020, 3, 2),
            body: Body::from(Notice {
                number: format!("迁告〔2020〕{:03}号", i + 1),
                batch: "2020 年清明节前散埋乱葬集中整治".into(),
                grave: grave_id,
                terms: terms.clone(),
                status,
                steps,
                signed_by: (i < 70).then(|| owner.clone()),
                plot: plot.as_ref().map(plot_id),
                compensation_fen: (i < 2).then_some(250_000),
                source: Source::Sample,
            }),
            geometry: Geometry::Point(point),
        });
        if let Some(n) = plot {
            let on = date(2020, 3, 28);
            let u = uses.entry(n.clone()).or_default();
            u.status = Some(PlotStatus::RelocatedIn);
            u.period = Some(UsePeriod {
                from: on,
                until: add_years(on, crate::cemetery::USE_YEARS),
            });
            u.holder = Some(owner.clone());
            let laid = &sections.iter().find(|(_, l)| l.code == "F").expect("F").1;
            let poly = &laid.cells.iter().find(|(m, _)| *m == n).expect("plot").1;
            let centre = site.stored(poly)?.centroid().ok_or("墓位没有中心")?;
            let died = date(1990 + (i as i32) * 3, 11, 2);
            relocations.push(Write::Create {
                id: burial_id,
                valid_from: on,
                body: Body::from(Burial {
                    deceased: Deceased {
                        name: buried.unwrap_or_else(|| "无名氏".into()),
                        sex: Sex::Male,
                        ethnicity: "汉族".into(),
                        id_number: None,
                        born: None,
                        died,
                        residence: "152501200201".into(),
                        place_of_death: String::new(),
                    },
                    disposition: Disposition::Burial,
                    cremation_certificate: None,
                    plot: Some(plot_id(&n)),
                    in_zone: false,
                    exemption: Some("迁坟安置：原土葬遗骸整体迁入公墓".into()),
                    relocated_from: Some(grave_id),
                    registered_by: "殡葬管理所（示例）".into(),
                    registered_on: on,
                    documents: vec![format!("迁告〔2020〕{:03}号", i + 1)],
                    source: Source::Sample,
                }),
                geometry: Geometry::Point(centre),
            });
        }
    }
    Ok((graves, notices, relocations))
}
