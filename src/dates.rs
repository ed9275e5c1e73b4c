//! Dates in TOML files: a native TOML date (`expires = 2027-01-31`) or a string
//! (`expires = "2027-01-31"`), both read as a calendar day.

use chrono::NaiveDate;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

struct DayVisitor;

impl<'de> Visitor<'de> for DayVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a date YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<NaiveDate, E> {
        NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| E::custom(format!("expected a date YYYY-MM-DD, found {v:?}")))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NaiveDate, A::Error> {
        let datetime = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        match (datetime.date, datetime.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| de::Error::custom(format!("{datetime} is not a valid date"))),
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
}
