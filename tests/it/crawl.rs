//! Every page each role can reach from the home page, by following links: each answers a
//! page (never raw JSON, never an error), in Chinese (no internal code from a fixed list),
//! in China's time (no UTC timestamp), and with personal numbers masked except on the burial
//! office's own pages.

use crate::support::{TestDb, call, load_demo, officer, request};
use axum::body::Body;
use diming::accounts::Role;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

/// Codes and words of the program that must never reach a reader: enum codes, finding codes,
/// match kinds, conditions, and what a template prints for a missing value.
const CODES: [&str; 40] = [
    "pinyin",
    "initials",
    "typo",
    "condition.dirty",
    "text.mn.missing",
    "[foreign]",
    "two_faced",
    "single_faced",
    "male",
    "female",
    "cremation",
    "burial",
    "available",
    "reserved",
    "occupied",
    "relocated_in",
    "issued",
    "delivered",
    "registered",
    "compensated",
    "unclaimed",
    "proposed",
    "approved",
    "published",
    "retired",
    "road_railway",
    "water_source",
    "names_officer",
    "burial_officer",
    "boundary_officer",
    "null",
    "undefined",
    "NaN",
    "true",
    "false",
    "None",
    "Some(",
    "invalid_body",
    "Not Found",
    "Internal Server Error",
];

/// What a person reads on a page: the text outside tags, scripts and styles.
fn visible_text(html: &str) -> String {
    let mut rest = html.to_string();
    for (open, close) in [("<script", "</script>"), ("<style", "</style>")] {
        while let Some(i) = rest.find(open) {
            let end = rest[i..]
                .find(close)
                .map_or(rest.len(), |j| i + j + close.len());
            rest.replace_range(i..end, " ");
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in rest.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
}

/// Whether `word` occurs in `text` as a word of its own (not inside a longer ASCII word).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let joins = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        !joins(before) && !joins(after)
    })
}

/// Runs of digits in `text` that look like a whole ID number (18 characters) or a mobile
/// phone number (11 digits starting 1[3-9]).
fn personal_numbers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == 'X') {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let bounded = start == 0 || !chars[start - 1].is_ascii_alphanumeric();
            let is_id = run.len() == 18 && run[..17].chars().all(|c| c.is_ascii_digit());
            let is_phone = run.len() == 11
                && run.starts_with('1')
                && matches!(run.as_bytes()[1], b'3'..=b'9')
                && run.chars().all(|c| c.is_ascii_digit());
            if bounded && (is_id || is_phone) {
                found.push(run);
            }
        } else {
            i += 1;
        }
    }
    found
}

/// A UTC timestamp as a program writes it (2026-12-07T04:05:06, …Z, +00:00, "UTC").
fn utc_timestamps(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let b = text.as_bytes();
    for i in 0..b.len().saturating_sub(16) {
        let looks = b[i..i + 4].iter().all(u8::is_ascii_digit)
            && b[i + 4] == b'-'
            && b[i + 7] == b'-'
            && b[i + 10] == b'T'
            && b[i + 11..i + 13].iter().all(u8::is_ascii_digit)
            && b[i + 13] == b':';
        if looks {
            found.push(text[i..i + 16].to_string());
        }
    }
    if has_word(text, "UTC") || text.contains("+00:00") {
        found.push("UTC".into());
    }
    found
}

/// The shape of a path, ids replaced, so that a crawl visits a few of each kind of page.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|part| {
            // Record ids, sign codes (DX-001), plot numbers: one kind of page each.
            if part.chars().any(|c| c.is_ascii_digit()) {
                "{id}"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The links of a page that lead to pages of this site.
fn page_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|l| l.replace("&amp;", "&"))
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .filter(|l| {
            ![
                "/api/",
                "/ogc",
                "/tiles/",
                "/static/",
                "/glyphs/",
                "/maps/",
                "/metrics",
                "/attachments/",
                "/logout",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        })
        .map(|l| l.split('#').next().unwrap_or_default().to_string())
        .collect()
}

