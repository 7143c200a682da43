//! Markdown to HTML: pulldown-cmark plus what a council portal needs.
//!
//! On top of CommonMark with tables, footnotes, strikethrough and task lists, the
//! renderer gives headings stable ids, starts body headings at `h2` (the page has the
//! `h1`), links Vorlage numbers (section 4.5 of the content model), rewrites
//! root-relative links to the base path and checks that internal links exist,
//! highlights fenced code with syntect, and keeps raw HTML out unless the portal allows
//! it (and then sanitises it with ammonia). `::: spalten` … `:::` puts the headed
//! sections between the fences side by side.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use regex::Regex;

use super::bilder::{Bilder, ist_rasterbild};
use super::highlight;
use super::rohes_html;
use super::routes::Routes;
use crate::diagnostics::{Code, Diagnostic, Location, Zeilen, closest};
use crate::model::{Datei, Id, Markdown, Portal, TextOrigin, Vorlage, Vorlagennummer};
use crate::slug::slugify;
use crate::yaml::Part;

/// The result of rendering one Markdown text.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    /// Plain text of the first paragraph, shortened, for lists and descriptions.
    pub teaser: String,
    /// The text has a highlighted code block (the page then links `code.css`).
    pub hat_code: bool,
    /// The portal's Vorlagen the text links to (numbers in running text and links to a
    /// Vorlage's page or files), in id order without repeats: their pages list the text
    /// under "Erwähnt in".
    pub vorlagen: Vec<Id<Vorlage>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Links into a folder whose files are made after the texts (the OParl export of a
    /// build, see [`Routes::add_bereich`]): each file with the problem to report if it is
    /// not among them.
    pub offen: Vec<(String, Diagnostic)>,
}

impl Rendered {
    /// No text.
    pub const LEER: Rendered = Rendered {
        html: String::new(),
        teaser: String::new(),
        hat_code: false,
        vorlagen: Vec::new(),
        diagnostics: Vec::new(),
        offen: Vec::new(),
    };
}

/// Renders Markdown for one portal.
pub struct MarkdownRenderer<'a> {
    pub portal: &'a Portal,
    pub routes: &'a Routes,
    /// The processed photos: an image pointing at one becomes a `<picture>`.
    pub bilder: &'a Bilder,
    /// Code blocks highlighted by an earlier build.
    pub code: &'a highlight::Codevorrat,
}

/// `I0264/09`, `I 0126/09`, `DS0123/24`, `A0171/22`; a space only after a single letter
/// (so "WS 2022/23" is not taken for a Vorlage).
static VORLAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:[A-Z]{1,4}|[A-Z] )\d{4}/\d{2}\b").expect("valid regex"));

const CONTAINERS: &[&str] = &["spalten", "hinweis"];
const OPEN_MARKER: &str = "<!--quartier:open:";
const CLOSE_MARKER: &str = "<!--quartier:close-->";

impl MarkdownRenderer<'_> {
    /// Renders `md` as shown on the page at `page` (a path like `projekte/2025/x/`, for
    /// relative links). `prefix` keeps ids unique when a page shows several texts.
    pub fn render(&self, md: &Markdown, page: &str, prefix: &str) -> Rendered {
        let prepared = prepare(md.text());
        let options = optionen();
        let events: Vec<(Event, Range<usize>)> = Parser::new_ext(&prepared.text, options)
            .into_offset_iter()
            .collect();
        let min_level = events
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
                _ => None,
            })
            .min()
            .unwrap_or(2);
        let mut state = State {
            r: self,
            md,
            prepared: &prepared,
            page,
            prefix,
            shift: 2usize.saturating_sub(min_level),
            out: Vec::with_capacity(events.len()),
            rendered: Rendered::default(),
            link_stack: Vec::new(),
            code: None,
            heading: None,
            footnote: None,
            footnote_defs: Vec::new(),
            footnote_numbers: HashMap::new(),
            footnote_refs: HashMap::new(),
            containers: Vec::new(),
            ids: HashMap::new(),
            nesting: 0,
            teaser: None,
            teaser_done: false,
            image_alt: None,
            bild_lokal: None,
            warned_html: false,
            html_entfernt: None,
            table: Table::default(),
            zeilen: OnceCell::new(),
        };
        for (event, range) in events {
            state.event(event, range);
        }
        state.finish()
    }
}

/// The text with `:::` fences replaced by HTML comment markers (which CommonMark treats
/// as HTML blocks that may interrupt a paragraph), and how offsets moved.
struct Prepared {
    text: String,
    /// `(offset in new text, new - old)` from that offset on.
    shifts: Vec<(usize, isize)>,
}

impl Prepared {
    fn original(&self, offset: usize) -> usize {
        let delta = self
            .shifts
            .iter()
            .take_while(|(at, _)| *at <= offset)
            .last()
            .map_or(0, |(_, d)| *d);
        (offset as isize - delta).max(0) as usize
    }
}

/// The Markdown of `text` with the container lines (`::: spalten` … `:::`) turned into
/// HTML comments, for readers of the text other than the page renderer (the PDFs).
pub(super) fn ohne_container(text: &str) -> String {
    prepare(text).text
}

