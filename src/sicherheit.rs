//! The portal's security policy in one place: the Content-Security-Policy and the other
//! response headers that `quartier serve` sends and that the server snippets in
//! `server/` configure for the city's web servers (a test keeps them equal), and the
//! check that a URL written by an editor cannot run a script.

use crate::diagnostics::{Code, Diagnostic, Location};

/// The Content-Security-Policy every page of the portal works under: nothing inline,
/// nothing from other hosts. A portal with a tile map (`karte.kacheln`) also allows
/// images from the tile host, see [`csp`].
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The other security headers, sent with every response.
pub const HEADER: &[(&str, &str)] = &[
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=()",
    ),
    ("Cross-Origin-Opener-Policy", "same-origin"),
];

/// The policy for a portal: [`CSP`], with the tile server's host added to `img-src`
/// when `kacheln` (the tile URL template of `portal.yaml`) names a valid one.
pub fn csp(kacheln: Option<&str>) -> String {
    match kacheln.and_then(kachel_quelle) {
        Some(quelle) => CSP.replace(
            "img-src 'self' data:",
            &format!("img-src 'self' data: {quelle}"),
        ),
        None => CSP.to_string(),
    }
}

/// The CSP source of a tile URL template (`https://{s}.tile.example.org/{z}/{x}/{y}.png`
/// → `https://*.tile.example.org`): scheme and host, a host label with a placeholder
/// becomes `*`. `None` unless it is an `http(s)` URL whose host is plain letters,
/// digits, dots, hyphens and placeholders, so nothing else can get into the header.
pub fn kachel_quelle(vorlage: &str) -> Option<String> {
    let (schema, rest) = vorlage.split_once("://")?;
    let schema = schema.to_ascii_lowercase();
    if schema != "https" && schema != "http" {
        return None;
    }
    let ende = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let autoritaet = &rest[..ende];
    let (host, port) = match autoritaet.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => (h, Some(p)),
        Some(_) => return None,
        None => (autoritaet, None),
    };
    if host.is_empty() {
        return None;
    }
    let mut labels = Vec::new();
    for label in host.split('.') {
        if label.is_empty() {
            return None;
        }
        if label.contains('{') || label.contains('}') {
            let ohne = label
                .replace("{s}", "")
                .replace("{r}", "")
                .replace("{z}", "")
                .replace("{x}", "")
                .replace("{y}", "");
            if !ohne.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return None;
            }
            labels.push("*".to_string());
        } else if label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            labels.push(label.to_ascii_lowercase());
        } else {
            return None;
        }
    }
    // A wildcard is only allowed as the leftmost label in CSP.
    if labels.iter().skip(1).any(|l| l == "*") || labels.len() < 2 && labels[0] == "*" {
        return None;
    }
    let mut quelle = format!("{schema}://{}", labels.join("."));
    if let Some(p) = port {
        quelle.push(':');
        quelle.push_str(p);
    }
    Some(quelle)
}

/// The scheme a browser would see in `url`, lower case (`javascript` for
/// `" jav&#x09;ascript:…"` once the entity is decoded): browsers drop leading and
/// trailing spaces and control characters and every tab and newline before they read
/// the scheme, so this does too. `None` for a relative URL.
pub fn schema(url: &str) -> Option<String> {
    let bereinigt: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (s, _) = bereinigt.split_once(':')?;
    let gueltig = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    gueltig.then(|| s.to_ascii_lowercase())
}

/// Whether an editor's link may stay: relative, or `http`, `https`, `mailto`, `tel`.
/// Everything else (`javascript:`, `vbscript:`, `data:`, …) could run a script or
/// show a page the portal does not vouch for.
pub fn url_erlaubt(url: &str) -> bool {
    match schema(url) {
        None => !url.chars().any(|c| c.is_control()),
        Some(s) => matches!(s.as_str(), "http" | "https" | "mailto" | "tel"),
    }
}

/// File endings a browser opens as a document that can run scripts: never published
/// from `content/dateien/` or `content/daten/`.
const AUSFUEHRBAR: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "js", "mjs", "xsl", "xslt",
];

/// What in an SVG or XML file could run a script when the file is opened at its own
/// address (it is published under the portal's origin).
fn skript_in_markup(text: &str) -> Option<&'static str> {
    let klein = text.to_ascii_lowercase();
    if klein.contains("<script") || klein.contains(":script") {
        return Some("ein <script>-Element");
    }
    if klein.contains("javascript:") || klein.contains("vbscript:") {
        return Some("eine javascript:-Adresse");
    }
    if klein.contains("<foreignobject")
        || klein.contains("<iframe")
        || klein.contains("<embed")
        || klein.contains("<object")
    {
        return Some("eingebettetes HTML (foreignObject, iframe, embed oder object)");
    }
    if klein.contains("<?xml-stylesheet") {
        return Some("ein Stylesheet (xml-stylesheet)");
    }
    // An event handler attribute: ` onload=`, `\tonclick =`.
    let bytes = klein.as_bytes();
    for (i, _) in klein.match_indices("on") {
        let davor = i.checked_sub(1).map(|j| bytes[j]);
        if !matches!(
            davor,
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'"' | b'\'')
        ) {
            continue;
        }
        let rest = &klein[i + 2..];
        let name_ende = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        if name_ende > 0 && rest[name_ende..].trim_start().starts_with('=') {
            return Some("ein Ereignis-Attribut (on…=)");
        }
    }
    None
}

