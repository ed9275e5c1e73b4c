//! Errors and the exit codes they map to.
//!
//! Exit codes are part of the CLI contract (documented in the README):
//! 0 every due control passes, 1 findings, 2 evidence incomplete,
//! 3 usage or input error, 4 runtime failure (AWS unreachable, I/O).

use std::path::{Path, PathBuf};

pub mod exit {
    pub const OK: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const INCOMPLETE: i32 = 2;
    pub const INPUT: i32 = 3;
    pub const RUNTIME: i32 = 4;
}

#[derive(Debug, thiserror::Error)]
pub enum JalonError {
    /// A file the user gave us is malformed: names the file and what is wrong where.
    #[error("{}: {detail}", path.display())]
    Input { path: PathBuf, detail: String },

    /// A flag or argument is wrong.
    #[error("{0}")]
    Usage(String),

    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Collection could not run at all (no credentials, no region, endpoint unreachable).
    #[error("{0}")]
    Runtime(String),
}

impl JalonError {
    pub fn input(path: impl AsRef<Path>, detail: impl Into<String>) -> Self {
        JalonError::Input { path: path.as_ref().to_path_buf(), detail: detail.into() }
    }

    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        JalonError::Io { path: path.as_ref().to_path_buf(), source }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            JalonError::Input { .. } | JalonError::Usage(_) => exit::INPUT,
            // A missing input file is the user's input error; a failed write is a runtime one.
            JalonError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => exit::INPUT,
            JalonError::Io { .. } | JalonError::Runtime(_) => exit::RUNTIME,
        }
    }
}

/// Reads a file as UTF-8 text, with an error naming the file.
pub fn read_text(path: &Path) -> Result<String, JalonError> {
    let bytes = std::fs::read(path).map_err(|e| JalonError::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        JalonError::input(path, format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()))
    })
}
