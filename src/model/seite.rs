use super::Meta;

/// A plain page, published at `/{slug}/`.
#[derive(Debug)]
pub struct Seite {
    pub meta: Meta,
    pub titel: String,
    /// Position in the main navigation.
    pub menue: Option<i64>,
}
