//! JSON text straight to the engine's values, for the snapshot (Rego's `input`).
//!
//! The same values as `regorus::Value::from_json_str` (tested), built with fewer
//! allocations: a string value is copied once into its shared string (regorus goes
//! through a `String`, then copies it again), and an object key already seen in this
//! document is reused from a table looked up by the borrowed text (regorus allocates
//! every key, then looks it up and drops the copy). Short string values (regions,
//! states, dates, tag values) come from the same table: a few distinct strings
//! repeated many times. Longer ones (ARNs, names, descriptions) are mostly unique and
//! are copied. A snapshot is mostly repeated keys and short strings, and this
//! conversion is the longer half of loading it.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

use regorus::{Rc, Value};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// serde_json's name for a number kept as text (only with its `arbitrary_precision`
/// feature); regorus reads it as a number, so this does too.
const PRIVATE_NUMBER: &str = "$serde_json::private::Number";

/// Parses JSON text into the engine's value.
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    let strings = RefCell::new(HashSet::with_hasher(foldhash::fast::FixedState::default()));
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = ValueSeed { strings: &strings }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// The object keys and short strings of one document, each allocated once.
/// (No flooding to fear from a fixed seed: a table holds one document's key names
/// and strings of at most `SHARED_STRING_MAX` bytes.)
type SharedStrings = RefCell<HashSet<Rc<str>, foldhash::fast::FixedState>>;

/// Strings up to this length are shared. Sharing trades a hash and a lookup for an
/// allocation and the memory it touches (on a virtual machine, memory written for the
/// first time costs more than the allocation): it pays for strings that repeat.
const SHARED_STRING_MAX: usize = 24;

fn shared_string(strings: &SharedStrings, text: &str) -> Value {
    let mut table = strings.borrow_mut();
    if let Some(key) = table.get(text) {
        return Value::String(key.clone());
    }
    let key: Rc<str> = Rc::from(text);
    table.insert(key.clone());
    Value::String(key)
}

#[derive(Clone, Copy)]
struct ValueSeed<'k> {
    strings: &'k SharedStrings,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // As regorus: no NaN or infinity enters the engine (JSON has none anyway).
        if !v.is_finite() {
            return Err(E::custom(format!("invalid non-finite number in input: {v}")));
        }
        Ok(Value::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        if v.len() <= SHARED_STRING_MAX {
            return Ok(shared_string(self.strings, v));
        }
        Ok(Value::String(Rc::from(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::from(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key_seed(KeySeed { strings: self.strings })? {
            let value = map.next_value_seed(self)?;
            if entries.is_empty() {
                if let (Value::String(k), Value::String(text)) = (&key, &value) {
                    if k.as_ref() == PRIVATE_NUMBER {
                        return Value::from_numeric_string(text)
                            .map_err(|_| de::Error::custom("failed to read big number"));
                    }
                }
            }
            entries.push((key, value));
        }
        // Sorted in bulk; a repeated key keeps its last value (as regorus does).
        Ok(Value::from(entries.into_iter().collect::<BTreeMap<_, _>>()))
    }
}

struct KeySeed<'k> {
    strings: &'k SharedStrings,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(shared_string(self.strings, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_regorus(text: &str) {
        let ours = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let theirs = Value::from_json_str(text).unwrap();
        assert!(ours == theirs, "{text}: {ours:?} != {theirs:?}");
        assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&theirs).unwrap());
    }

    #[test]
    fn values_equal_regorus_own_parse() {
        for text in [
            "null",
            "true",
            "[]",
            "{}",
            r#"{"b": 1, "a": [1, -2, 3.5, 1e300, 18446744073709551615, -9223372036854775808, 0.1]}"#,
            r#"{"k": "v", "k": "last wins"}"#,
            r#"{"esc\"aped\n": "tab\there \u00e9 \ud83d\ude00", "": ""}"#,
            r#"[{"x": {"y": [{}, [], null, false]}}, {"x": 2}]"#,
            r#"{"z": 1, "a": {"z": 2, "a": 3}, "m": "a"}"#,
        ] {
            same_as_regorus(text);
        }
        same_as_regorus(&crate::snapshot::to_json(&crate::synthetic::generate(300, 5)));
    }

    #[test]
    fn repeated_keys_and_short_strings_share_one_allocation() {
        let long = "x".repeat(SHARED_STRING_MAX + 1);
        let value =
            parse(&format!(r#"[{{"name": "eu-west-1", "d": "{long}"}}, {{"name": "eu-west-1", "d": "{long}"}}]"#))
                .unwrap();
        let strings = |field: &str| -> Vec<Rc<str>> {
            value.as_array().unwrap().iter().map(|o| o[field].as_string().unwrap().clone()).collect()
        };
        let keys: Vec<_> = value
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_object().unwrap().keys().next().unwrap().as_string().unwrap().clone())
            .collect();
        assert!(Rc::ptr_eq(&keys[0], &keys[1]));
        let (short, long) = (strings("name"), strings("d"));
        assert!(Rc::ptr_eq(&short[0], &short[1]));
        assert!(!Rc::ptr_eq(&long[0], &long[1]) && long[0] == long[1]);
    }

    #[test]
    fn bad_text_is_an_error_not_a_panic() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "1 2", "\"\\ud800\"", "{\"a\": 1}}", "nan"] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
