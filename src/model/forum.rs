use jiff::civil::{Date, Time};

use super::{Anhang, Id, Meta, Stadtteil};

/// A Stadtteilforum: a public forum organised by Dezernat VI.
#[derive(Debug, Clone)]
pub struct Forum {
    pub meta: Meta,
    pub titel: String,
    pub datum: Date,
    pub zeit: Option<Time>,
    pub ort: Option<String>,
    pub stadtteile: Vec<Id<Stadtteil>>,
    pub veranstalter: Option<String>,
    pub tagesordnung: Vec<String>,
    pub anhaenge: Vec<Anhang>,
}
