//! Helpers shared by the integration tests: purpose-made portals in temporary folders,
//! builds through the library and the binary, parsed diagnostics, HTML inspection and a
//! small link checker.
//!
//! Every test binary compiles this module on its own and uses a different part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use scraper::{ElementRef, Html, Node, Selector};

pub mod serve;

/// "Today" for every build of the suite, so results do not depend on the day CI runs.
pub const HEUTE: &str = "2026-11-25";

pub fn heute() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 25)
}

/// The smallest valid `portal.yaml`; its base path is `/gwa/`.
pub const PORTAL_YAML: &str = "titel: \"Testportal\"\n\
                               stadt: \"Teststadt\"\n\
                               base_url: \"https://example.org/gwa/\"\n";

/// The repository root: the Magdeburg example portal.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------
// Purpose-made portals
// ---------------------------------------------------------------------------------------

/// A portal in a temporary folder, deleted when the value is dropped.
pub struct TestPortal {
    dir: tempfile::TempDir,
}

impl TestPortal {
    /// `portal.yaml` and an empty `content/`.
    pub fn empty() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("quartier-test-")
            .tempdir()
            .expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("content/");
        let p = TestPortal { dir };
        p.write("portal.yaml", PORTAL_YAML);
        p
    }

    /// A minimal valid portal with the Stadtteile `sudenburg` and `buckau`.
    pub fn new() -> Self {
        TestPortal::empty()
            .file("content/stadtteile/sudenburg.yaml", "name: \"Sudenburg\"\n")
            .file("content/stadtteile/buckau.yaml", "name: \"Buckau\"\n")
    }

    /// Adds (or replaces) a text file, path relative to the site root.
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text);
        self
    }

    /// Adds (or replaces) a binary file.
    pub fn bytes(self, rel: &str, bytes: &[u8]) -> Self {
        self.write_bytes(rel, bytes);
        self
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, bytes).expect("write file");
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).expect("remove file");
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read file")
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The default output folder `<root>/public`.
    pub fn public(&self) -> PathBuf {
        self.path("public")
    }

    /// Library options with "today" pinned.
    pub fn options(&self) -> quartier::Options {
        let mut o = quartier::Options::new(self.root());
        o.heute = Some(heute());
        o
    }

    /// Builds with the library into `<root>/public`.
    pub fn build(&self) -> Site {
        self.build_with(|_| {})
    }

    pub fn build_with(&self, f: impl FnOnce(&mut quartier::Options)) -> Site {
        let mut o = self.options();
        f(&mut o);
        let out = o.out_dir();
        let report = quartier::build(&o);
        Site { report, out }
    }

    pub fn check(&self) -> quartier::Report {
        quartier::check(&self.options())
    }

    /// `quartier build --root <root> --heute <HEUTE> <extra…>` through the binary.
    pub fn cli_build(&self, extra: &[&str]) -> Run {
        let mut args: Vec<&OsStr> = vec![
            OsStr::new("build"),
            OsStr::new("--root"),
            self.root().as_os_str(),
            OsStr::new("--heute"),
            OsStr::new(HEUTE),
        ];
        args.extend(extra.iter().map(OsStr::new));
        quartier(&args)
    }

    /// `quartier check --root <root>` through the binary.
    pub fn cli_check(&self) -> Run {
        quartier(&[
            OsStr::new("check"),
            OsStr::new("--root"),
            self.root().as_os_str(),
        ])
    }

    /// `quartier new <args…> --root <root>` through the binary.
    pub fn cli_new(&self, args: &[&str]) -> Run {
        let mut all: Vec<&OsStr> = vec![OsStr::new("new")];
        all.extend(args.iter().map(OsStr::new));
        all.push(OsStr::new("--root"));
        all.push(self.root().as_os_str());
        quartier(&all)
    }

    /// Every file under the site root except the output, by relative path.
    pub fn sources(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(self.root())
            .into_iter()
            .filter(|(k, _)| !k.starts_with("public/") && !k.starts_with(".public"))
            .collect()
    }
}