/// The problems found on the pages `role` reaches, and how many pages it reached.
async fn crawl(
    app: &axum::Router,
    token: Option<&str>,
    burial_office: bool,
) -> (usize, Vec<String>) {
    let mut seen = BTreeSet::new();
    let mut per_shape: BTreeMap<String, usize> = BTreeMap::new();
    // The home page, and a search as a person types it into the header's box.
    let mut queue = VecDeque::from([
        ("/".to_string(), "—".to_string()),
        (
            "/search?q=%E5%89%8D%E8%BF%9B".to_string(),
            "the search box".to_string(),
        ),
    ]);
    let mut problems = Vec::new();
    let mut pages = 0;
    while let Some((url, from)) = queue.pop_front() {
        if !seen.insert(url.clone()) || pages >= 400 {
            continue;
        }
        let count = per_shape.entry(shape(&url)).or_default();
        *count += 1;
        if *count > 3 {
            continue;
        }
        let r = call(
            app,
            request("GET", &url, token, None)
                .header("accept", "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        pages += 1;
        let content_type = r
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        if r.status.is_redirection() {
            if let Some(to) = r.headers.get("location").and_then(|v| v.to_str().ok()) {
                queue.push_back((to.to_string(), url.clone()));
            }
            continue;
        }
        if !r.status.is_success() {
            problems.push(format!(
                "{url} (linked from {from}): {} {}",
                r.status,
                &r.body[..r.body.len().min(200)]
            ));
            continue;
        }
        if !content_type.starts_with("text/html") {
            // A download (PDF, ZIP, SVG, picture, GIS file) is fine; JSON where a page was
            // linked is not.
            let download = r.headers.contains_key("content-disposition")
                || [
                    "application/pdf",
                    "application/zip",
                    "image/",
                    "application/vnd",
                ]
                .iter()
                .any(|t| content_type.starts_with(t));
            if content_type.contains("json") || !download {
                problems.push(format!(
                    "{url} (linked from {from}): {content_type} where a page was expected"
                ));
            }
            continue;
        }
        let text = visible_text(&r.body);
        for code in CODES {
            if has_word(&text, code) {
                let at = text.find(code).unwrap_or(0);
                let from = text[..at]
                    .char_indices()
                    .rev()
                    .nth(30)
                    .map_or(0, |(i, _)| i);
                let around: String = text[from..]
                    .chars()
                    .take(70)
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                problems.push(format!("{url}: “{code}” in the text: …{around}…"));
            }
        }
        for t in utc_timestamps(&text) {
            problems.push(format!("{url}: a UTC time {t}"));
        }
        let own = burial_office && url.starts_with("/cemetery");
        if !own {
            for n in personal_numbers(&text) {
                problems.push(format!("{url}: an unmasked personal number {n}"));
            }
        }
        if text.trim_start().starts_with('{') {
            problems.push(format!("{url}: raw JSON"));
        }
        for link in page_links(&r.body) {
            if !seen.contains(&link) {
                queue.push_back((link, url.clone()));
            }
        }
    }
    if std::env::var_os("DIMING_CRAWL_LOG").is_some() {
        eprintln!(
            "{}",
            per_shape.keys().cloned().collect::<Vec<_>>().join("\n")
        );
    }
    (pages, problems)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_each_role_reaches_reads_in_chinese_with_masked_numbers_and_local_time() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    load_demo(&registry).await;
    let app = diming::web::app(registry.clone());
    let mut all = Vec::new();
    let mut reached = Vec::new();
    let (n, problems) = crawl(&app, None, false).await;
    reached.push(format!("公众 {n}"));
    all.extend(problems.into_iter().map(|p| format!("[公众] {p}")));
    for role in Role::ALL {
        let token = officer(&registry, &format!("crawl_{}", role.as_str()), role).await;
        let (n, problems) = crawl(&app, Some(&token), role == Role::BurialOfficer).await;
        reached.push(format!("{} {n}", role.label()));
        assert!(n >= 15, "{} reached only {n} pages", role.label());
        all.extend(
            problems
                .into_iter()
                .map(|p| format!("[{}] {p}", role.label())),
        );
    }
    all.sort();
    all.dedup();
    assert!(
        all.is_empty(),
        "pages reached: {}\n{} problems:\n{}",
        reached.join("，"),
        all.len(),
        all.join("\n")
    );
}

#[test]
fn the_crawl_sees_what_a_reader_sees() {
    let html = "<style>.male{}</style><p data-x=\"male\">性别：男</p><script>var x = null;</script><td>13847901274</td><td>138****1274</td>";
    let text = visible_text(html);
    assert!(
        !has_word(&text, "male") && !has_word(&text, "null"),
        "{text}"
    );
    assert_eq!(personal_numbers(&text), vec!["13847901274".to_string()]);
    assert!(has_word("状态 issued ", "issued"));
    assert!(!has_word("reissued", "issued"));
    assert_eq!(
        utc_timestamps("于 2026-12-07T04:05:06Z"),
        vec!["2026-12-07T04:05".to_string()]
    );
    assert_eq!(
        shape("/records/01a2509a-6857-7214-98de-7170effa07e3?x=1"),
        "/records/{id}"
    );
    assert_eq!(shape("/signs/DX-001"), "/signs/{id}");
}
