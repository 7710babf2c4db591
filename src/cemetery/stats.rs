//! Cremation statistics done right (DOMAIN.md §5): the cremation rate (火化率) is cremations ÷
//! all deaths; the zone rate uses the deaths of residents of the cremation zone; cremations ÷
//! burials is a ratio and is only ever shown under that name. Every row checks deaths =
//! cremations + burials + other. Built for speed: a death is a few bytes, grouped by year or
//! by unit in one pass.

use super::Disposition;
use serde::Serialize;

/// One death as the statistics see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Death {
    pub year: i16,
    /// Index into the caller's list of units.
    pub unit: u32,
    pub disposition: Disposition,
    pub in_zone: bool,
}

/// The deaths the statistics count, with the names of the units they index, extracted once
/// and asked as often as needed (the table, its years, each reported figure).
#[derive(Debug, Clone, Default)]
pub struct Deaths {
    pub rows: Vec<Death>,
    pub units: Vec<String>,
}

impl Deaths {
    /// The first and last year with a death.
    pub fn years(&self) -> Option<(i16, i16)> {
        let min = self.rows.iter().map(|d| d.year).min()?;
        let max = self.rows.iter().map(|d| d.year).max()?;
        Some((min, max))
    }

    /// The latest run of consecutive years that all hold deaths: what a table shows unless
    /// asked for other years (a few deaths of 2005–2007 found on old graves do not stretch it
    /// back over the empty years between).
    pub fn recent_years(&self) -> Option<(i16, i16)> {
        let years: std::collections::BTreeSet<i16> = self.rows.iter().map(|d| d.year).collect();
        let last = *years.last()?;
        let mut first = last;
        while years.contains(&(first - 1)) {
            first -= 1;
        }
        Some((first, last))
    }

    /// The runs of consecutive years that hold deaths, as people write them: `2005—2007、2016—2020`.
    pub fn years_held(&self) -> String {
        let years: std::collections::BTreeSet<i16> = self.rows.iter().map(|d| d.year).collect();
        let mut runs: Vec<(i16, i16)> = Vec::new();
        for y in years {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == y => *last = y,
                _ => runs.push((y, y)),
            }
        }
        runs.iter()
            .map(|(a, b)| {
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}—{b}")
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn table(&self, from: i16, to: i16, by: By) -> Table {
        table(&self.rows, from, to, by, &self.units)
    }

    /// A reported figure against the counts of its period.
    pub fn reconcile(&self, reported: &Reported) -> Reconciliation {
        reconcile(
            reported,
            self.table(reported.from, reported.to, By::Year).total,
        )
    }
}

/// Group by year or by unit of residence (`year`, `unit` in the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum By {
    Year,
    Unit,
}

/// Counts for one group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub deaths: u64,
    pub cremations: u64,
    pub burials: u64,
    pub other: u64,
    pub zone_deaths: u64,
    pub zone_cremations: u64,
}

impl Counts {
    fn add(&mut self, d: &Death) {
        self.deaths += 1;
        match d.disposition {
            Disposition::Cremation => self.cremations += 1,
            Disposition::Burial => self.burials += 1,
            Disposition::Other => self.other += 1,
        }
        if d.in_zone {
            self.zone_deaths += 1;
            if d.disposition == Disposition::Cremation {
                self.zone_cremations += 1;
            }
        }
    }

    fn merge(&mut self, o: &Counts) {
        self.deaths += o.deaths;
        self.cremations += o.cremations;
        self.burials += o.burials;
        self.other += o.other;
        self.zone_deaths += o.zone_deaths;
        self.zone_cremations += o.zone_cremations;
    }

    /// 火化率 = cremations ÷ deaths.
    pub fn rate(&self) -> Option<f64> {
        ratio(self.cremations, self.deaths)
    }

    /// 火葬区火化率 = cremations of zone residents ÷ deaths of zone residents.
    pub fn zone_rate(&self) -> Option<f64> {
        ratio(self.zone_cremations, self.zone_deaths)
    }

    /// 火化与土葬之比 (cremations ÷ burials): not a rate.
    pub fn cremation_burial_ratio(&self) -> Option<f64> {
        ratio(self.cremations, self.burials)
    }