/// A Markdown entity file: front matter and body.
pub fn md(front_matter: &str, body: &str) -> String {
    format!("---\n{front_matter}---\n{body}")
}

// ---------------------------------------------------------------------------------------
// The binary
// ---------------------------------------------------------------------------------------

/// One run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the `quartier` binary without colours. No run may panic.
pub fn quartier<S: AsRef<OsStr>>(args: &[S]) -> Run {
    quartier_in(None, args)
}

/// Like [`quartier`], in the working directory `cwd`.
pub fn quartier_in<S: AsRef<OsStr>>(cwd: Option<&Path>, args: &[S]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quartier"));
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    let output = command
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run quartier");
    let run = Run {
        code: output
            .status
            .code()
            .expect("quartier was killed by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "quartier panicked:\n{}",
        run.stderr
    );
    run
}

impl Run {
    /// The diagnostics printed on standard error.
    pub fn diags(&self) -> Vec<Diag> {
        parse_diagnostics(&self.stderr)
    }

    pub fn errors(&self) -> Vec<Diag> {
        self.diags()
            .into_iter()
            .filter(|d| d.severity == "Fehler")
            .collect()
    }

    pub fn warnings(&self) -> Vec<Diag> {
        self.diags()
            .into_iter()
            .filter(|d| d.severity == "Warnung")
            .collect()
    }

    /// The only diagnostic with this code (panics, showing stderr, if there is not
    /// exactly one).
    pub fn one(&self, code: &str) -> Diag {
        let found: Vec<Diag> = self
            .diags()
            .into_iter()
            .filter(|d| d.code == code)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected exactly one {code}, stderr:\n{}",
            self.stderr
        );
        found.into_iter().next().unwrap()
    }

    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code; stderr:\n{}", self.stderr);
        self
    }
}

/// A diagnostic as printed by the binary.
#[derive(Debug, Clone, Default)]
pub struct Diag {
    /// `Fehler` or `Warnung`.
    pub severity: String,
    /// `E020`, `W001`, `K002`, …
    pub code: String,
    pub message: String,
    /// From `--> file:line:column` or `= Datei: file`.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The offending line as shown under the location.
    pub source: Option<String>,
    pub hint: Option<String>,
    /// The whole block, for failure messages.
    pub raw: String,
}

impl Diag {
    /// `(file, line, column)`; panics if the diagnostic has no position.
    pub fn at(&self) -> (&str, usize, usize) {
        match (&self.file, self.line, self.column) {
            (Some(f), Some(l), Some(c)) => (f.as_str(), l, c),
            _ => panic!("diagnostic without --> file:line:column:\n{}", self.raw),
        }
    }

    pub fn hint(&self) -> &str {
        self.hint
            .as_deref()
            .unwrap_or_else(|| panic!("diagnostic without hint:\n{}", self.raw))
    }
}

/// Parses the rustc-style diagnostics quartier prints.
pub fn parse_diagnostics(stderr: &str) -> Vec<Diag> {
    let header = regex::Regex::new(r"^(Fehler|Warnung)\[([A-Z]\d{3})\]: (.*)$").unwrap();
    let location = regex::Regex::new(r"^\s*--> (.+):(\d+):(\d+)$").unwrap();
    let file_only = regex::Regex::new(r"^\s*= Datei: (.+)$").unwrap();
    let source = regex::Regex::new(r"^\s*(\d+) \|(?: (.*))?$").unwrap();
    let hint = regex::Regex::new(r"^\s*= Hinweis: (.*)$").unwrap();
    let mut out: Vec<Diag> = Vec::new();
    for line in stderr.lines() {
        if let Some(c) = header.captures(line) {
            out.push(Diag {
                severity: c[1].to_string(),
                code: c[2].to_string(),
                message: c[3].to_string(),
                raw: format!("{line}\n"),
                ..Diag::default()
            });
            continue;
        }
        let Some(d) = out.last_mut() else { continue };
        if line.starts_with("Abgebrochen:")
            || line.starts_with("Fertig:")
            || line.starts_with("Geprüft:")
        {
            continue;
        }
        d.raw.push_str(line);
        d.raw.push('\n');
        if let Some(c) = location.captures(line) {
            d.file = Some(c[1].to_string());
            d.line = c[2].parse().ok();
            d.column = c[3].parse().ok();
        } else if let Some(c) = file_only.captures(line) {
            d.file = Some(c[1].to_string());
        } else if let Some(c) = hint.captures(line) {
            d.hint = Some(c[1].to_string());
        } else if let Some(c) = source.captures(line)
            && d.source.is_none()
        {
            d.source = Some(c.get(2).map_or("", |m| m.as_str()).to_string());
        }
    }
    out
}

