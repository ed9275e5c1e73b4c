//! Dates: in TOML files a native TOML date (`expires = 2027-01-31`) or a string
//! (`expires = "2027-01-31"`), both read as a calendar day; and the range of days
//! jalon accepts anywhere (a snapshot's `collected_at`, `--as-of`, `--cutover`, the
//! dates of waivers, attestations and the config).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// The years a date may fall in. A cloud account's evidence, a waiver or a cutover
/// before 2000 or from 2100 on is a typo or a forgery (`0001-01-01`, `1600-01-01`),
/// and the policy engine counts time in nanoseconds of an i64, which ends in 2262.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

/// `day` if it is in [`YEARS`], else what was expected.
pub fn check_day(day: NaiveDate) -> Result<NaiveDate, String> {
    if YEARS.contains(&day.year()) {
        Ok(day)
    } else {
        Err(format!("expected a date from {}-01-01 to {}-12-31, found {day}", YEARS.start(), YEARS.end()))
    }
}

/// `at` if its day is in [`YEARS`], else what was expected.
pub fn check_instant(at: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    check_day(at.date_naive()).map(|_| at)
}

struct DayVisitor;

impl<'de> Visitor<'de> for DayVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a date YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
        let day = NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| E::custom(format!("expected a date YYYY-MM-DD, found {v:?}")))?;
        check_day(day).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NaiveDate, A::Error> {
        let datetime = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        match (datetime.date, datetime.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| de::Error::custom(format!("{datetime} is not a valid date")))
                .and_then(|day| check_day(day).map_err(de::Error::custom)),
            _ => Err(de::Error::custom(format!("expected a date YYYY-MM-DD, found the date-time {datetime}"))),
        }
    }
}

pub fn day<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_any(DayVisitor)
}

pub fn optional_day<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    d.deserialize_any(DayVisitor).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Holder {
        #[serde(deserialize_with = "day")]
        d: NaiveDate,
    }

    #[test]
    fn native_and_string_dates_both_read() {
        let want = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        assert_eq!(toml::from_str::<Holder>("d = 2027-01-31").unwrap().d, want);
        assert_eq!(toml::from_str::<Holder>("d = \"2027-01-31\"").unwrap().d, want);
        let err = toml::from_str::<Holder>("d = \"soon\"").unwrap_err().to_string();
        assert!(err.contains("expected a date YYYY-MM-DD") && err.contains("line 1"), "{err}");
        let err = toml::from_str::<Holder>("d = 2027-01-31T10:00:00Z").unwrap_err().to_string();
        assert!(err.contains("date-time"), "{err}");
        assert!(toml::from_str::<Holder>("d = 2027-02-30").is_err());
    }

    #[test]
    fn days_outside_the_years_are_refused() {
        for text in ["d = 0001-01-01", "d = \"1600-01-01\"", "d = 1999-12-31", "d = 2100-01-01", "d = 9999-12-31"] {
            let err = toml::from_str::<Holder>(text).unwrap_err().to_string();
            assert!(err.contains("expected a date from 2000-01-01 to 2099-12-31"), "{text}: {err}");
        }
        assert!(toml::from_str::<Holder>("d = 2000-01-01").is_ok());
        assert!(toml::from_str::<Holder>("d = 2099-12-31").is_ok());
    }
}
