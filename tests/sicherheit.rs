//! Issue 11: the security headers. `quartier serve` sends the policy of
//! `quartier::sicherheit` on every response, and the server snippets in `server/` for
//! the city's web servers send the very same headers.

mod common;

use common::serve::Server;
use common::{TestPortal, md, repo_root};
use quartier::sicherheit::{CSP, HEADER};

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == &name.to_ascii_lowercase())
        .map(|(_, v)| v.as_str())
}

fn portal() -> TestPortal {
    TestPortal::new().file(
        "content/projekte/fest.md",
        &md(
            "titel: \"Fest\"\njahr: 2026\nstadtteile: [sudenburg]\n",
            "Ein Fest.\n",
        ),
    )
}

#[test]
fn serve_sends_the_policy_on_every_response() {
    let portal = portal();
    let server = Server::start(portal.root());
    for (target, status) in [
        ("/gwa/", 200),
        ("/gwa/projekte/2026/fest/", 200),
        ("/gwa/css/quartier.css", 200),
        ("/gwa/feed.xml", 200),
        ("/gwa/gibt-es-nicht/", 404),
        ("/gwa/stadtteile", 302),
        ("/__quartier/vorschau.js", 200),
        ("/__quartier/vorschau.css", 200),
    ] {
        let r = server.get(target);
        let (s, headers) = (r.status, r.headers);
        assert_eq!(s, status, "{target}");
        assert_eq!(
            header(&headers, "content-security-policy"),
            Some(CSP),
            "{target}"
        );
        for (name, wert) in HEADER {
            assert_eq!(header(&headers, name), Some(*wert), "{target}: {name}");
        }
    }
}

#[test]
fn the_tile_host_is_allowed_for_images_only() {
    let portal = portal().file(
        "portal.yaml",
        &format!(
            "{}karte:\n  kacheln: \"https://{{s}}.tile.example.org/{{z}}/{{x}}/{{y}}.png\"\n",
            common::PORTAL_YAML
        ),
    );
    let server = Server::start(portal.root());
    let headers = server.get("/gwa/karte/").headers;
    let csp = header(&headers, "content-security-policy").expect("CSP");
    assert_eq!(
        csp,
        CSP.replace(
            "img-src 'self' data:",
            "img-src 'self' data: https://*.tile.example.org"
        )
    );
}

#[test]
fn a_tile_address_that_could_change_the_policy_is_an_error() {
    let portal = portal().file(
        "portal.yaml",
        &format!(
            "{}karte:\n  kacheln: \"https://x.example.org; script-src *; /{{z}}/{{x}}/{{y}}.png\"\n",
            common::PORTAL_YAML
        ),
    );
    let run = portal.cli_build(&[]);
    run.assert_code(2);
    let d = run.one("K002");
    assert!(d.message.contains("Kartenkacheln"), "{}", d.message);
}

/// The value of `name` set by a line of a server snippet (`add_header Name "v"` or
/// `Header always set Name "v"`).
fn snippet_header(text: &str, name: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let rest = l
                .strip_prefix("add_header ")
                .or_else(|| l.strip_prefix("Header always set "))?;
            let rest = rest.strip_prefix(name)?.trim_start();
            let wert = rest.strip_prefix('"')?;
            Some(wert[..wert.find('"')?].to_string())
        })
        .collect()
}

#[test]
fn server_snippets_send_the_same_headers_as_serve() {
    for datei in ["server/nginx.conf", "server/apache.htaccess"] {
        let text = std::fs::read_to_string(repo_root().join(datei)).expect(datei);
        assert_eq!(
            snippet_header(&text, "Content-Security-Policy"),
            vec![CSP.to_string()],
            "{datei}"
        );
        for (name, wert) in HEADER {
            assert_eq!(
                snippet_header(&text, name),
                vec![wert.to_string()],
                "{datei}: {name}"
            );
        }
        for typ in [
            "application/geo+json",
            "text/calendar",
            "application/atom+xml",
        ] {
            assert!(text.contains(typ), "{datei}: {typ}");
        }
    }
}
