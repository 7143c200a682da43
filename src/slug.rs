//! Slugs: the lower-case ASCII names that identify entities and form their URLs.

/// Derives a slug from a title or name as the content model prescribes: German letters
/// are transliterated (ä→ae, ö→oe, ü→ue, ß→ss), everything else that is not `a-z0-9`
/// folds to `-`, and runs of `-` collapse.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    let push = |out: &mut String, s: &str, pending: &mut bool| {
        if *pending && !out.is_empty() {
            out.push('-');
        }
        *pending = false;
        out.push_str(s);
    };
    for c in text.chars() {
        let lower: String = c.to_lowercase().collect();
        match lower.as_str() {
            "ä" => push(&mut out, "ae", &mut pending_dash),
            "ö" => push(&mut out, "oe", &mut pending_dash),
            "ü" => push(&mut out, "ue", &mut pending_dash),
            "ß" | "ẞ" => push(&mut out, "ss", &mut pending_dash),
            s if s.len() == 1 && s.as_bytes()[0].is_ascii_alphanumeric() => {
                push(&mut out, s, &mut pending_dash)
            }
            _ => pending_dash = true,
        }
    }
    out
}

/// Whether `s` is a well-formed slug: `a-z0-9` in groups joined by single dashes.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_german_letters() {
        assert_eq!(slugify("Neustädter See"), "neustaedter-see");
        assert_eq!(slugify("Leipziger Straße"), "leipziger-strasse");
        assert_eq!(slugify("Großer Silberberg"), "grosser-silberberg");
        assert_eq!(slugify("Sülzegrund"), "suelzegrund");
        assert_eq!(slugify("ÖKO-Fest: Übermorgen!"), "oeko-fest-uebermorgen");
    }

    #[test]
    fn folds_everything_else_to_dashes() {
        assert_eq!(slugify("  Kiez — Fest  2026 "), "kiez-fest-2026");
        assert_eq!(slugify("Café am See"), "caf-am-see");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn validates_slugs() {
        assert!(is_valid("sudenburg"));
        assert!(is_valid("ag-gwa-2"));
        assert!(!is_valid("Sudenburg"));
        assert!(!is_valid("a--b"));
        assert!(!is_valid("-a"));
        assert!(!is_valid(""));
        assert!(!is_valid("straße"));
    }
}