/// The Markdown extensions every text is read with.
pub(super) fn optionen() -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    options.remove(Options::ENABLE_SMART_PUNCTUATION);
    options
}

fn prepare(text: &str) -> Prepared {
    if !text.contains(":::") {
        return Prepared {
            text: text.to_string(),
            shifts: Vec::new(),
        };
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut shifts = Vec::new();
    let mut delta: isize = 0;
    let mut fence: Option<(char, usize)> = None;
    let mut open = 0usize;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let ending = &line[content.len()..];
        let indent = content.len() - content.trim_start_matches(' ').len();
        let trimmed = content.trim();
        if indent <= 3 {
            let first = trimmed.chars().next();
            if let Some(c @ ('`' | '~')) = first {
                let count = trimmed.chars().take_while(|x| *x == c).count();
                match fence {
                    None if count >= 3 => fence = Some((c, count)),
                    Some((fc, fcount))
                        if fc == c && count >= fcount && trimmed.chars().all(|x| x == c) =>
                    {
                        fence = None
                    }
                    _ => {}
                }
            }
        }
        let replacement = if fence.is_none() && indent <= 3 && trimmed.starts_with(":::") {
            let name = trimmed.trim_start_matches(':').trim();
            if name.is_empty() && open > 0 {
                open -= 1;
                Some(CLOSE_MARKER.to_string())
            } else if CONTAINERS.contains(&name) {
                open += 1;
                Some(format!("{OPEN_MARKER}{name}-->"))
            } else {
                None
            }
        } else {
            None
        };
        match replacement {
            Some(r) => {
                out.push_str(&r);
                out.push_str(ending);
                delta += r.len() as isize - content.len() as isize;
                shifts.push((out.len(), delta));
            }
            None => out.push_str(line),
        }
    }
    Prepared { text: out, shifts }
}

