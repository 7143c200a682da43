//! `quartier serve`: the binary is started on a free port, files are edited, added,
//! renamed and deleted, and the served pages are observed to change; broken saves keep
//! the last good pages and report the problem; paths outside the portal are not served.

mod common;

use std::process::Command;

use common::serve::Server;
use common::{TestPortal, md};

fn projekt(titel: &str, stadtteil: &str) -> String {
    md(
        &format!(
            "titel: \"{titel}\"\njahr: 2026\nstadtteile: [{stadtteil}]\nfoerdersumme: 300\nbeteiligte: 40\n"
        ),
        "Ein Fest im Hof mit Kuchen und Musik.\n",
    )
}

fn portal() -> TestPortal {
    TestPortal::new().file(
        "content/projekte/hoffest.md",
        &projekt("Hoffest", "sudenburg"),
    )
}

#[test]
fn an_edited_project_shows_on_its_stadtteil_page_and_the_page_reloads() {
    let p = portal();
    let s = Server::start(p.root());
    let seite = s.get("/gwa/stadtteile/sudenburg/");
    assert_eq!(seite.status, 200);
    assert!(seite.body.contains("Hoffest"));
    assert_eq!(
        seite.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    // The live-reload script, with the version the page was rendered from.
    assert!(
        seite
            .body
            .contains("<script src=\"/__quartier/vorschau.js\" data-stand=\"1\"")
    );
    let stand = s.meldung()["stand"].as_u64().expect("stand");

    p.write(
        "content/projekte/hoffest.md",
        &projekt("Sommerfest im Hof", "sudenburg"),
    );
    let neu = s.wait_for("/gwa/stadtteile/sudenburg/", "new title", |r| {
        r.body.contains("Sommerfest im Hof")
    });
    assert!(!neu.body.contains("Hoffest<"), "old title still shown");
    let m = s.meldung();
    assert!(
        m["stand"].as_u64() > Some(stand),
        "tabs are told to reload: {m}"
    );
    assert_eq!(m["fehler"], serde_json::json!([]));
    // The project's own page and the year follow too.
    assert!(
        s.get("/gwa/projekte/2026/hoffest/")
            .body
            .contains("Sommerfest im Hof")
    );
    assert!(
        s.get("/gwa/projekte/2026/")
            .body
            .contains("Sommerfest im Hof")
    );
}

#[test]
fn serve_writes_nothing_and_build_output_has_no_reload_script() {
    let p = portal();
    let s = Server::start(p.root());
    assert_eq!(s.get("/gwa/").status, 200);
    assert!(!p.public().exists(), "serve must not write public/");
    drop(s);
    p.cli_build(&[]).assert_code(0);
    for entry in walkdir::WalkDir::new(p.public()) {
        let entry = entry.expect("entry");
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).expect("read");
            assert!(!html.contains("__quartier"), "{}", entry.path().display());
        }
    }
}

#[test]
fn a_broken_save_keeps_the_last_good_pages_and_reports_until_fixed() {
    let p = portal();
    let s = Server::start(p.root());
    assert!(s.get("/gwa/stadtteile/sudenburg/").body.contains("Hoffest"));
    let gut = s.meldung()["stand"].as_u64().expect("stand");

    p.write(
        "content/projekte/hoffest.md",
        "---\ntitel: \"Kaputt\njahr: 2026\n---\nText\n",
    );
    let m = s.wait_for_meldung("error reported", |m| {
        m["fehler"].as_array().is_some_and(|f| !f.is_empty())
    });
    let fehler = m["fehler"][0].as_str().expect("text");
    assert!(fehler.contains("content/projekte/hoffest.md:"), "{fehler}");
    assert!(fehler.contains("Fehler"), "German diagnostic: {fehler}");
    assert_eq!(
        m["stand"].as_u64(),
        Some(gut),
        "the good version is still served"
    );
    let seite = s.get("/gwa/stadtteile/sudenburg/");
    assert_eq!(seite.status, 200);
    assert!(seite.body.contains("Hoffest"), "last good page is served");

    p.write(
        "content/projekte/hoffest.md",
        &projekt("Hoffest repariert", "sudenburg"),
    );
    let m = s.wait_for_meldung("error gone", |m| m["fehler"] == serde_json::json!([]));
    assert!(m["stand"].as_u64() > Some(gut));
    assert!(
        s.get("/gwa/stadtteile/sudenburg/")
            .body
            .contains("Hoffest repariert")
    );
}

