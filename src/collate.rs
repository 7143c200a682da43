//! German collation for lists residents read ("Ö" sorts with "O").

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

static GERMAN: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    Collator::try_new(locale!("de").into(), CollatorOptions::default())
        .expect("German collation data is compiled into the binary")
});

/// Compares two strings the way a German dictionary orders them.
pub fn compare(a: &str, b: &str) -> Ordering {
    GERMAN.compare(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umlauts_sort_with_their_base_letter() {
        let mut names = vec![
            "Zipkeleben",
            "Ottersleben",
            "Öko",
            "Neustädter See",
            "Neustädter Feld",
            "Alt Olvenstedt",
            "Alte Neustadt",
        ];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(
            names,
            [
                "Alt Olvenstedt",
                "Alte Neustadt",
                "Neustädter Feld",
                "Neustädter See",
                "Öko",
                "Ottersleben",
                "Zipkeleben"
            ]
        );
    }
}