/// Where the renderer is in a table: cells are written with classes instead of the
/// `style="text-align: …"` pulldown-cmark would write, so a strict CSP holds.
#[derive(Default)]
struct Table {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

#[derive(PartialEq)]
enum Container {
    Spalten {
        column_open: bool,
        level: Option<HeadingLevel>,
    },
    Hinweis,
}

struct State<'r, 'a> {
    r: &'r MarkdownRenderer<'r>,
    md: &'r Markdown,
    prepared: &'r Prepared,
    page: &'r str,
    prefix: &'r str,
    shift: usize,
    out: Vec<Event<'a>>,
    rendered: Rendered,
    /// For each open link: whether it was kept (unsafe links are dropped).
    link_stack: Vec<bool>,
    code: Option<(String, String)>,
    heading: Option<(HeadingLevel, Option<String>, Vec<Event<'a>>, String)>,
    footnote: Option<(String, Vec<Event<'a>>)>,
    footnote_defs: Vec<(String, Vec<Event<'a>>)>,
    footnote_numbers: HashMap<String, usize>,
    footnote_refs: HashMap<String, usize>,
    containers: Vec<Container>,
    ids: HashMap<String, usize>,
    nesting: usize,
    teaser: Option<String>,
    teaser_done: bool,
    /// Alt text collected for the open image, where it starts, and whether the image
    /// is shown as a link because it lives on another host.
    image_alt: Option<(String, Range<usize>, bool)>,
    /// Inside an image of a photo under `content/dateien/`: written as a whole at its end.
    bild_lokal: Option<Id<Datei>>,
    table: Table,
    warned_html: bool,
    /// Where the first part of raw HTML is that cleaning will remove, and all such parts
    /// (`<iframe>`, `onclick=`, …): told once per text.
    html_entfernt: Option<(Location, Vec<String>)>,
    /// Line starts of the file, once the first problem in it needs a line.
    zeilen: OnceCell<Zeilen>,
}

impl<'a> State<'_, 'a> {
    fn emit(&mut self, e: Event<'a>) {
        if let Some((_, events)) = &mut self.footnote {
            events.push(e);
        } else if let Some((_, _, events, _)) = &mut self.heading {
            events.push(e);
        } else {
            self.out.push(e);
        }
    }

    fn html(&mut self, s: String) {
        self.emit(Event::Html(CowStr::from(s)));
    }

    fn location(&self, range: &Range<usize>) -> Location {
        let start = self.prepared.original(range.start);
        let end = self.prepared.original(range.end).max(start + 1);
        locate(self.md, &self.zeilen, start, end)
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if let Some((_, code)) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                _ => {}
            }
            return;
        }
        if let Some((alt, _, _)) = &mut self.image_alt
            && let Event::Text(t) | Event::Code(t) = &event
        {
            alt.push_str(t);
        }
        if self.bild_lokal.is_some() && !matches!(event, Event::End(TagEnd::Image)) {
            return;
        }
        if let Some((_, _, _, text)) = &mut self.heading
            && let Event::Text(t) | Event::Code(t) = &event
        {
            text.push_str(t);
        }
        self.collect_teaser(&event);
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((level, id.map(|i| i.to_string()), Vec::new(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Text(text) => self.text(text),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.start_link(link_type, dest_url, title, id, &range),
            Event::End(TagEnd::Link) => {
                if self.link_stack.pop().unwrap_or(false) {
                    self.emit(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let external = is_external(&dest_url);
                if !external && let Some(id) = self.rasterbild(&dest_url) {
                    self.image_alt = Some((String::new(), range.clone(), false));
                    self.bild_lokal = Some(id);
                    return;
                }
                let dest = self.rewrite(&dest_url, &range);
                self.image_alt = Some((String::new(), range.clone(), external));
                if external {
                    // Embedding would make every visitor's browser contact that host.
                    let loc = self.location(&range);
                    self.rendered.diagnostics.push(
                        Diagnostic::new(Code::FremderInhalt, "Bild von einem fremden Server wird nur verlinkt")
                            .at(loc)
                            .hint("Das Portal lädt nichts von anderen Servern. Legen Sie das Bild unter content/dateien/ ab und verweisen Sie mit /dateien/… darauf."),
                    );
                    self.link_stack.push(dest.is_some());
                    if let Some(dest) = dest {
                        self.emit(Event::Start(Tag::Link {
                            link_type,
                            dest_url: CowStr::from(dest),
                            title,
                            id,
                        }));
                    }
                } else {
                    self.emit(Event::Start(Tag::Image {
                        link_type,
                        dest_url: CowStr::from(dest.unwrap_or_default()),
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => {
                let Some((alt, at, external)) = self.image_alt.take() else {
                    return;
                };
                if alt.trim().is_empty() {
                    let loc = self.location(&at);
                    self.rendered.diagnostics.push(
                        Diagnostic::new(Code::BildOhneAlt, "Bild im Text ohne Alternativtext")
                            .at(loc)
                            .hint("Schreiben Sie in die eckigen Klammern, was das Bild zeigt: ![Kinder beim Fest](/dateien/fest.jpg)"),
                    );
                }
                if let Some(id) = self.bild_lokal.take() {
                    let html = self.picture(id, alt.trim());
                    self.html(html);
                } else if external {
                    if self.link_stack.pop().unwrap_or(false) {
                        self.emit(Event::End(TagEnd::Link));
                    }
                } else {
                    self.emit(Event::End(TagEnd::Image));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html(html, &range),
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.nesting += 1;
                self.footnote = Some((label.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.nesting -= 1;
                if let Some(def) = self.footnote.take() {
                    self.footnote_defs.push(def);
                }
            }
            Event::TaskListMarker(done) => {
                let (symbol, text) = if done {
                    ("☑", "erledigt: ")
                } else {
                    ("☐", "offen: ")
                };
                self.html(format!(
                    "<span class=\"aufgabe\" aria-hidden=\"true\">{symbol}</span><span class=\"sr-only\">{text}</span>"
                ));
            }
            Event::Start(Tag::Table(alignments)) => {
                self.nesting += 1;
                self.html(
                    "<div class=\"tabelle\" role=\"region\" aria-label=\"Tabelle\" tabindex=\"0\">"
                        .into(),
                );
                let plain = vec![Alignment::None; alignments.len()];
                self.table = Table {
                    alignments,
                    ..Table::default()
                };
                self.emit(Event::Start(Tag::Table(plain)));
            }
            Event::End(TagEnd::Table) => {
                self.nesting -= 1;
                self.emit(Event::End(TagEnd::Table));
                self.html("</div>".into());
            }
            Event::Start(Tag::TableHead) => {
                self.table.in_head = true;
                self.table.cell = 0;
                self.emit(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                self.table.in_head = false;
                self.emit(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                self.table.cell = 0;
                self.emit(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                let class = match self.table.alignments.get(self.table.cell) {
                    Some(Alignment::Left) => " class=\"links\"",
                    Some(Alignment::Center) => " class=\"mitte\"",
                    Some(Alignment::Right) => " class=\"rechts\"",
                    _ => "",
                };
                let tag = if self.table.in_head {
                    "th scope=\"col\""
                } else {
                    "td"
                };
                self.html(format!("<{tag}{class}>"));
            }
            Event::End(TagEnd::TableCell) => {
                let tag = if self.table.in_head { "th" } else { "td" };
                self.html(format!("</{tag}>"));
                self.table.cell += 1;
            }
            Event::Start(tag @ (Tag::List(_) | Tag::BlockQuote(_) | Tag::Item)) => {
                self.nesting += 1;
                self.emit(Event::Start(tag));
            }
            Event::End(tag @ (TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::Item)) => {
                self.nesting = self.nesting.saturating_sub(1);
                self.emit(Event::End(tag));
            }
            other => self.emit(other),
        }
    }

    fn collect_teaser(&mut self, event: &Event<'_>) {
        if self.teaser_done {
            return;
        }
        match event {
            Event::Start(Tag::Paragraph) if self.nesting == 0 && self.footnote.is_none() => {
                self.teaser = Some(String::new())
            }
            Event::End(TagEnd::Paragraph) if self.teaser.is_some() => self.teaser_done = true,
            Event::Text(t) | Event::Code(t) => {
                if let Some(teaser) = &mut self.teaser {
                    teaser.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(teaser) = &mut self.teaser {
                    teaser.push(' ');
                }
            }
            _ => {}
        }
    }

    fn end_heading(&mut self) {
        let Some((level, explicit, inner, text)) = self.heading.take() else {
            return;
        };
        let level = shift_level(level, self.shift);
        if let Some(Container::Spalten {
            column_open,
            level: col_level,
        }) = self.containers.last_mut()
            && col_level.is_none_or(|l| l == level)
        {
            *col_level = Some(level);
            let close = std::mem::replace(column_open, true);
            if close {
                self.html("</section>".into());
            }
            self.html("<section class=\"spalte\">".into());
        }
        let base = explicit
            .map(|e| slugify(&e))
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| slugify(&text));
        let base = if base.is_empty() {
            "abschnitt".to_string()
        } else {
            base
        };
        let id = self.unique_id(&base);
        self.emit(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes: Vec::new(),
            attrs: Vec::new(),
        }));
        for e in inner {
            self.emit(e);
        }
        self.emit(Event::End(TagEnd::Heading(level)));
    }

    fn unique_id(&mut self, base: &str) -> String {
        let base = format!("{}{base}", self.prefix);
        let n = self.ids.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            format!("{base}-{}", *n - 1)
        }
    }

    fn end_code(&mut self) {
        let Some((lang, code)) = self.code.take() else {
            return;
        };
        let highlighted = (!lang.is_empty())
            .then(|| self.r.code.highlight(&code, &lang))
            .flatten();
        let class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", slugify(&lang))
        };
        let body = match highlighted {
            Some(h) => {
                self.rendered.hat_code = true;
                h
            }
            None => escape(&code),
        };
        self.html(format!(
            "<pre class=\"code\" tabindex=\"0\"><code{class}>{body}</code></pre>\n"
        ));
    }

    /// Links Vorlage numbers in running text, outside links.
    fn text(&mut self, text: CowStr<'a>) {
        if !self.link_stack.is_empty() || !VORLAGE.is_match(&text) {
            self.emit(Event::Text(text));
            return;
        }
        let mut last = 0;
        let owned = text.to_string();
        for m in VORLAGE.find_iter(&owned) {
            let Some(nummer) = Vorlagennummer::parse(m.as_str()) else {
                continue;
            };
            let Some(href) = self.vorlage_href(&nummer) else {
                continue;
            };
            if let Some(id) = self.r.portal.index.vorlage_by_nummer.get(nummer.as_str()) {
                self.rendered.vorlagen.push(*id);
            }
            if m.start() > last {
                self.emit(Event::Text(CowStr::from(
                    owned[last..m.start()].to_string(),
                )));
            }
            self.emit(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::from(href),
                title: CowStr::from(format!("Vorlage {nummer}")),
                id: CowStr::Borrowed(""),
            }));
            self.emit(Event::Text(CowStr::from(m.as_str().to_string())));
            self.emit(Event::End(TagEnd::Link));
            last = m.end();
        }
        if last < owned.len() {
            self.emit(Event::Text(CowStr::from(owned[last..].to_string())));
        }
    }

    fn vorlage_href(&self, nummer: &Vorlagennummer) -> Option<String> {
        let portal = self.r.portal;
        if let Some(id) = portal.index.vorlage_by_nummer.get(nummer.as_str()) {
            return Some(self.r.routes.href(&super::routes::vorlage(portal, *id)));
        }
        let template = portal.config.ratsinfo_url.as_ref()?;
        Some(template.replace("{nummer}", &nummer.as_str().replace('/', "%2F")))
    }

    fn start_link(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        range: &Range<usize>,
    ) {
        if link_type == LinkType::Email {
            self.link_stack.push(true);
            self.emit(Event::Start(Tag::Link {
                link_type,
                dest_url: dest,
                title,
                id,
            }));
            return;
        }
        // A link to a photo that is published only processed: its largest JPEG.
        let foto = (!is_external(&dest))
            .then(|| self.rasterbild(&dest))
            .flatten()
            .filter(|id| !self.r.bilder.unveraendert(self.r.portal, *id));
        let href = match foto {
            Some(id) => Some(match self.r.bilder.bild(id) {
                Some(b) => self.r.routes.href(&b.groesste().jpeg),
                // Not processed (in `check`, or broken and reported by the image stage).
                None => self.r.routes.href(&self.r.portal[id].pfad),
            }),
            None => self.rewrite(&dest, range),
        };
        match href {
            Some(href) => {
                self.link_stack.push(true);
                self.emit(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(href),
                    title,
                    id,
                }));
            }
            None => self.link_stack.push(false),
        }
    }

    /// The href to write for a link target, after checking it; `None` drops an unsafe
    /// link (its text stays).
    fn rewrite(&mut self, dest: &str, range: &Range<usize>) -> Option<String> {
        let dest = dest.trim();
        if dest.is_empty() {
            return Some(String::new());
        }
        if let Some(fragment) = dest.strip_prefix('#') {
            return Some(format!("#{fragment}"));
        }
        // Read as a browser reads it: `jav&#x09;ascript:` is `javascript:`.
        if let Some(scheme) = crate::sicherheit::schema(dest) {
            if matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel") {
                return Some(dest.to_string());
            }
            let loc = self.location(range);
            self.rendered.diagnostics.push(
                Diagnostic::new(Code::LinkEntfernt, format!("Link mit unzulässigem Schema '{scheme}:' entfernt"))
                    .at(loc)
                    .hint("Erlaubt sind Links mit https://, http://, mailto: und tel: sowie Pfade im Portal."),
            );
            return None;
        }
        if dest.starts_with("//") {
            return Some(dest.to_string());
        }
        let (path_query, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let (path, query) = match path_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path_query, None),
        };
        let base = self.r.routes.base();
        let absolute = if let Some(p) = path.strip_prefix(base).filter(|_| base != "/") {
            Some(p.to_string())
        } else if let Some(p) = path.strip_prefix('/') {
            Some(p.to_string())
        } else {
            join(self.page, path)
        };
        let Some(resolved) = absolute.as_deref().and_then(|p| self.existing(p)) else {
            let d = self.toter_link(path, absolute.as_deref(), range);
            self.rendered.diagnostics.push(d);
            return Some(dest.to_string());
        };
        if let Some(datei) = self.nur_im_bereich(&resolved) {
            let d = self.toter_link(path, absolute.as_deref(), range);
            self.rendered.offen.push((datei, d));
        }
        if let Some(id) = self.vorlage_at(&resolved) {
            self.rendered.vorlagen.push(id);
        }
        let mut href = self.r.routes.href(&resolved);
        if let Some(q) = query {
            let _ = write!(href, "?{q}");
        }
        if let Some(f) = fragment {
            let _ = write!(href, "#{f}");
        }
        Some(href)
    }

    /// The problem of a link to `path` (as written; `absolute`: as a path of the site)
    /// that names no page or file.
    fn toter_link(&self, path: &str, absolute: Option<&str>, range: &Range<usize>) -> Diagnostic {
        let shown = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("{path} (von /{})", self.page)
        };
        let wanted = decode(absolute.unwrap_or(path));
        let pages: Vec<String> = self.r.routes.pages().collect();
        let hint = closest(&wanted, pages.iter().map(String::as_str))
            .map(|c| format!("meinten Sie '/{c}'?"))
            .unwrap_or_else(|| {
                "Links auf Seiten des Portals beginnen mit '/', z. B. /stadtteile/ oder /dateien/plan.pdf.".into()
            });
        Diagnostic::new(
            Code::DefekterLink,
            format!("Link auf nicht vorhandene Seite '{shown}'"),
        )
        .at(self.location(range))
        .hint(hint)
    }

    /// The file a resolved link names, if only a folder made later vouches for it.
    fn nur_im_bereich(&self, resolved: &str) -> Option<String> {
        let datei = super::routes::file_of(&decode(resolved));
        self.r.routes.nur_im_bereich(&datei).then_some(datei)
    }

    /// The Vorlage whose page or file (`vorlagen/i0264-09/…`) a site path names.
    fn vorlage_at(&self, path: &str) -> Option<Id<Vorlage>> {
        let rest = decode(path);
        let slug = rest.strip_prefix("vorlagen/")?.split('/').next()?;
        // The slug is the number in lower case with `-` for `/` and spaces (content
        // model 3.5): `i0264-09`, or `i-0126-09` for a number written `I 0126/09`.
        let (kind_number, year) = slug.rsplit_once('-')?;
        let nummer = Vorlagennummer::parse(&format!("{}/{year}", kind_number.replace('-', "")))?;
        let id = *self.r.portal.index.vorlage_by_nummer.get(nummer.as_str())?;
        (self.r.portal[id].meta.slug == slug).then_some(id)
    }

    /// The raster image under `content/dateien/` an image destination names
    /// (`/dateien/fest.jpg`, also with the base path or percent-encoded).
    fn rasterbild(&self, dest: &str) -> Option<Id<Datei>> {
        let dest = dest.trim();
        let path = dest.split(['?', '#']).next().unwrap_or(dest);
        let base = self.r.routes.base();
        let rel = path
            .strip_prefix(base)
            .filter(|_| base != "/")
            .or_else(|| path.strip_prefix('/'))
            .map(str::to_string)
            .or_else(|| join(self.page, path))?;
        let rel = crate::load::nfc(&decode(&rel)).into_owned();
        let p = self.r.portal;
        let i = p
            .dateien
            .iter()
            .position(|d| d.pfad == rel && ist_rasterbild(d))?;
        Some(Id::new(i))
    }

    /// A photo in a text: WebP and JPEG variants with `srcset`, `width` and `height`, as
    /// the theme's `bild` component writes them for `bilder`. Lazy, as texts come after
    /// a page's first picture.
    fn picture(&self, id: Id<Datei>, alt: &str) -> String {
        let routes = self.r.routes;
        let alt = escape(alt);
        let Some(bild) = self.r.bilder.bild(id) else {
            // Not processed (in `check`, or a broken file reported by the image stage).
            let src = escape(&routes.href(&self.r.portal[id].pfad));
            return format!("<img src=\"{src}\" alt=\"{alt}\" loading=\"lazy\">");
        };
        let sizes = super::views::SIZES_TEXT;
        let srcset = |f: fn(&super::bilder::Variante) -> &String| {
            bild.varianten
                .iter()
                .map(|v| format!("{} {}w", escape(&routes.href(f(v))), v.breite))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mitte = bild.mindestens(960);
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\"><img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{alt}\" loading=\"lazy\" decoding=\"async\"></picture>",
            srcset(|v| &v.webp),
            escape(&routes.href(&mitte.jpeg)),
            srcset(|v| &v.jpeg),
            mitte.breite,
            mitte.hoehe,
        )
    }

    /// The path as it exists in the output (adding a missing trailing `/` to pages).
    /// `path` may be percent-encoded (`Plan%20neu.pdf`); the result is decoded.
    fn existing(&self, path: &str) -> Option<String> {
        let routes = self.r.routes;
        // Decoded: the path of the file, which `Routes::href` encodes again; composed,
        // as the files' paths are.
        let decoded = crate::load::nfc(&decode(path)).into_owned();
        if routes.contains_file(&super::routes::file_of(&decoded)) {
            return Some(decoded);
        }
        let with_slash = format!("{decoded}/");
        routes
            .contains_file(&super::routes::file_of(&with_slash))
            .then_some(with_slash)
    }

    fn raw_html(&mut self, html: CowStr<'a>, range: &Range<usize>) {
        let trimmed = html.trim();
        if let Some(name) = trimmed
            .strip_prefix(OPEN_MARKER)
            .and_then(|r| r.strip_suffix("-->"))
        {
            let (container, tag) = match name {
                "spalten" => (
                    Container::Spalten {
                        column_open: false,
                        level: None,
                    },
                    "<div class=\"spalten\">",
                ),
                _ => (Container::Hinweis, "<div class=\"hinweis\">"),
            };
            self.containers.push(container);
            self.html(format!("{tag}\n"));
            return;
        }
        if trimmed == CLOSE_MARKER {
            if let Some(Container::Spalten {
                column_open: true, ..
            }) = self.containers.pop()
            {
                self.html("</section>".into());
            }
            self.html("</div>\n".into());
            return;
        }
        if trimmed.starts_with("<!--") && trimmed.ends_with("-->") {
            // Comments are notes among editors, not text for residents.
            return;
        }
        if self.r.portal.config.html_erlauben {
            match &mut self.html_entfernt {
                Some((_, teile)) => rohes_html::entfernt(&html, teile),
                None => {
                    let mut teile = Vec::new();
                    rohes_html::entfernt(&html, &mut teile);
                    if !teile.is_empty() {
                        self.html_entfernt = Some((self.location(range), teile));
                    }
                }
            }
            self.emit(Event::Html(html));
            return;
        }
        if matches!(
            trimmed.to_ascii_lowercase().as_str(),
            "<br>" | "<br/>" | "<br />"
        ) {
            self.emit(Event::HardBreak);
            return;
        }
        if !self.warned_html {
            self.warned_html = true;
            let loc = self.location(range);
            self.rendered.diagnostics.push(
                Diagnostic::new(Code::HtmlEscaped, "HTML im Text wird als Text angezeigt")
                    .at(loc)
                    .hint("Verwenden Sie Markdown statt HTML, oder erlauben Sie HTML mit 'html_erlauben: true' in portal.yaml."),
            );
        }
        self.emit(Event::Text(html));
    }

    fn footnote_reference(&mut self, label: &str) {
        let next = self.footnote_numbers.len() + 1;
        let n = *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert(next);
        let count = self.footnote_refs.entry(label.to_string()).or_insert(0);
        *count += 1;
        let ref_id = if *count == 1 {
            format!("{}Fnref-{n}", self.prefix)
        } else {
            format!("{}Fnref-{n}-{count}", self.prefix)
        };
        self.html(format!(
            "<sup class=\"fussnote-ref\"><a href=\"#{p}Fn-{n}\" id=\"{ref_id}\" aria-label=\"Fußnote {n}\">{n}</a></sup>",
            p = self.prefix
        ));
    }

    fn finish(mut self) -> Rendered {
        while let Some(c) = self.containers.pop() {
            if matches!(
                c,
                Container::Spalten {
                    column_open: true,
                    ..
                }
            ) {
                self.out.push(Event::Html("</section>".into()));
            }
            self.out.push(Event::Html("</div>\n".into()));
        }
        let mut html = String::with_capacity(self.md.text().len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, std::mem::take(&mut self.out).into_iter());
        let mut defs: Vec<(usize, Vec<Event>)> = Vec::new();
        let mut unreferenced = self.footnote_numbers.len();
        for (label, events) in std::mem::take(&mut self.footnote_defs) {
            let n = match self.footnote_numbers.get(&label) {
                Some(n) => *n,
                None => {
                    unreferenced += 1;
                    unreferenced
                }
            };
            defs.push((n, events));
        }
        if !defs.is_empty() {
            defs.sort_by_key(|(n, _)| *n);
            let p = self.prefix;
            let _ = write!(
                html,
                "<section class=\"fussnoten\" aria-label=\"Fußnoten\">\n<ol>\n"
            );
            for (n, events) in defs {
                let mut body = String::new();
                pulldown_cmark::html::push_html(&mut body, events.into_iter());
                let back = format!(
                    " <a href=\"#{p}Fnref-{n}\" class=\"fussnote-zurueck\" aria-label=\"Zurück zur Fußnote {n} im Text\">↩</a>"
                );
                let body = match body.trim_end().strip_suffix("</p>") {
                    Some(inner) => format!("{inner}{back}</p>"),
                    None => format!("{body}{back}"),
                };
                let _ = writeln!(html, "<li id=\"{p}Fn-{n}\" value=\"{n}\">{body}</li>");
            }
            html.push_str("</ol>\n</section>\n");
        }
        if self.r.portal.config.html_erlauben && html_tiefe(&html) > MAX_HTML_TIEFE {
            // Never unsanitised HTML; the error keeps the portal from being written.
            html = String::new();
            self.rendered.diagnostics.push(
                Diagnostic::new(
                    Code::FalscheStruktur,
                    format!("der Text ist zu tief verschachtelt (mehr als {MAX_HTML_TIEFE} Ebenen aus Zitaten, Listen und HTML-Elementen)"),
                )
                .at(locate(self.md, &self.zeilen, 0, 1))
                .hint("Schließen Sie geöffnete HTML-Elemente wieder (z. B. </div>) und verschachteln Sie Zitate und Listen nicht so tief."),
            );
        } else if self.r.portal.config.html_erlauben {
            if let Some((loc, entfernt)) = self.html_entfernt.take() {
                self.rendered.diagnostics.push(
                    Diagnostic::new(
                        Code::HtmlEntfernt,
                        format!("aus dem HTML wird entfernt: {}", entfernt.join(", ")),
                    )
                    .at(loc)
                    .hint("Auch mit 'html_erlauben: true' bleiben nur Elemente für Text, Tabellen, Links und Bilder; Skripte, eingebettete Seiten (iframe), Formulare, style- und on…-Attribute und Links, die nicht mit https://, http://, mailto: oder tel: beginnen, entfernt quartier."),
                );
            }
            let (clean, paths) = rohes_html::sanitize(&html, self.r.routes.base());
            html = clean;
            for path in paths {
                let existing = self.existing(&path);
                if let Some(id) = existing.as_deref().and_then(|p| self.vorlage_at(p)) {
                    self.rendered.vorlagen.push(id);
                }
                let spaeter = existing.as_deref().and_then(|p| self.nur_im_bereich(p));
                if existing.is_none() || spaeter.is_some() {
                    // The path as written is the best place to point at; the text's
                    // start when it was written with entities or another spelling.
                    let text = self.md.text();
                    let at = text
                        .find(&format!("/{path}"))
                        .map_or(0..1, |i| i..i + path.len() + 1);
                    let d = Diagnostic::new(
                        Code::DefekterLink,
                        format!("Link im HTML auf nicht vorhandene Seite '/{path}'"),
                    )
                    .at(locate(self.md, &self.zeilen, at.start, at.end))
                    .hint("Links auf Seiten des Portals beginnen mit '/', z. B. /stadtteile/.");
                    match spaeter {
                        Some(datei) => self.rendered.offen.push((datei, d)),
                        None => self.rendered.diagnostics.push(d),
                    }
                }
            }
        }
        self.rendered.html = html;
        self.rendered.vorlagen.sort_unstable();
        self.rendered.vorlagen.dedup();
        self.rendered.teaser = shorten(self.teaser.unwrap_or_default().trim(), 220);
        self.rendered
    }
}

/// The URL scheme of a link target (`https`, `mailto`, `javascript`), if it has one.
fn scheme(dest: &str) -> Option<&str> {
    dest.split_once(':').map(|(s, _)| s).filter(|s| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    })
}

/// A target on another host, which the browser would contact.
fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || scheme(dest).is_some_and(|s| matches!(s.to_ascii_lowercase().as_str(), "http" | "https"))
}

/// `Plan%20neu.pdf` → `Plan neu.pdf`, for looking up files.
fn decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

fn shift_level(level: HeadingLevel, shift: usize) -> HeadingLevel {
    match (level as usize + shift).min(6) {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Resolves a relative link against the directory of the page it appears on.
fn join(page: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = rel.ends_with('/') || rel.is_empty();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if trailing && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// Where a byte range of a Markdown text is in its file.
fn locate(md: &Markdown, zeilen: &OnceCell<Zeilen>, start: usize, end: usize) -> Location {
    let file = md.file.as_ref();
    match &md.origin {
        TextOrigin::Exact { offset } => {
            let zeilen = zeilen.get_or_init(|| Zeilen::of(&file.text));
            Location::in_text_mit(
                file.rel.as_str(),
                &file.text,
                zeilen,
                offset + start,
                offset + end,
            )
        }
        TextOrigin::Field { doc, path, text } => {
            // The field's value starts on this line; a block scalar (`text: |`) on the next.
            let value = doc.locate(path, Part::Value);
            let indicator = value.source_line.trim_end();
            let block =
                indicator.ends_with('|') || indicator.ends_with('>') || indicator.ends_with("|-");
            let start = start.min(text.len());
            let line = value.line + usize::from(block) + text[..start].matches('\n').count();
            let fragment = text[start..end.clamp(start, text.len())]
                .lines()
                .next()
                .unwrap_or("");
            let line_start: usize = file
                .text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum();
            let line_start = line_start.min(file.text.len());
            let line_text = file.text[line_start..].lines().next().unwrap_or("");
            let column = if fragment.is_empty() {
                None
            } else {
                line_text.find(fragment)
            };
            let at = line_start + column.unwrap_or(0);
            Location::in_text(
                file.rel.as_str(),
                &file.text,
                at,
                at + fragment.len().max(1),
            )
        }
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Shortens plain text at a word boundary.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', '-']))
}

/// How deep the elements of a text may nest when a portal allows HTML. The HTML parser
/// under ammonia takes time quadratic in the depth (10,000 nested quotes took half a
/// minute), so deeper texts are refused instead of sanitised; as deep as YAML may nest.
const MAX_HTML_TIEFE: usize = 128;

/// Elements that have no end tag or that the HTML parser closes by itself when a sibling
/// starts (`<p>`, `<li>`, …): they add no depth.
const OHNE_TIEFE: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
    "tfoot", "rt", "rp",
];

/// How deep the elements of `html` nest, as the HTML parser would open them: a start
/// tag opens an element, an end tag closes the innermost open element of its name and
/// everything inside it, an end tag without an open element is ignored. Stops counting
/// above [`MAX_HTML_TIEFE`].
fn html_tiefe(html: &str) -> usize {
    let mut offen: Vec<String> = Vec::new();
    let mut tiefste = 0;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix("!--") {
            rest = r.find("-->").map_or("", |e| &r[e + 3..]);
            continue;
        }
        let (ende, r) = match rest.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let laenge = r
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(r.len());
        if laenge == 0 || !r.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name = r[..laenge].to_ascii_lowercase();
        // `<div/>` opens a div in HTML: the slash closes only void elements and those of
        // SVG and MathML, which are counted too (an estimate from above).
        rest = &r[laenge..];
        if OHNE_TIEFE.contains(&name.as_str()) {
            continue;
        }
        if ende {
            if let Some(at) = offen.iter().rposition(|n| *n == name) {
                offen.truncate(at);
            }
        } else {
            offen.push(name);
            tiefste = tiefste.max(offen.len());
            if tiefste > MAX_HTML_TIEFE {
                break;
            }
        }
    }
    tiefste
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepares_containers_outside_code() {
        let p = prepare("::: spalten\n## A\n- x\n:::\n```\n:::\n```\n");
        assert!(p.text.starts_with(
            "<!--quartier:open:spalten-->\n## A\n- x\n<!--quartier:close-->\n```\n:::\n```"
        ));
        let open_len = "<!--quartier:open:spalten-->".len() as isize;
        assert_eq!(p.shifts[0].1, open_len - 11);
        let a = p.text.find("## A").unwrap();
        assert_eq!(p.original(a), "::: spalten\n".len());
    }

    #[test]
    fn joins_relative_links() {
        assert_eq!(
            join("projekte/2025/fest/", "../").as_deref(),
            Some("projekte/2025/")
        );
        assert_eq!(
            join("projekte/2025/fest/", "../../../dateien/a.pdf").as_deref(),
            Some("dateien/a.pdf")
        );
        assert_eq!(join("", "../x"), None);
    }

    #[test]
    fn estimates_the_depth_of_html_from_above() {
        assert_eq!(html_tiefe("<p>a<p>b<ul><li>x<li>y</ul>"), 1);
        assert_eq!(html_tiefe("<div><div></div><div></div></div>"), 2);
        // Stray end tags close nothing; `<div/>` opens a div.
        assert_eq!(html_tiefe("<div></span><div></span><div/>"), 3);
        assert_eq!(html_tiefe("<!-- <div><div> --><b>"), 1);
        assert_eq!(
            html_tiefe("<blockquote>\n".repeat(10_000).as_str()),
            MAX_HTML_TIEFE + 1
        );
    }

    #[test]
    fn shortens_at_words() {
        assert_eq!(shorten("eins zwei drei", 100), "eins zwei drei");
        assert_eq!(shorten("eins zwei drei vier", 12), "eins zwei…");
    }
}