/// 1-based line and column (in characters) of the first occurrence of `needle`.
pub fn pos(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("'{needle}' not in the test input"));
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].chars().count() + 1)
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

/// The outcome of a library build.
pub struct Site {
    pub report: quartier::Report,
    pub out: PathBuf,
}

impl Site {
    /// Asserts the build succeeded and wrote its output.
    pub fn ok(self) -> Self {
        assert_eq!(
            self.report.exit_code(),
            0,
            "build failed:\n{}",
            render_report(&self.report)
        );
        assert!(self.report.written.is_some(), "nothing written");
        self
    }

    /// The rendered diagnostics, as an editor sees them.
    pub fn diagnostics(&self) -> String {
        render_report(&self.report)
    }

    /// Ids (`W004`, …) of all diagnostics of the build.
    pub fn codes(&self) -> Vec<&'static str> {
        self.report
            .diagnostics
            .iter()
            .map(|d| d.code.id())
            .collect()
    }

    /// The file a page path is written to (`stadtteile/x/` → `stadtteile/x/index.html`).
    pub fn file_of(&self, page: &str) -> PathBuf {
        let page = page.trim_start_matches('/');
        if page.is_empty() || page.ends_with('/') {
            self.out.join(format!("{page}index.html"))
        } else {
            self.out.join(page)
        }
    }

    pub fn exists(&self, page: &str) -> bool {
        self.file_of(page).is_file()
    }

    pub fn read(&self, page: &str) -> String {
        let path = self.file_of(page);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn page(&self, page: &str) -> Page {
        Page::parse(page, &self.read(page))
    }

    /// Relative paths (with `/`) of every HTML file written.
    pub fn html_files(&self) -> Vec<String> {
        snapshot_paths(&self.out)
            .into_iter()
            .filter(|p| p.ends_with(".html"))
            .collect()
    }
}

pub fn render_report(report: &quartier::Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| d.render(false))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A parsed HTML page.
pub struct Page {
    /// The page's path as asked for (`stadtteile/sudenburg/`).
    pub path: String,
    pub source: String,
    pub html: Html,
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

impl Page {
    pub fn parse(path: &str, source: &str) -> Page {
        Page {
            path: path.to_string(),
            source: source.to_string(),
            html: Html::parse_document(source),
        }
    }

    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        let s = sel(css);
        self.html.select(&s).collect()
    }

    /// The only element matching `css`.
    pub fn one(&self, css: &str) -> ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(
            found.len(),
            1,
            "{}: expected exactly one '{css}', found {}",
            self.path,
            found.len()
        );
        found[0]
    }

    pub fn has(&self, css: &str) -> bool {
        !self.select(css).is_empty()
    }

    /// Visible text of the whole page, whitespace normalised.
    pub fn text(&self) -> String {
        text(self.html.root_element())
    }

    /// Visible text of `<main>`.
    pub fn main_text(&self) -> String {
        text(self.one("main"))
    }
}

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// Visible text of an element: block elements separate words, whitespace is normalised.
pub fn text(el: ElementRef<'_>) -> String {
    text_without(el, &[])
}

