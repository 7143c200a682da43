//! Code highlighting with syntect, emitting CSS classes (no inline styles, so a strict
//! Content-Security-Policy holds). The syntax definitions are loaded on first use only:
//! a portal without code blocks never pays for them.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The prefix of every class syntect writes; `code.css` in the theme styles them.
pub const CLASS_PREFIX: &str = "c-";

/// Highlighted HTML for `code` in language `lang`, or `None` if the language is unknown.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes
        .find_syntax_by_token(lang)
        .or_else(|| syntaxes.find_syntax_by_extension(lang))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes,
        ClassStyle::SpacedPrefixed {
            prefix: CLASS_PREFIX,
        },
    );
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    #[test]
    fn highlights_yaml_with_classes() {
        let html = super::highlight("titel: Fest\njahr: 2026\n", "yaml").unwrap();
        assert!(html.contains("class=\"c-"), "{html}");
        assert!(!html.contains("style="));
        assert!(super::highlight("x", "keine-sprache").is_none());
    }
}
