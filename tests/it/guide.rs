//! The user guide: each reader sees the sections of their role with the pictures of the
//! pages; it prints as a PDF with those pictures (read back with pdftotext, pdfimages and
//! pdftoppm); every picture it shows is one a browser test takes of that page.

use crate::support::{TestDb, call, request};
use diming::accounts::Role;
use diming::publish::guide::GUIDE;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_guide_shows_each_role_its_tasks_and_prints_with_its_pictures() {
    let db = TestDb::sqlite().await;
    let registry = Arc::new(db.registry().await);
    crate::support::load_demo(&registry).await;
    let clerk = crate::support::officer(&registry, "sarula", Role::BurialOfficer).await;
    let app = diming::web::app(registry);

    // The public reads the public's section only; the clerk the burial office's, with its
    // pictures, which the server gives.
    let public = call(
        &app,
        request("GET", "/help", None, None)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert!(public.body.contains("id=\"guide-public\""));
    assert!(!public.body.contains("id=\"guide-burial\""));
    let page = call(
        &app,
        request("GET", "/help", Some(&clerk), None)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        page.body.contains("id=\"guide-burial\" class=\"mine\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<a href=\"/cemetery/burials/new\">公墓殡葬 → 登记逝者</a>")
    );
    assert!(page.body.contains("src=\"/help/pictures/burial-form.jpg\""));
    let picture = crate::support::get_bytes(&app, "/help/pictures/burial-form.jpg").await;
    assert_eq!(&picture[..3], [0xFF, 0xD8, 0xFF], "a JPEG");
    let missing = call(
        &app,
        request("GET", "/help/pictures/nothing.jpg", None, None)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(missing.status, 404);

    // The printed guide: the clerk's sections, each picture in it, pages that render.
    let pdf_bytes = {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let r = app
            .clone()
            .oneshot(
                request("GET", "/help.pdf", Some(&clerk), None)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        r.into_body().collect().await.unwrap().to_bytes()
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("guide.pdf");
    std::fs::write(&pdf, &pdf_bytes).unwrap();
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for heading in [
        "操作手册",
        "殡葬管理员",
        "登记逝者及遗体处理方式",
        "迁坟告知书",
        "地名管理员",
    ] {
        assert!(
            text.contains(heading),
            "{heading} missing from the printed guide: {text}"
        );
    }
    assert!(
        !text.contains("系统管理员"),
        "the clerk's guide has no admin section"
    );
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf)
        .output()
        .unwrap();
    let images = String::from_utf8_lossy(&images.stdout);
    let clerk_reads = diming::publish::guide::Reader {
        internal: true,
        burials: true,
        admin: false,
    };
    let pictures = GUIDE
        .for_reader(clerk_reads)
        .flat_map(|s| &s.tasks)
        .filter(|t| t.screenshot.is_some())
        .count();
    // pdfimages lists a header of two lines, then an image a line.
    assert_eq!(images.lines().count() - 2, pictures, "{images}");
    // The first page renders with its title; a page with a picture is mostly not blank.
    let r = std::process::Command::new("pdftoppm")
        .args(["-r", "30", "-png", "-f", "2", "-l", "2", "-singlefile"])
        .arg(&pdf)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(r.success());
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(dir.path().join("page.png")).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    // The picture of the page: its header is the site's dark red band (#7a1f1f).
    let red = buf[..info.buffer_size()]
        .chunks(info.color_type.samples())
        .filter(|p| p[0] > 90 && p[1] < 60 && p[2] < 60)
        .count();
    assert!(
        red > 300,
        "page 2 holds a picture of a page: {red} red pixels"
    );
}

/// Every picture the guide shows is taken by a browser test of its page (`shoot` with its
/// name), so a test run renews it (`DIMING_UPDATE_GUIDE=1` writes it to `docs/guide/`).
#[test]
fn every_picture_in_the_guide_is_taken_by_a_browser_test() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let tests: String = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .collect();
    let untaken: Vec<&str> = GUIDE
        .pictures()
        .filter(|p| {
            !tests.contains(&format!("{{store}}-{p}\""))
                && !tests.contains(&format!("shoot(&mut browser, \"{p}\")"))
        })
        .collect();
    assert!(untaken.is_empty(), "pictures no test takes: {untaken:?}");
}
