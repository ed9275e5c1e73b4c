//! `--controls` and `--skip-controls`: which controls a run evaluates, by id or glob
//! (`ALM-*,LOG-001`). A control left out is not evaluated at all and appears in no
//! report; a pattern that matches no control is a usage error (a typo would
//! otherwise select nothing and pass).

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

#[derive(Debug, Clone, Default)]
pub struct ControlSelection {
    include: Option<Patterns>,
    exclude: Option<Patterns>,
}

#[derive(Debug, Clone)]
struct Patterns {
    flag: &'static str,
    texts: Vec<String>,
    globs: Vec<Glob>,
    set: GlobSet,
}

impl Patterns {
    fn parse(flag: &'static str, texts: &[String]) -> Result<Option<Patterns>, String> {
        let texts: Vec<String> = texts.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        if texts.is_empty() {
            return Ok(None);
        }
        let mut globs = Vec::new();
        let mut builder = GlobSetBuilder::new();
        for text in &texts {
            let glob = GlobBuilder::new(text)
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("{flag}: {text:?} is not a control id or glob: {e}"))?;
            builder.add(glob.clone());
            globs.push(glob);
        }
        let set = builder.build().map_err(|e| format!("{flag}: {e}"))?;
        Ok(Some(Patterns { flag, texts, globs, set }))
    }

    /// Every pattern matches at least one of `ids`.
    fn check_each_matches<'a>(&self, ids: impl Iterator<Item = &'a str> + Clone) -> Result<(), String> {
        for (text, glob) in self.texts.iter().zip(&self.globs) {
            let matcher = glob.compile_matcher();
            if !ids.clone().any(|id| matcher.is_match(id)) {
                return Err(format!("{}: {text:?} matches no control (`jalon policies list` lists them)", self.flag));
            }
        }
        Ok(())
    }
}

impl ControlSelection {
    /// From the flags' values (each may hold several, comma separated by clap).
    pub fn parse(include: &[String], exclude: &[String]) -> Result<ControlSelection, String> {
        Ok(ControlSelection {
            include: Patterns::parse("--controls", include)?,
            exclude: Patterns::parse("--skip-controls", exclude)?,
        })
    }

    /// Every control is kept.
    pub fn is_all(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }

    pub fn keeps(&self, id: &str) -> bool {
        self.include.as_ref().is_none_or(|p| p.set.is_match(id))
            && self.exclude.as_ref().is_none_or(|p| !p.set.is_match(id))
    }

    /// Checks the patterns against the controls there are: each matches one, and
    /// something is left to evaluate.
    pub fn check<'a>(&self, ids: impl Iterator<Item = &'a str> + Clone) -> Result<(), String> {
        for patterns in [&self.include, &self.exclude].into_iter().flatten() {
            patterns.check_each_matches(ids.clone())?;
        }
        if !self.is_all() && !ids.clone().any(|id| self.keeps(id)) {
            return Err("--controls and --skip-controls leave no control to evaluate".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 4] = ["ALM-001", "ALM-002", "LOG-001", "DB-001"];

    fn selection(include: &[&str], exclude: &[&str]) -> Result<ControlSelection, String> {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let s = ControlSelection::parse(&owned(include), &owned(exclude))?;
        s.check(IDS.iter().copied())?;
        Ok(s)
    }

    fn kept(s: &ControlSelection) -> Vec<&'static str> {
        IDS.iter().copied().filter(|id| s.keeps(id)).collect()
    }

    #[test]
    fn ids_and_globs_select_and_skip() {
        assert_eq!(kept(&selection(&[], &[]).unwrap()), IDS);
        assert_eq!(kept(&selection(&["alm-*", "DB-001"], &[]).unwrap()), ["ALM-001", "ALM-002", "DB-001"]);
        assert_eq!(kept(&selection(&["ALM-*"], &["ALM-002"]).unwrap()), ["ALM-001"]);
        assert_eq!(kept(&selection(&[], &["LOG-*"]).unwrap()), ["ALM-001", "ALM-002", "DB-001"]);
    }

    #[test]
    fn a_pattern_that_matches_nothing_is_an_error() {
        let err = selection(&["ALM-001", "LGO-001"], &[]).unwrap_err();
        assert!(err.contains("--controls: \"LGO-001\" matches no control"), "{err}");
        let err = selection(&[], &["XYZ-*"]).unwrap_err();
        assert!(err.starts_with("--skip-controls"), "{err}");
        let err = selection(&["ALM-*"], &["ALM-*"]).unwrap_err();
        assert!(err.contains("leave no control"), "{err}");
        assert!(selection(&["ALM-[001"], &[]).unwrap_err().contains("not a control id or glob"));
    }
}