    /// Whether deaths = cremations + burials + other.
    pub fn balanced(&self) -> bool {
        self.deaths == self.cremations + self.burials + self.other
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// A table of counts by key, with the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub rows: Vec<(String, Counts)>,
    pub total: Counts,
}

/// Counts of `deaths` with `from <= year <= to`, grouped `by` (unit names from `units`).
pub fn table<'a>(
    deaths: impl IntoIterator<Item = &'a Death>,
    from: i16,
    to: i16,
    by: By,
    units: &[String],
) -> Table {
    let mut groups: Vec<Counts> = match by {
        By::Year => vec![
            Counts::default();
            usize::try_from((i32::from(to) - i32::from(from) + 1).max(0)).unwrap_or(0)
        ],
        By::Unit => vec![Counts::default(); units.len()],
    };
    for d in deaths {
        if d.year < from || d.year > to {
            continue;
        }
        let i = match by {
            By::Year => (i32::from(d.year) - i32::from(from)) as usize,
            By::Unit => d.unit as usize,
        };
        if let Some(g) = groups.get_mut(i) {
            g.add(d);
        }
    }
    let mut total = Counts::default();
    let mut rows = Vec::new();
    for (i, g) in groups.into_iter().enumerate() {
        total.merge(&g);
        let key = match by {
            By::Year => (i32::from(from) + i as i32).to_string(),
            By::Unit => units.get(i).cloned().unwrap_or_default(),
        };
        if by == By::Year || g.deaths > 0 {
            rows.push((key, g));
        }
    }
    if by == By::Unit {
        rows.sort_by(|a, b| a.0.cmp(&b.0));
    }
    Table { rows, total }
}

/// A figure someone reported: a period and a percentage.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    pub from: i16,
    pub to: i16,
    pub percent: f64,
    pub text: String,
}

impl std::str::FromStr for Reported {
    type Err = String;
    /// `2016-2020:51.8%` or `2020:44.4%`.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("上报数字“{s}”无效：应为 年份或年份区间:百分比，如 2016-2020:51.8%");
        let (period, value) = s.split_once([':', '：']).ok_or_else(bad)?;
        let (from, to) = match period.trim().split_once('-') {
            Some((a, b)) => (
                a.trim().parse().map_err(|_| bad())?,
                b.trim().parse().map_err(|_| bad())?,
            ),
            None => {
                let y: i16 = period.trim().parse().map_err(|_| bad())?;
                (y, y)
            }
        };
        if from > to {
            return Err(bad());
        }
        let percent: f64 = value
            .trim()
            .trim_end_matches(['%', '％'])
            .parse()
            .map_err(|_| bad())?;
        Ok(Reported {
            from,
            to,
            percent,
            text: s.trim().into(),
        })
    }
}

/// Which definition a reported figure matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Definition {
    /// 火化率 (cremations ÷ deaths)
    Rate,
    /// 火葬区火化率
    ZoneRate,
    /// 火化与土葬之比 — not a rate
    Ratio,
}

impl Definition {
    pub fn label(self) -> &'static str {
        match self {
            Definition::Rate => "火化率（火化数 ÷ 死亡数）",
            Definition::ZoneRate => "火葬区火化率（火葬区内火化数 ÷ 火葬区内死亡数）",
            Definition::Ratio => "火化与土葬之比（火化数 ÷ 土葬数，并非火化率）",
        }
    }
}

/// What a reported figure turns out to be.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    pub reported: String,
    pub counts: Counts,
    pub rate: Option<f64>,
    pub zone_rate: Option<f64>,
    pub ratio: Option<f64>,
    /// The definitions whose value rounds to the reported figure (empty: it matches none).
    pub matches: Vec<Definition>,
}

/// Compares a reported percentage with each definition computed over its period. A value
/// matches when it rounds to the reported figure at the figure's own precision.
pub fn reconcile(reported: &Reported, counts: Counts) -> Reconciliation {
    let decimals = reported
        .text
        .trim_end_matches(['%', '％'])
        .split_once('.')
        .map_or(0, |(_, d)| d.len()) as i32;
    let half = 0.5 * 10f64.powi(-decimals) + 1e-9;
    let candidates = [
        (Definition::Rate, counts.rate()),
        (Definition::ZoneRate, counts.zone_rate()),
        (Definition::Ratio, counts.cremation_burial_ratio()),
    ];
    let matches = candidates
        .iter()
        .filter_map(|(d, v)| {
            v.filter(|v| (v * 100.0 - reported.percent).abs() <= half)
                .map(|_| *d)
        })
        .collect();
    Reconciliation {
        reported: reported.text.clone(),
        rate: counts.rate(),
        zone_rate: counts.zone_rate(),
        ratio: counts.cremation_burial_ratio(),
        counts,
        matches,
    }
}

