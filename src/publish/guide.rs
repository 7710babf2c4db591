//! The user guide (操作手册), written once (`templates/guide.toml`): each role's daily tasks
//! step by step, with the pictures of their pages that the browser tests take
//! (`docs/guide/NAME.jpg`). The web shows it (each reader the sections of their role) and
//! it prints as a PDF for the bureau's training, with the same words and pictures.

use super::pdf::{Fonts, PdfError, compile_with_files, export, string};
use serde::Deserialize;
use std::sync::LazyLock;

/// Who a section is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The public only (officers have their own sections).
    Public,
    /// Every officer.
    Internal,
    /// Those who may read burial records.
    Burials,
    /// Administrators.
    Admin,
}

/// What the reader may see, for choosing the sections.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reader {
    pub internal: bool,
    pub burials: bool,
    pub admin: bool,
}

impl Reader {
    pub fn sees(&self, a: Audience) -> bool {
        match a {
            Audience::Public => !self.internal,
            Audience::Internal => self.internal,
            Audience::Burials => self.burials,
            Audience::Admin => self.admin,
        }
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    #[serde(default)]
    pub title: Option<String>,
    /// A picture of the task's page (`docs/guide/NAME.jpg`).
    #[serde(default)]
    pub screenshot: Option<String>,
    /// Steps; `[text](/path)` links a page.
    pub steps: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    /// The role it is for, as the accounts name it (殡葬管理员).
    pub role: String,
    pub audience: Audience,
    #[serde(rename = "task")]
    pub tasks: Vec<Task>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    pub intro: String,
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
}

/// The guide, read once.
pub static GUIDE: LazyLock<Guide> = LazyLock::new(|| {
    toml::from_str(include_str!("templates/guide.toml")).expect("the built-in guide parses")
});

/// The pictures of the guide, compiled in (taken by the browser tests).
pub const PICTURES: &[(&str, &[u8])] = &[
    ("admin", include_bytes!("../../docs/guide/admin.jpg")),
    (
        "boundaries",
        include_bytes!("../../docs/guide/boundaries.jpg"),
    ),
    (
        "boundary-agreements",
        include_bytes!("../../docs/guide/boundary-agreements.jpg"),
    ),
    (
        "boundary-markers",
        include_bytes!("../../docs/guide/boundary-markers.jpg"),
    ),
    (
        "burial-form",
        include_bytes!("../../docs/guide/burial-form.jpg"),
    ),
    (
        "map-plates",
        include_bytes!("../../docs/guide/map-plates.jpg"),
    ),
    (
        "map-table",
        include_bytes!("../../docs/guide/map-table.jpg"),
    ),
    ("name", include_bytes!("../../docs/guide/name.jpg")),
    (
        "names-audit",
        include_bytes!("../../docs/guide/names-audit.jpg"),
    ),
    ("notices", include_bytes!("../../docs/guide/notices.jpg")),
    ("plot", include_bytes!("../../docs/guide/plot.jpg")),
    ("print", include_bytes!("../../docs/guide/print.jpg")),
];

/// The picture named `name`, if the guide has it.
pub fn picture(name: &str) -> Option<&'static [u8]> {
    PICTURES.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

impl Guide {
    /// The sections `reader` sees, in order.
    pub fn for_reader(&self, reader: Reader) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(move |s| reader.sees(s.audience))
    }

    /// Every picture the guide names.
    pub fn pictures(&self) -> impl Iterator<Item = &str> {
        self.sections
            .iter()
            .flat_map(|s| &s.tasks)
            .filter_map(|t| t.screenshot.as_deref())
    }
}

/// A step cut into text and links: `(text, Some(path))` for a link to a page of the site.
pub fn pieces(step: &str) -> Vec<(&str, Option<&str>)> {
    let mut out = Vec::new();
    let mut rest = step;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](/").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        if open > 0 {
            out.push((&rest[..open], None));
        }
        out.push((&rest[open + 1..close], Some(&rest[close + 2..end])));
        rest = &rest[end + 1..];
    }
    if !rest.is_empty() {
        out.push((rest, None));
    }
    out
}

