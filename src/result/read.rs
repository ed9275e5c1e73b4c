//! Reading a check result (`jalon check --format json`): the baseline of a drift.

use std::path::Path;

use crate::error::{read_text, JalonError};
use crate::result::{CheckReport, RESULT_VERSION};

/// Reads a check result (`jalon check --format json`); errors name the file, the
/// line and field, and what was expected.
pub fn load_result(path: &Path) -> Result<CheckReport, JalonError> {
    parse_result(&read_text(path)?).map_err(|detail| JalonError::input(path, detail))
}

pub fn parse_result(text: &str) -> Result<CheckReport, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_error(&e, ""))?;
    match value.get("result_version") {
        None if value.get("schema_version").is_some() => {
            return Err("this is a snapshot (it has `schema_version`), not a check result: expected the output of `jalon check --format json`".into())
        }
        None => return Err("at `result_version`: missing: expected the output of `jalon check --format json`".into()),
        Some(v) if v.as_u64() != Some(u64::from(RESULT_VERSION)) => {
            return Err(format!(
                "at `result_version`: this jalon reads check result version {RESULT_VERSION}, the file has {v}; run `jalon check --format json` again with this version"
            ))
        }
        Some(_) => {}
    }
    if value.get("kind").and_then(|k| k.as_str()) == Some(crate::result::accounts::KIND) {
        return Err(
            "this is a result over several accounts (`\"kind\": \"accounts\"`, from `jalon check --snapshot DIR`): \
             compare it with another such result, or give one account's result"
                .into(),
        );
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|err| json_error(err.inner(), &err.path().to_string()))
}

/// "line L, column C, at `path`: message", the snapshot parser's style.
pub fn json_error(err: &serde_json::Error, path: &str) -> String {
    let text = err.to_string();
    let message = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    if path.is_empty() || path == "." {
        format!("line {}, column {}: {message}", err.line(), err.column())
    } else {
        format!("line {}, column {}, at `{path}`: {message}", err.line(), err.column())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_is_not_a_result() {
        let err = parse_result("{\"schema_version\": 1}").unwrap_err();
        assert!(err.contains("snapshot"), "{err}");
        let err = parse_result("{\"result_version\": 1,\n \"tool\": 3}").unwrap_err();
        assert!(err.contains("line 2") && err.contains("`tool`"), "{err}");
        let err = parse_result("{\"result_version\": 2}").unwrap_err();
        assert!(err.contains("version 1"), "{err}");
    }
}