/// Like [`text`], leaving out elements that match any of `skip` (CSS selectors).
pub fn text_without(el: ElementRef<'_>, skip: &[&str]) -> String {
    let skip: Vec<Selector> = skip.iter().map(|s| sel(s)).collect();
    let mut out = String::new();
    collect_text(el, &skip, &mut out);
    normalize(&out)
}

fn collect_text(el: ElementRef<'_>, skip: &[Selector], out: &mut String) {
    for child in el.children() {
        if let Some(c) = ElementRef::wrap(child) {
            let name = c.value().name();
            if matches!(name, "script" | "style" | "template" | "head")
                || skip.iter().any(|s| s.matches(&c))
            {
                continue;
            }
            let block = BLOCKS.contains(&name);
            if block {
                out.push(' ');
            }
            collect_text(c, skip, out);
            if block {
                out.push(' ');
            }
        } else if let Node::Text(t) = child.value() {
            out.push_str(t);
        }
    }
}

/// Collapses every run of whitespace into one space and trims.
pub fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------

/// Every file under `dir` with its bytes, by relative path with `/`.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = rel_path(dir, entry.path());
            out.insert(rel, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

pub fn snapshot_paths(dir: &Path) -> Vec<String> {
    snapshot(dir).into_keys().collect()
}

pub fn rel_path(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

// ---------------------------------------------------------------------------------------
// The example portal, built once per test binary
// ---------------------------------------------------------------------------------------

static EXAMPLE: OnceLock<Site> = OnceLock::new();

/// The Magdeburg example portal at the repository root, built once per test binary into
/// a folder under `CARGO_TARGET_TMPDIR` (never into the repository).
pub fn example() -> &'static Site {
    EXAMPLE.get_or_init(|| {
        let out = example_out_dir("example");
        build_example_into(&out, None).ok()
    })
}

/// A fresh output folder for a build of the example, named after the test binary.
pub fn example_out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("quartier-{}", env!("CARGO_CRATE_NAME")))
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clean old output");
    }
    std::fs::create_dir_all(dir.parent().unwrap()).expect("create output parent");
    dir
}

/// Builds the example portal with the library into `out`.
pub fn build_example_into(out: &Path, base_url: Option<&str>) -> Site {
    let mut o = quartier::Options::new(repo_root());
    o.out = Some(out.to_path_buf());
    o.heute = Some(heute());
    o.base_url = base_url.map(str::to_string);
    let report = quartier::build(&o);
    Site {
        report,
        out: out.to_path_buf(),
    }
}

// ---------------------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------------------

/// One URL in a page: which element and attribute it came from.
#[derive(Debug, Clone)]
pub struct Url {
    pub tag: String,
    pub attr: &'static str,
    pub rel: Option<String>,
    pub value: String,
}

/// Every `href`, `src` and `srcset`/`action`/`poster`/`data` URL of a page.
pub fn urls(page: &Page) -> Vec<Url> {
    let mut out = Vec::new();
    for el in page.select("*") {
        let v = el.value();
        for attr in ["href", "src", "action", "poster", "data"] {
            if let Some(value) = v.attr(attr) {
                out.push(Url {
                    tag: v.name().to_string(),
                    attr,
                    rel: v.attr("rel").map(str::to_string),
                    value: value.to_string(),
                });
            }
        }
        if let Some(srcset) = v.attr("srcset") {
            for part in srcset.split(',') {
                if let Some(u) = part.split_whitespace().next() {
                    out.push(Url {
                        tag: v.name().to_string(),
                        attr: "srcset",
                        rel: None,
                        value: u.to_string(),
                    });
                }
            }
        }
    }
    out
}

/// Whether a URL points to another host (or is protocol-relative).
pub fn is_external(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("//") || lower.contains("://")
}

