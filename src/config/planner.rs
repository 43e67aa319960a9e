//! `planner:` in handbook.yaml: the printable planner's settings as written. The planner module
//! resolves them against the worksheets.

use crate::dates::Date;
use crate::error::{Invalid, de_error};
use serde::{Deserialize, Serialize};

pub const DEFAULT_WEEKS: u32 = 13;
/// Two years: enough for any plan, small enough to print.
const MAX_WEEKS: u32 = 104;

/// `planner:` in `handbook.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannerConfig {
    /// The first week is the one holding this date (weeks start on Monday); default: this week.
    pub start: Option<Date>,
    pub weeks: Option<Weeks>,
    #[serde(default)]
    pub paper: Paper,
    /// Worksheet files to print, relative to `content/`, in order; default: all.
    pub include: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

/// The same margin on every side of every printed sheet, portrait or landscape.
pub const MARGIN_MM: f64 = 15.0;

impl Paper {
    /// Width and height of a sheet in millimetres.
    pub fn size_mm(self, landscape: bool) -> (f64, f64) {
        let (w, h) = match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        };
        if landscape { (h, w) } else { (w, h) }
    }

    /// The width inside the margins.
    pub fn content_width_mm(self, landscape: bool) -> f64 {
        self.size_mm(landscape).0 - 2.0 * MARGIN_MM
    }

    /// The CSS `@page` size.
    pub fn css(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

/// A number of weeks, 1 to 104.
#[derive(Debug, Clone, Copy)]
pub struct Weeks(pub u32);

impl<'de> Deserialize<'de> for Weeks {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Weeks;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of weeks from 1 to 104")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Weeks, E> {
                match u32::try_from(n) {
                    Ok(n @ 1..=MAX_WEEKS) => Ok(Weeks(n)),
                    _ => Err(too_many(n)),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Weeks, E> {
                match u64::try_from(n) {
                    Ok(n) => self.visit_u64(n),
                    Err(_) => Err(too_many(n)),
                }
            }
        }
        d.deserialize_u64(V)
    }
}

fn too_many<E: serde::de::Error>(n: impl std::fmt::Display) -> E {
    de_error(
        Invalid::new(format!("a planner of {n} weeks")).hint(format!(
            "plan from 1 to {MAX_WEEKS} weeks, e.g. 13 for a quarter or 52 for a year"
        )),
    )
}
