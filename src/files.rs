//! Files written whole or not at all.
//!
//! A report set is what the next run compares itself with (the nightly baseline) and
//! what a reviewer trusts: a run that is killed, or that fails on its third format,
//! must not leave a truncated `jalon.sarif` beside a stale `jalon.json`. Every file is
//! written to a temporary in its own folder and renamed over its name only once every
//! file of the set is complete. A rename replaces whatever is at the name (a symlink
//! included) instead of writing through it, so `-o DIR` never writes outside `DIR`.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::JalonError;

/// Files staged in temporaries; none is visible under its name before [`commit`].
/// Dropped without a commit, the temporaries are removed and the previous files
/// stay as they were.
///
/// [`commit`]: FileSet::commit
#[derive(Default)]
pub struct FileSet {
    staged: Vec<(NamedTempFile, PathBuf)>,
}

impl FileSet {
    pub fn new() -> Self {
        FileSet::default()
    }

    /// Writes one file of the set to a temporary beside `path`.
    pub fn stage(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), JalonError> {
        let mut file = self.open(path)?;
        write(file.writer()).map_err(|e| JalonError::io(path, e))?;
        self.close(file)
    }

    /// Opens one file of the set, to be written piece by piece (a report over several
    /// accounts, one account at a time) and then [`close`]d into the set.
    ///
    /// [`close`]: FileSet::close
    pub fn open(&mut self, path: &Path) -> Result<OpenFile, JalonError> {
        let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| JalonError::io(dir, e))?;
                dir
            }
            None => Path::new("."),
        };
        // A folder at the name would make the rename fail after others were renamed:
        // refused now, before anything is replaced.
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
            return Err(JalonError::io(path, io::Error::new(io::ErrorKind::IsADirectory, "a directory is in the way")));
        }
        let temp = temporary_in(dir).map_err(|e| JalonError::io(dir, e))?;
        Ok(OpenFile { out: BufWriter::new(temp), path: path.to_path_buf() })
    }

    /// Ends a file opened with [`FileSet::open`]: on disk, waiting for the commit.
    pub fn close(&mut self, file: OpenFile) -> Result<(), JalonError> {
        let OpenFile { mut out, path } = file;
        out.flush().map_err(|e| JalonError::io(&path, e))?;
        let temp = out.into_inner().map_err(|e| JalonError::io(&path, e.into_error()))?;
        // On disk before it takes the name: a crash after the rename finds the whole file.
        temp.as_file().sync_all().map_err(|e| JalonError::io(&path, e))?;
        self.staged.push((temp, path));
        Ok(())
    }

    /// Gives every staged file its name, in the order staged.
    pub fn commit(self) -> Result<Vec<PathBuf>, JalonError> {
        let mut written = Vec::with_capacity(self.staged.len());
        for (temp, path) in self.staged {
            temp.persist(&path).map_err(|e| JalonError::io(&path, e.error))?;
            written.push(path);
        }
        Ok(written)
    }
}

/// A file of a [`FileSet`] being written: a temporary until the set is committed.
pub struct OpenFile {
    out: BufWriter<NamedTempFile>,
    path: PathBuf,
}

impl OpenFile {
    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.out
    }

    /// The name it will take.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// One file the user named, written whole or not at all. A name that leads to a
/// stream (`/dev/null`, `/dev/stdout`, a FIFO) is written through, as a shell
/// redirect would: replacing a device with a file is never what was asked.
pub fn write_whole(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), JalonError> {
    if is_stream(path) {
        let file = std::fs::OpenOptions::new().write(true).open(path).map_err(|e| JalonError::io(path, e))?;
        let mut out = BufWriter::new(file);
        return write(&mut out).and_then(|()| out.flush()).map_err(|e| JalonError::io(path, e));
    }
    let mut set = FileSet::new();
    set.stage(path, write)?;
    set.commit().map(drop)
}

/// Whether `path` (followed) exists and is neither a file nor a folder.
pub fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// A hidden temporary in `dir`, readable as a file created by `File::create` would be
/// (0666 less the umask; the default for temporaries is 0600).
fn temporary_in(dir: &Path) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".jalon-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn nothing_is_replaced_until_the_whole_set_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.json"), dir.path().join("b.md"));
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&b, "old b").unwrap();
        let mut set = FileSet::new();
        set.stage(&a, |out| out.write_all(b"new a")).unwrap();
        let failed = set.stage(&b, |out| {
            out.write_all(b"half of b")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.unwrap_err().to_string().contains("b.md"));
        drop(set);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "old b");
        assert_eq!(names(dir.path()), ["a.json", "b.md"], "a temporary was left behind");

        let mut set = FileSet::new();
        set.stage(&a, |out| out.write_all(b"new a")).unwrap();
        set.stage(&b, |out| out.write_all(b"new b")).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a", "visible before the commit");
        assert_eq!(set.commit().unwrap(), [a.clone(), b.clone()]);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new b");
        assert_eq!(names(dir.path()), ["a.json", "b.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_name_is_replaced_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let link = dir.path().join("out").join("jalon.md");
        std::fs::create_dir(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        write_whole(&link, |out| out.write_all(b"report")).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        let meta = std::fs::symlink_metadata(&link).unwrap();
        assert!(meta.file_type().is_file(), "still a symlink");
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "report");
        // Readable like any report, not the temporaries' 0600.
        assert_ne!(meta.permissions().mode() & 0o044, 0, "{:o}", meta.permissions().mode());
    }

    #[cfg(unix)]
    #[test]
    fn a_stream_the_user_named_is_written_through() {
        write_whole(Path::new("/dev/null"), |out| out.write_all(b"gone")).unwrap();
        let meta = std::fs::symlink_metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "/dev/null was replaced by a file");
    }

    #[test]
    fn a_directory_at_the_name_is_refused_before_anything_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("jalon.html")).unwrap();
        let err = write_whole(&dir.path().join("jalon.html"), |out| out.write_all(b"x")).unwrap_err();
        assert!(err.to_string().contains("jalon.html"), "{err}");
        assert_eq!(err.exit_code(), crate::error::exit::RUNTIME);
    }

    #[test]
    fn a_file_is_written_in_a_new_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/report.txt");
        write_whole(&path, |out| out.write_all(b"text\n")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "text\n");
    }
}
