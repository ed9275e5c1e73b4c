//! Where a command's output goes: stdout or a file, written through a buffer.
//!
//! Large reports are streamed rather than built as one string first. A reader that stops early (`jalon check | head`)
//! ends the output quietly: a closed pipe is not an error of jalon's.

use std::fs::File;
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

/// Writes a file, creating its directory first.
pub(crate) fn to_file(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), JalonError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| JalonError::io(dir, e))?;
    }
    let file = File::create(path).map_err(|e| JalonError::io(path, e))?;
    let mut out = BufWriter::new(file);
    write(&mut out).and_then(|()| out.flush()).map_err(|e| JalonError::io(path, e))
}

/// Text to a file, creating its directory first.
pub(crate) fn write_file(path: &Path, text: &str) -> Result<(), JalonError> {
    to_file(path, |out| out.write_all(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_written_in_a_new_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/report.txt");
        write_file(&path, "text\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "text\n");
    }

    #[test]
    fn a_write_error_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be.
        let err = write_file(dir.path(), "text").unwrap_err();
        assert!(err.to_string().contains(&dir.path().display().to_string()), "{err}");
    }
}
