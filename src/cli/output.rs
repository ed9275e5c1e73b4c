//! Where a command's output goes: stdout, or a file written whole (`crate::files`).
//!
//! Large reports are streamed rather than built as one string first. A reader that stops early (`jalon check | head`)
//! ends the output quietly: a closed pipe is not an error of jalon's.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::error::JalonError;

/// Writes to stdout; a closed pipe ends the output without an error.
pub(crate) fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), JalonError> {
    let mut out = BufWriter::new(io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| JalonError::io("stdout", e)),
    }
}

/// Text to stdout.
pub(crate) fn print(text: &str) -> Result<(), JalonError> {
    to_stdout(|out| out.write_all(text.as_bytes()))
}

/// Text to a file, written whole or not at all (`crate::files`).
pub(crate) fn write_file(path: &Path, text: &str) -> Result<(), JalonError> {
    crate::files::write_whole(path, |out| out.write_all(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_error_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be.
        let err = write_file(dir.path(), "text").unwrap_err();
        assert!(err.to_string().contains(&dir.path().display().to_string()), "{err}");
    }
}
