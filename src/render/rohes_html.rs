//! Raw HTML in texts of portals that allow it (`html_erlauben: true`): what it may keep,
//! and what an editor is told about the parts it may not.
//!
//! ammonia does the cleaning and says nothing about what it removed; an `<iframe>` with
//! a video or a `style` attribute would vanish without a word. So the HTML an editor
//! wrote is also read against the same rules, roughly (tag and attribute names, URL
//! schemes), for a warning that names what will be missing. The cleaning never depends
//! on that reading.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

/// URL schemes links and images may have, as in Markdown links.
const SCHEMATA: &[&str] = &["http", "https", "mailto", "tel"];

/// Attributes whose value is a URL.
const URL_ATTRIBUTE: &[&str] = &["href", "src", "cite", "longdesc"];

/// What raw HTML may keep when a portal allows it: structure and text, never scripts,
/// event handlers, styles or `javascript:` URLs. Root-relative URLs in it get the base
/// path like Markdown links; the site paths they name are returned for checking.
pub fn sanitize(html: &str, base: &str) -> (String, Vec<String>) {
    let named = Arc::new(Mutex::new(Vec::new()));
    let prefix = BasePrefix {
        base: base.to_string(),
        named: named.clone(),
    };
    let mut b = regeln();
    b.url_relative(ammonia::UrlRelative::Custom(Box::new(prefix)));
    let clean = b.clean(html).to_string();
    drop(b);
    let paths = Arc::try_unwrap(named)
        .ok()
        .and_then(|m| m.into_inner().ok())
        .unwrap_or_default();
    (clean, paths)
}

/// The rules: ammonia's defaults (text, lists, tables, links, images) and a few elements
/// and attributes of structure and accessibility.
fn regeln() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "section",
        "figure",
        "figcaption",
        "details",
        "summary",
        "mark",
        "abbr",
        "time",
    ])
    .add_generic_attributes([
        "id",
        "class",
        "role",
        "tabindex",
        "aria-label",
        "aria-hidden",
        "aria-describedby",
        "value",
    ])
    .add_tag_attributes("time", ["datetime"])
    .add_tag_attributes("td", ["colspan", "rowspan"])
    .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
    .url_schemes(SCHEMATA.iter().copied().collect())
    .link_rel(None);
    b
}

/// Puts the base path in front of root-relative URLs in sanitised HTML and remembers
/// the site paths they name.
struct BasePrefix {
    base: String,
    named: Arc<Mutex<Vec<String>>>,
}

impl<'a> ammonia::UrlRelativeEvaluate<'a> for BasePrefix {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        let rest = match url.strip_prefix('/') {
            Some(r) if !url.starts_with("//") && !url.starts_with(&self.base) => r,
            _ => return Some(Cow::Borrowed(url)),
        };
        let path = rest.split(['?', '#']).next().unwrap_or(rest);
        if let Ok(mut named) = self.named.lock() {
            named.push(path.to_string());
        }
        Some(Cow::Owned(format!("{}{rest}", self.base)))
    }
}

/// The names ammonia keeps, taken from the same rules that clean.
struct Erlaubt {
    tags: HashSet<&'static str>,
    allgemein: HashSet<&'static str>,
    je_tag: HashMap<&'static str, HashSet<&'static str>>,
}

static ERLAUBT: LazyLock<Erlaubt> = LazyLock::new(|| {
    let b = regeln();
    Erlaubt {
        tags: b.clone_tags(),
        allgemein: b.clone_generic_attributes(),
        je_tag: b.clone_tag_attributes(),
    }
});

/// What cleaning will remove from one piece of raw HTML as the Markdown parser hands it
/// over (a block, or one inline tag): elements as `<iframe>`, attributes by name,
/// URLs by scheme (`javascript:`). Each is added to `out` once.
pub fn entfernt(html: &str, out: &mut Vec<String>) {
    let erlaubt = &*ERLAUBT;
    let mut merken = |was: String| {
        if !out.contains(&was) {
            out.push(was);
        }
    };
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        let ende = rest.find('>').unwrap_or(rest.len());
        let koerper = &rest[name_len..ende];
        rest = &rest[ende..];
        let Some(tag) = erlaubt.tags.get(name.as_str()) else {
            merken(format!("<{name}>"));
            continue;
        };
        for (attribut, wert) in crate::sicherheit::attribute(koerper) {
            let bleibt = erlaubt.allgemein.contains(attribut.as_str())
                || erlaubt
                    .je_tag
                    .get(tag)
                    .is_some_and(|a| a.contains(attribut.as_str()));
            if !bleibt {
                merken(format!("{attribut}="));
            } else if URL_ATTRIBUTE.contains(&attribut.as_str())
                && let Some(schema) = crate::sicherheit::schema(&wert)
                && !SCHEMATA.contains(&schema.as_str())
            {
                merken(format!("{schema}:"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn was_fehlt(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        entfernt(html, &mut out);
        out
    }

    #[test]
    fn names_what_cleaning_removes() {
        assert_eq!(
            was_fehlt("<iframe src=\"https://video.example.org/x\"></iframe>"),
            ["<iframe>"]
        );
        assert_eq!(
            was_fehlt("<div onclick=\"alert(1)\" class='x' style=color:red>Klick</div>"),
            ["onclick=", "style="]
        );
        assert_eq!(
            was_fehlt("<a href=\"javascript:alert(1)\" title=\"t\">"),
            ["javascript:"]
        );
        assert_eq!(
            was_fehlt("<script>alert(1)</script><script>alert(2)</script>"),
            ["<script>"]
        );
        // What passes is not named: structure, links, images, closing tags, comments.
        for bleibt in [
            "<details><summary>Mehr</summary><p>Text <mark>wichtig</mark></p></details>",
            "<a href=\"https://example.org/\">x</a> <img src=\"/dateien/a.jpg\" alt=\"A\">",
            "<table><tr><td colspan=\"2\">x</td></tr></table><br/>",
            "<!-- Notiz -->",
            "a < b und b > c",
        ] {
            assert!(
                was_fehlt(bleibt).is_empty(),
                "{bleibt}: {:?}",
                was_fehlt(bleibt)
            );
        }
    }

    #[test]
    fn what_is_named_is_what_ammonia_removes() {
        let html = "<div onclick=\"x()\" class=\"k\"><iframe src=\"https://e.org\"></iframe>\
                    <a href=\"javascript:x()\">L</a></div>";
        let (clean, _) = sanitize(html, "/");
        assert_eq!(clean, "<div class=\"k\"><a>L</a></div>");
        assert_eq!(was_fehlt(html), ["onclick=", "<iframe>", "javascript:"]);
    }
}
