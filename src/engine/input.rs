//! The snapshot as the engine reads it (Rego's `input`), and loading a snapshot file
//! for evaluation: the typed parse (validation, reports) and the conversion to the
//! engine's values run side by side on two threads, from one read of the file.

use std::path::Path;

use regorus::Value;

use crate::error::{read_text, JalonError};
use crate::snapshot::{self, LoadedSnapshot, Snapshot};

/// The snapshot in the engine's value form (reference counted: shards share it).
#[derive(Clone)]
pub struct Input(pub(crate) Value);

impl Input {
    /// Converts snapshot JSON text (object keys are interned by regorus as it parses).
    pub fn from_json(text: &str) -> Result<Input, JalonError> {
        Value::from_json_str(text).map(Input).map_err(|e| {
            JalonError::Runtime(format!("snapshot is not valid JSON for the engine: {e}"))
        })
    }

    pub fn from_snapshot(snapshot: &Snapshot) -> Result<Input, JalonError> {
        Input::from_json(&snapshot::to_json(snapshot))
    }
}

/// Reads a snapshot file once; parses and validates it on this thread while another
/// converts it for the engine. A file that does not parse is an input error (exit 3)
/// whatever the engine made of it. The text is dropped before this returns.
pub fn load_snapshot(path: &Path) -> Result<(LoadedSnapshot, Input), JalonError> {
    let text = read_text(path)?;
    let (loaded, input) = std::thread::scope(|scope| {
        let converting = scope.spawn(|| {
            let _stage = crate::timings::stage("input conversion");
            Input::from_json(&text)
        });
        let loaded = {
            let _stage = crate::timings::stage("parse snapshot");
            LoadedSnapshot::from_text(path, &text)
        };
        let input = converting
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (loaded, input)
    });
    Ok((loaded?, input?))
}
