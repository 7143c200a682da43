//! Issue 11: the security headers. `quartier serve` sends the policy of
//! `quartier::sicherheit` on every response, and the server snippets in `server/` for
//! the city's web servers send the very same headers.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{TestPortal, md, repo_root};
use quartier::sicherheit::{CSP, HEADER};

/// A running `quartier serve`, stopped when dropped.
struct Server {
    child: Child,
    host: String,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quartier"))
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .env("NO_COLOR", "1")
            .spawn()
            .expect("start quartier serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        let host = line
            .trim()
            .strip_prefix("Vorschau: http://")
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Server { child, host }
    }

    /// The response head of a GET of `target`: status and headers (names in lower case).
    fn head(&self, target: &str) -> (u16, Vec<(String, String)>) {
        let mut stream = TcpStream::connect(&self.host).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host
        )
        .expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read");
        let text = String::from_utf8_lossy(&raw);
        let head = text.split("\r\n\r\n").next().unwrap_or("");
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status");
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        (status, headers)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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
        let (s, headers) = server.head(target);
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
    let (_, headers) = server.head("/gwa/karte/");
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