#[test]
fn added_renamed_and_deleted_files_add_move_and_remove_pages() {
    let p = portal();
    let s = Server::start(p.root());
    assert_eq!(s.get("/gwa/projekte/2026/lesefest/").status, 404);

    p.write(
        "content/projekte/lesefest.md",
        &projekt("Lesefest", "buckau"),
    );
    s.wait_for("/gwa/projekte/2026/lesefest/", "new page", |r| {
        r.status == 200
    });
    assert!(s.get("/gwa/stadtteile/buckau/").body.contains("Lesefest"));

    std::fs::rename(
        p.path("content/projekte/lesefest.md"),
        p.path("content/projekte/vorlesefest.md"),
    )
    .expect("rename");
    s.wait_for("/gwa/projekte/2026/vorlesefest/", "renamed page", |r| {
        r.status == 200
    });
    assert_eq!(s.get("/gwa/projekte/2026/lesefest/").status, 404);

    p.remove("content/projekte/vorlesefest.md");
    let weg = s.wait_for("/gwa/projekte/2026/vorlesefest/", "page gone", |r| {
        r.status == 404
    });
    assert!(weg.body.contains("lang=\"de\""), "the portal's 404 page");
    assert!(!s.get("/gwa/stadtteile/buckau/").body.contains("Lesefest"));
}

#[test]
fn a_save_through_a_temporary_file_and_rename_is_seen() {
    let p = portal();
    let s = Server::start(p.root());
    assert!(
        s.get("/gwa/projekte/2026/hoffest/")
            .body
            .contains("Hoffest")
    );
    // What many editors do: write a temporary file beside it, then rename it over.
    let tmp = p.path("content/projekte/.hoffest.md.tmp");
    std::fs::write(&tmp, projekt("Hoffest mit Flohmarkt", "sudenburg")).expect("write");
    std::fs::rename(&tmp, p.path("content/projekte/hoffest.md")).expect("rename");
    s.wait_for("/gwa/projekte/2026/hoffest/", "renamed-over file", |r| {
        r.body.contains("Hoffest mit Flohmarkt")
    });
}

#[test]
fn changed_templates_and_portal_yaml_change_the_pages() {
    let p = portal();
    let s = Server::start(p.root());
    assert!(s.get("/gwa/").body.contains("Testportal"));

    p.write(
        "portal.yaml",
        &common::PORTAL_YAML.replace("Testportal", "Neuer Portaltitel"),
    );
    s.wait_for("/gwa/stadtteile/", "new title from portal.yaml", |r| {
        r.body.contains("Neuer Portaltitel")
    });

    // A theme that overrides one template: the footer of every page.
    let base =
        std::fs::read_to_string(common::repo_root().join("themes/default/templates/base.html"))
            .expect("base.html");
    let geaendert = base.replace(
        "</footer>",
        "<p>Fußzeile aus dem eigenen Theme</p></footer>",
    );
    assert_ne!(base, geaendert, "base.html has a footer");
    p.write("themes/default/templates/base.html", &geaendert);
    s.wait_for("/gwa/projekte/2026/hoffest/", "changed template", |r| {
        r.body.contains("Fußzeile aus dem eigenen Theme")
    });
}

#[test]
fn a_portal_broken_from_the_start_is_explained_and_served_once_fixed() {
    let p = TestPortal::new().file("content/projekte/kaputt.md", "---\ntitel: [\n---\n");
    let s = Server::start(p.root());
    let r = s.get("/gwa/");
    assert_eq!(r.status, 503);
    assert!(r.body.contains("/__quartier/vorschau.js"));
    let m = s.meldung();
    assert_eq!(m["stand"], 0);
    assert!(
        m["fehler"][0]
            .as_str()
            .unwrap_or("")
            .contains("content/projekte/kaputt.md")
    );

    p.write("content/projekte/kaputt.md", &projekt("Heile", "buckau"));
    s.wait_for("/gwa/projekte/2026/kaputt/", "fixed portal", |r| {
        r.status == 200 && r.body.contains("Heile")
    });
}