/// Files under `content/dateien/` and `content/daten/` are published unchanged under
/// the portal's address: one that a browser would run as a page with scripts (HTML,
/// JavaScript, an SVG or XML file with a script or event handler) is withheld, with a
/// warning, so the rest of the portal is still published. Checked once, when loading
/// finds the file (`serve` keeps what loading found while no file changes).
pub fn pruefe_datei(d: &mut crate::model::Datei) -> Option<Diagnostic> {
    if !d.veroeffentlicht() {
        return None;
    }
    let endung = d.endung();
    let grund = if AUSFUEHRBAR.contains(&endung.as_str()) {
        format!("ist eine .{endung}-Datei, die der Browser als Seite mit Skripten öffnet")
    } else if matches!(endung.as_str(), "svg" | "xml") {
        let text = std::fs::read(&d.quelle).ok()?;
        format!(
            "enthält {}",
            skript_in_markup(&String::from_utf8_lossy(&text))?
        )
    } else {
        return None;
    };
    d.gesperrt = true;
    Some(
        Diagnostic::new(
            Code::SkriptInDatei,
            format!("die Datei '{}' {grund} und wird nicht veröffentlicht", d.pfad),
        )
        .at(Location::file(format!("content/{}", d.pfad)))
        .hint("Das Portal veröffentlicht keine Dateien, die Skripte ausführen können; Verweise darauf führen ins Leere. Speichern Sie Dokumente als PDF; entfernen Sie aus SVG-Grafiken Skripte, Ereignis-Attribute und Links mit javascript: (z. B. in Inkscape mit „Optimiertes SVG“)."),
    )
}

/// The attributes of an HTML tag (the text after its name), names in lower case, values
/// as written: read the way a browser splits them, for the checks of raw HTML and of the
/// built pages.
pub fn attribute(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() || s.starts_with('>') {
            return out;
        }
        let name_ende = s
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(s.len())
            .max(1.min(s.len()));
        let name = s[..name_ende].to_ascii_lowercase();
        s = s[name_ende..].trim_start();
        let mut wert = String::new();
        if let Some(r) = s.strip_prefix('=') {
            let r = r.trim_start();
            let (w, weiter) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &r[1..];
                    let e = inner.find(q).unwrap_or(inner.len());
                    (&inner[..e], &inner[(e + 1).min(inner.len())..])
                }
                _ => {
                    let e = r
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(r.len());
                    (&r[..e], &r[e..])
                }
            };
            wert = w.to_string();
            s = weiter;
        }
        out.push((name, wert));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_host_goes_into_img_src() {
        let p = csp(Some("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"));
        assert!(
            p.contains("img-src 'self' data: https://*.tile.openstreetmap.org;"),
            "{p}"
        );
        assert_eq!(csp(None), CSP);
        assert_eq!(
            kachel_quelle("https://tiles.example.org:8443/{z}/{x}/{y}.png").as_deref(),
            Some("https://tiles.example.org:8443")
        );
    }

    #[test]
    fn nothing_but_a_host_gets_into_the_header() {
        for boese in [
            "https://x.org; script-src *; /{z}/{x}/{y}",
            "https://x.org'/{z}",
            "javascript:alert(1)",
            "https://{s}/{z}",
            "https://a.{s}.org/{z}",
            "https://a b.org/{z}",
            "https://x.org:abc/{z}",
        ] {
            assert_eq!(kachel_quelle(boese), None, "{boese}");
            assert_eq!(csp(Some(boese)), CSP, "{boese}");
        }
    }

    #[test]
    fn scripts_in_svg_are_found() {
        for boese in [
            "<svg><script>alert(1)</script></svg>",
            "<svg onload=alert(1)></svg>",
            "<svg><rect\n  onclick = \"x\"/></svg>",
            "<svg><a xlink:href=\"javascript:alert(1)\"/></svg>",
            "<svg><foreignObject><p>x</p></foreignObject></svg>",
            "<svg xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:script>x</h:script></svg>",
        ] {
            assert!(skript_in_markup(boese).is_some(), "{boese}");
        }
        for gut in [
            "<svg viewBox=\"0 0 1 1\"><title>Balkone on top</title><path d=\"M0 0\" font=\"x\"/></svg>",
            "<svg><text>Kommunikation = gut</text></svg>",
        ] {
            assert_eq!(skript_in_markup(gut), None, "{gut}");
        }
    }

    #[test]
    fn obfuscated_schemes_are_seen() {
        for url in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "jav\tascript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
        ] {
            assert!(!url_erlaubt(url), "{url:?}");
        }
        for url in [
            "https://example.org/",
            "mailto:a@example.org",
            "/stadtteile/",
            "plan.pdf",
            "#x",
        ] {
            assert!(url_erlaubt(url), "{url:?}");
        }
    }
}