/// Whether a URL is followed by the browser to load something into the page (a
/// resource), rather than navigated to.
pub fn is_resource(u: &Url) -> bool {
    match u.tag.as_str() {
        "a" | "area" | "form" => false,
        "link" => !matches!(
            u.rel.as_deref().map(str::to_ascii_lowercase).as_deref(),
            Some("canonical") | Some("alternate") | Some("author") | Some("license")
        ),
        _ => true,
    }
}

/// Checks every internal link of every HTML page of `site` (written under `base_path`,
/// e.g. `/gwa/`): it starts with the base path, resolves to a written file (a folder to
/// its `index.html`) and its `#fragment` names an id of the target page. Returns the
/// problems found, one line each.
pub fn check_links(site: &Site, base_path: &str) -> Vec<String> {
    let files = site.html_files();
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    let mut pages: Vec<(String, Vec<Url>)> = Vec::new();
    for f in &files {
        let page = Page::parse(f, &site.read(f));
        let page_ids: HashSet<String> = page
            .select("[id]")
            .iter()
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect();
        ids.insert(f.clone(), page_ids);
        pages.push((f.clone(), urls(&page)));
    }
    let mut problems = Vec::new();
    for (file, page_urls) in &pages {
        for u in page_urls {
            let value = u.value.trim();
            let lower = value.to_ascii_lowercase();
            if is_external(value)
                || lower.starts_with("mailto:")
                || lower.starts_with("tel:")
                || u.tag == "link" && u.rel.as_deref() == Some("canonical")
            {
                continue;
            }
            if lower.contains(':') && !lower.starts_with('/') && !lower.starts_with('#') {
                problems.push(format!("{file}: unexpected scheme in {}", u.value));
                continue;
            }
            let (path_query, fragment) = match value.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (value, None),
            };
            let path = path_query.split('?').next().unwrap_or("");
            let target = if path.is_empty() {
                file.clone()
            } else if let Some(rest) = path.strip_prefix(base_path) {
                let decoded = percent_decode(rest);
                if decoded.is_empty() || decoded.ends_with('/') {
                    format!("{decoded}index.html")
                } else {
                    decoded
                }
            } else {
                problems.push(format!(
                    "{file}: <{} {}=\"{}\"> does not start with the base path {base_path}",
                    u.tag, u.attr, u.value
                ));
                continue;
            };
            if !site.out.join(&target).is_file() {
                problems.push(format!(
                    "{file}: <{} {}=\"{}\"> points to a file that was not written ({target})",
                    u.tag, u.attr, u.value
                ));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let fragment = percent_decode(fragment);
                let known = ids.get(&target).is_some_and(|s| s.contains(&fragment));
                if !known {
                    problems.push(format!(
                        "{file}: <{} {}=\"{}\"> names #{fragment}, which is no id in {target}",
                        u.tag, u.attr, u.value
                    ));
                }
            }
        }
    }
    problems
}

/// Decodes `%XX` escapes (UTF-8).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------
// Content, read independently of quartier
// ---------------------------------------------------------------------------------------

/// A slug derived the way the content model describes it (ä→ae, ö→oe, ü→ue, ß→ss,
/// everything else that is not a-z0-9 folds to '-').
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => out.push('-'),
        }
    }
    out.split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A German sort key: umlauts sort with their base letter, case is ignored.