#[test]
fn no_path_outside_the_output_is_reachable() {
    let p = portal()
        .file("content/dateien/plan.txt", "Plan\n")
        .file("geheim.txt", "GEHEIM\n");
    // A file outside the site root, and a link to it from the content files (loading
    // reports it and leaves it out).
    let draussen = tempfile::tempdir().expect("temp dir");
    std::fs::write(draussen.path().join("geheim.txt"), "GEHEIM\n").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        draussen.path().join("geheim.txt"),
        p.path("content/dateien/link.txt"),
    )
    .expect("symlink");
    let s = Server::start(p.root());
    let m = s.meldung();
    assert!(
        m["fehler"].to_string().contains("content/dateien/link.txt"),
        "the link out of the portal is reported: {m}"
    );
    // The symlink is an error, so fix the portal by removing it, then probe.
    std::fs::remove_file(p.path("content/dateien/link.txt")).expect("remove");
    s.wait_for_meldung("portal fixed", |m| m["fehler"] == serde_json::json!([]));
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        draussen.path().join("geheim.txt"),
        p.path("content/dateien/link.txt"),
    )
    .expect("symlink");
    s.wait_for_meldung("link reported again", |m| {
        m["fehler"].to_string().contains("content/dateien/link.txt")
    });
    assert_eq!(s.get("/gwa/dateien/plan.txt").body, "Plan\n");
    for target in [
        "/gwa/../geheim.txt",
        "/gwa/%2e%2e/geheim.txt",
        "/gwa/%2E%2E/geheim.txt",
        "/gwa/..%2fgeheim.txt",
        "/gwa/dateien/..%2f..%2fgeheim.txt",
        "/gwa/dateien/%2e%2e/%2e%2e/geheim.txt",
        "/gwa/dateien/..%5c..%5cgeheim.txt",
        "/gwa//etc/passwd",
        "/gwa/%2fetc%2fpasswd",
        "/gwa/dateien/link.txt",
        "/gwa/portal.yaml",
        "/gwa/content/dateien/plan.txt",
        "/gwa/dateien/plan.txt%00.html",
        "/../../../../etc/passwd",
        "/etc/passwd",
    ] {
        let r = s.get(target);
        assert!(
            !r.body.contains("GEHEIM") && !r.body.contains("root:"),
            "{target} leaked a file"
        );
        assert_eq!(r.status, 404, "{target}");
        assert!(
            r.body.contains("lang=\"de\""),
            "{target}: the portal's 404 page"
        );
    }
}

#[test]
fn content_types_and_redirects_are_those_of_a_plain_web_server() {
    let p = portal().file("content/dateien/plan.pdf", "%PDF-1.4\n%%EOF\n");
    let s = Server::start(p.root());
    for (target, typ) in [
        ("/gwa/", "text/html; charset=utf-8"),
        ("/gwa/css/quartier.css", "text/css; charset=utf-8"),
        ("/gwa/termine.ics", "text/calendar; charset=utf-8"),
        ("/gwa/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/gwa/daten/projekte.csv", "text/csv; charset=utf-8"),
        (
            "/gwa/daten/projekte.geojson",
            "application/geo+json; charset=utf-8",
        ),
        ("/gwa/dateien/plan.pdf", "application/pdf"),
        (
            "/gwa/oparl/v1/system.json",
            "application/json; charset=utf-8",
        ),
        (
            "/gwa/suche/index/meta.json",
            "application/json; charset=utf-8",
        ),
    ] {
        let r = s.get(target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("content-type"), Some(typ), "{target}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{target}"
        );
    }
    let r = s.get("/");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/gwa/"));
    let r = s.get("/gwa/stadtteile");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/gwa/stadtteile/"));
    assert_eq!(s.get("/gwa/stadtteile/index.html").status, 200);
}

#[test]
fn many_concurrent_requests_are_all_answered() {
    let p = portal();
    let s = Server::start(p.root());
    let targets = [
        "/gwa/",
        "/gwa/stadtteile/sudenburg/",
        "/gwa/css/quartier.css",
        "/gwa/termine.ics",
        "/gwa/gibt-es-nicht/",
    ];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..200)
            .map(|i| {
                let s = &s;
                scope.spawn(move || s.get(targets[i % targets.len()]).status)
            })
            .collect();
        for (i, h) in handles.into_iter().enumerate() {
            let expected = if i % targets.len() == 4 { 404 } else { 200 };
            assert_eq!(h.join().expect("thread"), expected);
        }
    });
    assert_eq!(s.get("/gwa/").status, 200, "still up");
}

#[test]
fn serve_listens_on_loopback_only_unless_told() {
    let p = portal();
    let s = Server::start(p.root());
    assert!(s.host.starts_with("127.0.0.1:"), "{}", s.host);
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port().to_string();
    let p = portal();
    let out = Command::new(env!("CARGO_BIN_EXE_quartier"))
        .args(["serve", "--port", &port, "--root"])
        .arg(p.root())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--port"), "{stderr}");
}
