//! The set of Rego files jalon evaluates: the embedded ones, plus a team's own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::engine::lint::alias_value_reads;
use crate::engine::metadata::{package_of, parse_control, ControlMeta, Origin};
use crate::error::{read_text, JalonError};

/// Rego packages under this prefix are controls.
pub const CONTROLS_PACKAGE: &str = "jalon.controls";

/// Helpers live in this package and under it.
pub const LIB_PACKAGE: &str = "jalon.lib";

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub fn embedded_checklists() -> &'static [(&'static str, &'static str)] {
    embedded::CHECKLISTS
}

#[derive(Debug, Clone)]
pub struct RegoFile {
    pub name: String,
    pub source: String,
    pub package: String,
}

#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// Helpers and controls, in load order.
    pub modules: Vec<RegoFile>,
    /// `*_test.rego` files: loaded only by the policy test runner.
    pub tests: Vec<RegoFile>,
    /// Control metadata by id.
    pub controls: BTreeMap<String, ControlMeta>,
    /// Slow patterns found in a team's policies (`file: line N: ...`), for stderr.
    pub warnings: Vec<String>,
}

impl PolicySet {
    /// The policies shipped inside the binary.
    pub fn embedded() -> Result<PolicySet, JalonError> {
        let mut set = PolicySet::default();
        for (name, source) in embedded::POLICIES {
            set.add_source(name, source).map_err(|detail| JalonError::input(name, detail))?;
        }
        Ok(set)
    }

    /// The shipped policies, and a team's directory when there is one.
    pub fn load(team_dir: Option<&Path>) -> Result<PolicySet, JalonError> {
        let mut set = PolicySet::embedded()?;
        if let Some(dir) = team_dir {
            set.add_dir(dir)?;
        }
        Ok(set)
    }

    /// Adds every `.rego` file below `dir`. A team control with the id of a shipped
    /// one replaces it.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), JalonError> {
        if !dir.is_dir() {
            return Err(JalonError::input(dir, "expected a directory of .rego files"));
        }
        let mut files = Vec::new();
        collect_rego_files(dir, &mut files).map_err(|e| JalonError::io(dir, e))?;
        files.sort();
        for path in files {
            let source = read_text(&path)?;
            let name = path.display().to_string();
            self.add_team_source(&name, &source).map_err(|detail| JalonError::input(&path, detail))?;
            if !name.ends_with("_test.rego") {
                self.warnings.extend(alias_value_reads(&source).into_iter().map(|w| format!("{name}: {w}")));
            }
        }
        Ok(())
    }

    /// Adds one shipped file. Errors are the detail only (the caller knows the file).
    pub fn add_source(&mut self, name: &str, source: &str) -> Result<(), String> {
        self.add(name, source, false)
    }

    /// Adds one file of a team's directory: a control with the id of a shipped one
    /// replaces it (and says so in every report); two team files with one id are an
    /// error naming both.
    pub fn add_team_source(&mut self, name: &str, source: &str) -> Result<(), String> {
        self.add(name, source, true)
    }

    fn add(&mut self, name: &str, source: &str, team: bool) -> Result<(), String> {
        let (package, line) = package_of(source).ok_or_else(|| "no `package` line found".to_string())?;
        let file = RegoFile { name: name.to_string(), source: source.to_string(), package: package.clone() };
        if name.ends_with("_test.rego") {
            self.tests.retain(|t| t.package != package);
            self.tests.push(file);
            return Ok(());
        }
        let is_control = package.starts_with(&format!("{CONTROLS_PACKAGE}."));
        // A control is evaluated only under jalon.controls: anywhere else it would load
        // and never run, a silent pass. Helpers live under jalon.lib.
        if !is_control && package != LIB_PACKAGE && !package.starts_with(&format!("{LIB_PACKAGE}.")) {
            return Err(format!(
                "line {line}: package `{package}`: expected a control under `{CONTROLS_PACKAGE}.` or a helper under \
                 `{LIB_PACKAGE}` (a file that is neither would be loaded and never evaluated)"
            ));
        }
        if !is_control && source.lines().any(|l| l.trim() == "# METADATA") {
            return Err(format!(
                "line {line}: package `{package}` has a `# METADATA` block, as a control does, but is not under \
                 `{CONTROLS_PACKAGE}.`: it would never be evaluated"
            ));
        }
        if is_control {
            let mut meta = parse_control(name, source)?;
            meta.origin = if team { Origin::Team } else { Origin::Builtin };
            if let Some(previous) = self.controls.get(&meta.id) {
                if previous.origin != Origin::Builtin || !team {
                    // Loading order would pick one silently: the later file, by name.
                    return Err(format!(
                        "control {} is defined twice: in {} and in {name}; give one of them another id",
                        meta.id, previous.source
                    ));
                }
                // A team's control replaces the shipped one with the same id.
                let replaced_package = previous.package.clone();
                self.modules.retain(|m| m.package != replaced_package);
                meta.origin = Origin::TeamReplacing;
            }
            if let Some(other) = self.controls.values().find(|c| c.package == package && c.id != meta.id) {
                return Err(format!("package `{package}` is already used by control {} ({})", other.id, other.source));
            }
            self.controls.insert(meta.id.clone(), meta);
        }
        self.modules.push(file);
        Ok(())
    }

    /// Keeps only the controls the selection keeps (`--controls`, `--skip-controls`),
    /// and drops the modules of the others so they are not evaluated at all, unless a
    /// kept module reads their rules.
    pub fn select(&mut self, selection: &crate::selection::ControlSelection) -> Result<(), String> {
        selection.check(self.controls.keys().map(String::as_str))?;
        if selection.is_all() {
            return Ok(());
        }
        let (kept, dropped): (BTreeMap<_, _>, BTreeMap<_, _>) =
            std::mem::take(&mut self.controls).into_iter().partition(|(id, _)| selection.keeps(id));
        self.controls = kept;
        let dropped: BTreeSet<String> = dropped.into_values().map(|c| c.package).collect();
        let read_by_kept = |package: &str| {
            let path = format!("data.{package}");
            self.modules.iter().any(|m| !dropped.contains(&m.package) && m.source.contains(&path))
        };
        let unread: BTreeSet<String> = dropped.iter().filter(|p| !read_by_kept(p)).cloned().collect();
        self.modules.retain(|m| !unread.contains(&m.package));
        Ok(())
    }

    /// A fingerprint of the policy sources, cited in reports.
    pub fn version(&self) -> String {
        let mut all = String::new();
        for m in &self.modules {
            all.push_str(&m.name);
            all.push('\0');
            all.push_str(&m.source);
            all.push('\0');
        }
        crate::snapshot::sha256_hex(all.as_bytes())[..12].to_string()
    }
}

fn collect_rego_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_rego_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rego") {
            out.push(path);
        }
    }
    Ok(())
}
