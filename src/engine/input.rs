//! The snapshot as the engine reads it (Rego's `input`), and loading a snapshot file
//! for evaluation: the typed parse (validation, reports) and the conversion to the
//! engine's values run side by side on two threads, from one read of the file.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use regorus::Value;
use serde_json::value::RawValue;

use super::json_value;
use crate::error::{read_text, JalonError};
use crate::snapshot::{self, LoadedSnapshot, Snapshot};

/// The snapshot in the engine's value form (reference counted: shards share it).
#[derive(Clone)]
pub struct Input(pub(crate) Value);

impl Input {
    /// Converts snapshot JSON text.
    pub fn from_json(text: &str) -> Result<Input, JalonError> {
        json_value::parse(text).map(Input).map_err(not_for_the_engine)
    }

    /// The value itself, for an engine of one's own (the benchmark's per-rule profile).
    pub fn into_value(self) -> Value {
        self.0
    }
}

fn not_for_the_engine(e: impl std::fmt::Display) -> JalonError {
    JalonError::Runtime(format!("snapshot is not valid JSON for the engine: {e}"))
}

/// A snapshot collected just now: serialised once, for its hash (the same as the
/// file `jalon collect` would write) and for the engine.
pub fn prepare_collected(snapshot: Snapshot) -> Result<(LoadedSnapshot, Input), JalonError> {
    let text = snapshot::to_json(&snapshot);
    let input = Input::from_json(&text)?;
    Ok((LoadedSnapshot { sha256: snapshot::sha256_hex(text.as_bytes()), snapshot }, input))
}

/// Reads a snapshot file once and prepares both views of it on two threads: one
/// parses and validates it (then helps), the other splits it into its top-level
/// sections and converts them for the engine, biggest first. A file that does not
/// parse is an input error (exit 3) whatever the engine made of it. The text is
/// dropped before this returns. Without `keep_resources`, the parsed snapshot keeps
/// only what verdicts and reports read (the engine has the resources).
pub fn load_snapshot(path: &Path, keep_resources: bool) -> Result<(LoadedSnapshot, Input), JalonError> {
    let text = read_text(path)?;
    let queue = SectionQueue::default();
    let loaded = std::thread::scope(|scope| {
        let converting = scope.spawn(|| {
            let _stage = crate::timings::stage("input conversion");
            queue.fill(&text);
            queue.work();
        });
        let loaded = {
            let _stage = crate::timings::stage("parse snapshot");
            if keep_resources {
                LoadedSnapshot::from_text(path, &text)
            } else {
                LoadedSnapshot::from_text_without_resources(path, &text)
            }
        };
        match loaded {
            Ok(_) => queue.work(),
            // No engine input is wanted for a file that does not parse.
            Err(_) => queue.stop(),
        }
        converting.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        loaded
    });
    let loaded = loaded?;
    check_sections_present(path, &loaded.snapshot, &queue.keys())?;
    Ok((loaded, queue.into_input()?))
}

/// A collector that says `ok` wrote its section: a file without it was cut or edited,
/// and the policies would read the missing resources as none (NOT_APPLICABLE, PASS).
/// A section may be absent only when its collector did not run (a snapshot from a
/// jalon that had no such collector yet: its controls are then UNKNOWN).
fn check_sections_present(path: &Path, snapshot: &Snapshot, keys: &[&str]) -> Result<(), JalonError> {
    for (i, status) in snapshot.collectors.iter().enumerate() {
        let section = crate::collect::registry::COLLECTORS
            .iter()
            .find(|c| c.name == status.service.as_str())
            .and_then(|c| c.section);
        let Some(section) = section else { continue };
        if status.status == crate::snapshot::CollectionStatus::Ok && !keys.contains(&section) {
            return Err(JalonError::input(
                path,
                format!(
                    "at `{section}`: the section is missing, yet `collectors[{i}]` says {} in {} was collected (ok); \
                     the file was cut or edited: collect it again",
                    status.service, status.region
                ),
            ));
        }
    }
    Ok(())
}

/// The snapshot's top-level sections (`"logs": {...}`), converted by whichever
/// thread is free. The result equals converting the whole text at once (tested).
#[derive(Default)]
struct SectionQueue<'t> {
    /// Set once by `fill`; a thread that comes earlier finds nothing to do.
    sections: OnceLock<Result<Vec<(String, &'t RawValue)>, String>>,
    next: AtomicUsize,
    done: Mutex<Vec<(String, Result<Value, String>)>>,
}

impl<'t> SectionQueue<'t> {
    fn fill(&self, text: &'t str) {
        let split = serde_json::from_str::<BTreeMap<String, &RawValue>>(text)
            .map(|map| {
                let mut sections: Vec<_> = map.into_iter().collect();
                sections.sort_by_key(|(_, raw)| Reverse(raw.get().len()));
                sections
            })
            .map_err(|e| e.to_string());
        let _ = self.sections.set(split);
    }

    /// The top-level keys read (none when the text did not split).
    fn keys(&self) -> Vec<&str> {
        match self.sections.get() {
            Some(Ok(sections)) => sections.iter().map(|(key, _)| key.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    /// Hands out no more sections (the one being converted is finished).
    fn stop(&self) {
        self.next.store(usize::MAX / 2, Ordering::Relaxed);
    }

    fn work(&self) {
        let Some(Ok(sections)) = self.sections.get() else {
            return;
        };
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some((key, raw)) = sections.get(i) else {
                return;
            };
            let value = json_value::parse(raw.get()).map_err(|e| e.to_string());
            self.done.lock().unwrap_or_else(|p| p.into_inner()).push((key.clone(), value));
        }
    }

    fn into_input(self) -> Result<Input, JalonError> {
        let sections = self.sections.into_inner().unwrap_or_else(|| Err("not read".into()));
        sections.map_err(not_for_the_engine)?;
        let mut object = Value::new_object();
        let map = object.as_object_mut().map_err(not_for_the_engine)?;
        for (key, value) in self.done.into_inner().unwrap_or_else(|p| p.into_inner()) {
            map.insert(Value::from(key), value.map_err(not_for_the_engine)?);
        }
        Ok(Input(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_convert_to_the_same_value_as_the_whole_text() {
        let dir = tempfile::tempdir().unwrap();
        for snapshot in [crate::synthetic::generate(300, 7), crate::synthetic::generate(50, 1)] {
            let text = snapshot::to_json(&snapshot);
            let path = dir.path().join("s.json");
            std::fs::write(&path, &text).unwrap();
            let (loaded, input) = load_snapshot(&path, true).unwrap();
            assert_eq!(loaded.snapshot, snapshot);
            let (slim, slim_input) = load_snapshot(&path, false).unwrap();
            let mut expected = snapshot.clone();
            expected.drop_resources();
            assert_eq!((slim.snapshot, &slim.sha256), (expected, &loaded.sha256));
            assert!(slim_input.0 == input.0);
            assert_eq!(loaded.sha256, snapshot::sha256_hex(text.as_bytes()));
            assert!(input.0 == Value::from_json_str(&text).unwrap());
        }
    }

    #[test]
    fn a_file_that_does_not_parse_is_an_input_error() {
        let dir = tempfile::tempdir().unwrap();
        for text in ["", "[1, 2]", "{\"schema_version\": 1", "{\"logs\": {\"log_groups\": [}}"] {
            let path = dir.path().join("bad.json");
            std::fs::write(&path, text).unwrap();
            for keep_resources in [true, false] {
                let err = load_snapshot(&path, keep_resources).err().expect("an error");
                assert_eq!(err.exit_code(), crate::error::exit::INPUT, "{text:?}: {err}");
            }
        }
    }
}