/// A step as HTML: its text escaped, its links to pages of the site as links.
pub fn step_html(step: &str) -> String {
    pieces(step)
        .into_iter()
        .map(|(text, link)| match link {
            Some(path) => format!(
                "<a href=\"{}\">{}</a>",
                super::escape(path),
                super::escape(text)
            ),
            None => super::escape(text),
        })
        .collect()
}

/// The guide for `reader` as a typst source; pictures are named `NAME.jpg`.
fn source(guide: &Guide, reader: Reader, city: &str) -> String {
    let mut s = format!(
        r#"#set page(paper: "a4", margin: (x: 20mm, y: 18mm), numbering: "1")
#set text(font: ("Noto Serif CJK SC", "Noto Sans Mongolian"), size: 11pt, lang: "zh")
#set par(justify: true, leading: 0.8em)
#set heading(numbering: "1.1")
#align(center)[#text(size: 22pt, weight: "bold")[#{title}] \ #v(2mm) #text(size: 13pt)[#{subtitle}]]
#v(4mm)
#{intro}
"#,
        title = string(&format!("{city}地名管理信息系统")),
        subtitle = string("操作手册"),
        intro = string(&guide.intro),
    );
    for section in guide.for_reader(reader) {
        s.push_str(&format!("\n= #{}\n", string(&section.role)));
        for task in &section.tasks {
            if let Some(t) = &task.title {
                s.push_str(&format!("\n== #{}\n", string(t)));
            }
            for step in &task.steps {
                let text: String = pieces(step)
                    .into_iter()
                    .map(|(text, link)| match link {
                        // A link prints as its words, bold, with the page's address.
                        Some(path) => format!(
                            "#strong({})#text(size: 8pt, fill: gray)[#{}]",
                            string(text),
                            string(&format!("（{path}）"))
                        ),
                        None => format!("#{}", string(text)),
                    })
                    .collect();
                s.push_str(&format!("+ {text}\n"));
            }
            if let Some(name) = task.screenshot.as_deref().filter(|n| picture(n).is_some()) {
                s.push_str(&format!(
                    "#figure(image({}, width: 100%), caption: {})\n",
                    string(&format!("{name}.jpg")),
                    string(task.title.as_deref().unwrap_or(&section.role))
                ));
            }
        }
    }
    s
}

/// The guide for `reader` as a PDF, with the pictures of its pages.
pub fn pdf(reader: Reader, city: &str, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let files: Vec<(String, Vec<u8>)> = PICTURES
        .iter()
        .map(|(n, b)| (format!("{n}.jpg"), b.to_vec()))
        .collect();
    export(&compile_with_files(
        &source(&GUIDE, reader, city),
        fonts,
        files,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_picture_the_guide_names_is_compiled_in() {
        let missing: Vec<&str> = GUIDE.pictures().filter(|p| picture(p).is_none()).collect();
        assert!(missing.is_empty(), "{missing:?}");
        let unused: Vec<&str> = PICTURES
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| !GUIDE.pictures().any(|p| p == *n))
            .collect();
        assert!(unused.is_empty(), "{unused:?}");
    }

    #[test]
    fn steps_link_only_pages_of_the_site_and_escape_the_rest() {
        assert_eq!(
            step_html("打开[地图](/map)，<b>按 T</b>"),
            "打开<a href=\"/map\">地图</a>，&lt;b&gt;按 T&lt;/b&gt;"
        );
        assert_eq!(
            step_html("[外站](https://example.com)"),
            "[外站](https://example.com)"
        );
        let public = Reader::default();
        let ids: Vec<&str> = GUIDE.for_reader(public).map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["public"]);
        let clerk = Reader {
            internal: true,
            burials: true,
            admin: false,
        };
        assert!(GUIDE.for_reader(clerk).any(|s| s.id == "burial"));
        assert!(!GUIDE.for_reader(clerk).any(|s| s.id == "admin"));
    }
}