/// A percentage with one decimal, or "—".
pub fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{:.1}%", v * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deaths(year: i16, cremations: usize, burials: usize, other: usize) -> Vec<Death> {
        let d = |disposition| Death {
            year,
            unit: 0,
            disposition,
            in_zone: false,
        };
        std::iter::repeat_n(d(Disposition::Cremation), cremations)
            .chain(std::iter::repeat_n(d(Disposition::Burial), burials))
            .chain(std::iter::repeat_n(d(Disposition::Other), other))
            .collect()
    }

    #[test]
    fn the_default_years_are_the_latest_run_that_holds_deaths() {
        let mut rows = deaths(2005, 1, 6, 0);
        rows.extend(deaths(2007, 0, 5, 0));
        for year in 2016..=2020 {
            rows.extend(deaths(year, 40, 100, 0));
        }
        let d = Deaths {
            rows,
            units: Vec::new(),
        };
        assert_eq!(d.years(), Some((2005, 2020)));
        assert_eq!(d.recent_years(), Some((2016, 2020)));
        assert_eq!(d.years_held(), "2005、2007、2016—2020");
        let none = Deaths {
            rows: Vec::new(),
            units: Vec::new(),
        };
        assert_eq!(none.recent_years(), None);
    }

    #[test]
    fn the_citys_figures() {
        // 2016–2019: 583 deaths (378 buried, 205 cremated); 2020: 150 (105, 45).
        let mut all = deaths(2016, 205, 378, 0);
        all.extend(deaths(2020, 45, 105, 0));
        let t = table(&all, 2016, 2020, By::Year, &[]);
        assert_eq!(t.total.deaths, 733);
        assert_eq!(percent(t.total.rate()), "34.1%");
        assert_eq!(percent(t.total.cremation_burial_ratio()), "51.8%");
        assert_eq!(percent(t.rows[4].1.rate()), "30.0%");
        assert!(t.total.balanced());
        let r = reconcile(&"2016-2020:51.8%".parse().unwrap(), t.total.clone());
        assert_eq!(r.matches, vec![Definition::Ratio]);
        let r = reconcile(&"2020:44.4%".parse().unwrap(), t.rows[4].1.clone());
        assert!(r.matches.is_empty());
        let r = reconcile(&"2020:30%".parse().unwrap(), t.rows[4].1.clone());
        assert_eq!(r.matches, vec![Definition::Rate]);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn death() -> impl Strategy<Value = Death> {
        (2000i16..2030, 0u32..20, 0u8..3, any::<bool>()).prop_map(|(year, unit, d, in_zone)| {
            Death {
                year,
                unit,
                disposition: [
                    Disposition::Cremation,
                    Disposition::Burial,
                    Disposition::Other,
                ][usize::from(d)],
                in_zone,
            }
        })
    }

    proptest! {
        /// By year or by unit, the totals are the same and balanced; rates are shares; the
        /// reconciliation of the rate as computed names the rate.
        #[test]
        fn totals_agree_and_balance(deaths in proptest::collection::vec(death(), 0..400)) {
            let units: Vec<String> = (0..20).map(|u| format!("u{u}")).collect();
            let by_year = table(&deaths, 2000, 2029, By::Year, &units);
            let by_unit = table(&deaths, 2000, 2029, By::Unit, &units);
            prop_assert_eq!(&by_year.total, &by_unit.total);
            prop_assert_eq!(by_year.total.deaths as usize, deaths.len());
            prop_assert!(by_year.total.balanced());
            prop_assert!(by_year.rows.iter().all(|(_, c)| c.balanced()));
            let sum: u64 = by_year.rows.iter().map(|(_, c)| c.deaths).sum();
            prop_assert_eq!(sum, by_year.total.deaths);
            if let Some(rate) = by_year.total.rate() {
                prop_assert!((0.0..=1.0).contains(&rate));
                let reported: Reported = format!("2000-2029:{:.1}%", rate * 100.0).parse().unwrap();
                prop_assert!(reconcile(&reported, by_year.total.clone()).matches.contains(&Definition::Rate));
            }
        }
    }
}