pub fn german_key(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// The fields of a content file: the front matter of a `.md`, the mapping of a `.yaml`
/// (a YAML list yields one mapping per entry, and `true`).
pub fn read_entities(path: &Path) -> (Vec<serde_yaml::Mapping>, bool) {
    let text = std::fs::read_to_string(path).expect("read content");
    let text = text.trim_start_matches('\u{feff}');
    let value: serde_yaml::Value = if path.extension().is_some_and(|e| e == "md") {
        let rest = text.strip_prefix("---\n").expect("front matter");
        let end = rest.find("\n---\n").expect("closed front matter");
        serde_yaml::from_str(&rest[..end + 1]).expect("front matter YAML")
    } else {
        serde_yaml::from_str(text).expect("YAML")
    };
    match value {
        serde_yaml::Value::Mapping(m) => (vec![m], false),
        serde_yaml::Value::Sequence(items) => (
            items
                .into_iter()
                .map(|v| match v {
                    serde_yaml::Value::Mapping(m) => m,
                    other => panic!("list entry is no mapping: {other:?}"),
                })
                .collect(),
            true,
        ),
        other => panic!("{}: unexpected YAML {other:?}", path.display()),
    }
}

/// Every content file of one entity folder of the example (recursively), sorted.
pub fn content_files(folder: &str) -> Vec<PathBuf> {
    let dir = repo_root().join("content").join(folder);
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.starts_with('_')
                && !name.starts_with('.')
                && (name.ends_with(".md") || name.ends_with(".yaml") || name.ends_with(".yml"))
        })
        .collect();
    files.sort();
    files
}

/// An entity of the example with its slug, read without quartier.
#[derive(Debug, Clone)]
pub struct Entity {
    pub slug: String,
    pub file: PathBuf,
    pub fields: serde_yaml::Mapping,
}

impl Entity {
    pub fn str(&self, key: &str) -> Option<String> {
        match self.fields.get(key)? {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            serde_yaml::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        match self.fields.get(key)? {
            serde_yaml::Value::Number(n) => n.as_i64(),
            serde_yaml::Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    pub fn float(&self, key: &str) -> Option<f64> {
        match self.fields.get(key)? {
            serde_yaml::Value::Number(n) => n.as_f64(),
            serde_yaml::Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    pub fn flag(&self, key: &str) -> bool {
        self.fields.get(key) == Some(&serde_yaml::Value::Bool(true))
    }

    pub fn list(&self, key: &str) -> Vec<String> {
        match self.fields.get(key) {
            Some(serde_yaml::Value::Sequence(s)) => s
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(serde_yaml::Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }
}

/// All published entities of one folder of the example (drafts left out), with slugs
/// as the content model derives them.
pub fn entities(folder: &str, title_field: &str) -> Vec<Entity> {
    let mut out = Vec::new();
    for file in content_files(folder) {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let (maps, is_list) = read_entities(&file);
        for fields in maps {
            let e = Entity {
                slug: String::new(),
                file: file.clone(),
                fields,
            };
            let slug = if is_list {
                e.str("slug")
                    .unwrap_or_else(|| slugify(&e.str(title_field).expect("title")))
            } else {
                stem.clone()
            };
            let e = Entity { slug, ..e };
            if e.flag("entwurf") {
                continue;
            }
            if folder == "vorlagen" && e.fields.get("oeffentlich") == Some(&false.into()) {
                continue;
            }
            out.push(e);
        }
    }
    out
}

/// Parses a German amount (`1.500,00 €`) into cents.
pub fn cents(amount: &str) -> i64 {
    let re = regex::Regex::new(r"^(\d{1,3}(?:\.\d{3})*),(\d{2}) €$").unwrap();
    let c = re
        .captures(amount.trim())
        .unwrap_or_else(|| panic!("'{amount}' is no German amount like 1.500,00 €"));
    let euros: i64 = c[1].replace('.', "").parse().unwrap();
    let cents: i64 = c[2].parse().unwrap();
    euros * 100 + cents
}

/// `24.11.2009`
pub fn datum(d: jiff::civil::Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

pub const WOCHENTAGE: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];

pub const MONATE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// `Dienstag, 8. Dezember 2026`
pub fn datum_lang(d: jiff::civil::Date) -> String {
    let wd = WOCHENTAGE[d.weekday().to_monday_zero_offset() as usize];
    format!(
        "{wd}, {}. {} {}",
        d.day(),
        MONATE[(d.month() - 1) as usize],
        d.year()
    )
}
