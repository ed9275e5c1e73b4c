//! What the appendix knows besides the policies and the evidence: the Art. 32
//! measures each control evidences, the catalogue's controls this version does not
//! evaluate, and the evidence it does not collect (the gaps). Data
//! (`checklists/gdpr-measures.toml`, embedded), not code.

use serde::Deserialize;

use crate::error::JalonError;

/// The embedded file's name.
pub const FILE: &str = "checklists/gdpr-measures.toml";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    #[serde(rename = "measure")]
    pub measures: Vec<Measure>,
    #[serde(rename = "not_evaluated", default)]
    pub not_evaluated: Vec<NotEvaluated>,
    #[serde(rename = "gap", default)]
    pub gaps: Vec<Gap>,
}

/// Evidence the appendix says it lacks, in one section.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// The section it belongs to: `locations`, `retention`...
    pub section: String,
    /// The services whose collection would fill it (collector names).
    pub services: Vec<String>,
    /// `{regions}` is replaced; backticks mark code.
    pub text: String,
    /// Catalogue controls it stands for, named while they are not built.
    #[serde(default)]
    pub controls: Vec<String>,
}

impl Gap {
    /// Still a gap: some service it names is not collected.
    pub fn is_open(&self) -> bool {
        self.services.iter().any(|s| crate::collect::registry::find(s).is_none())
    }
}

/// An Art. 32 measure and the controls that evidence it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// With its article: "Encryption at rest, Art. 32(1)(a)".
    pub name: String,
    pub controls: Vec<String>,
}

/// A control of the catalogue that is not built, for want of evidence.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotEvaluated {
    pub control: String,
    /// What it would check.
    pub about: String,
}

impl Catalogue {
    /// The catalogue shipped in the binary.
    pub fn embedded() -> Result<Catalogue, JalonError> {
        let text = crate::engine::policy_set::embedded_checklists()
            .iter()
            .find(|(name, _)| *name == FILE)
            .map(|(_, text)| *text)
            .ok_or_else(|| JalonError::Runtime(format!("no embedded {FILE}")))?;
        Catalogue::parse(text).map_err(|detail| JalonError::input(FILE, detail))
    }

    pub fn parse(text: &str) -> Result<Catalogue, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// What a control that is not built would check.
    pub fn about(&self, id: &str) -> Option<&str> {
        self.not_evaluated.iter().find(|n| n.control == id).map(|n| n.about.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::PolicySet;

    /// Every control a measure names is a control of the policies or one known not to
    /// be built, and no control said not to be built is: the catalogue says no more and
    /// no less than the policies do.
    fn check(catalogue: &Catalogue, policies: &PolicySet) -> Result<(), String> {
        let mut errors = Vec::new();
        for m in &catalogue.measures {
            for id in &m.controls {
                if !policies.controls.contains_key(id) && catalogue.about(id).is_none() {
                    errors.push(format!("measure {:?}: unknown control {id}", m.name));
                }
            }
        }
        for n in &catalogue.not_evaluated {
            if policies.controls.contains_key(&n.control) {
                errors.push(format!("not_evaluated: {} is built now: remove it from the list", n.control));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("; "))
        }
    }

    #[test]
    fn the_shipped_catalogue_agrees_with_the_shipped_policies() {
        let catalogue = Catalogue::embedded().unwrap();
        check(&catalogue, &PolicySet::embedded().unwrap()).unwrap();
        assert!(catalogue.measures.iter().any(|m| m.controls.iter().any(|c| c == "GDP-003")));
        assert!(catalogue.about("AUD-001").is_none(), "AUD-001 is built");
        assert!(catalogue.about("AUD-002").is_none(), "AUD-002 is built");
    }

    #[test]
    fn a_stale_or_unknown_entry_is_named() {
        let text = "[[measure]]\nname = \"m\"\ncontrols = [\"XYZ-001\"]\n\n\
                    [[not_evaluated]]\ncontrol = \"LOG-001\"\nabout = \"built long ago\"\n";
        let err = check(&Catalogue::parse(text).unwrap(), &PolicySet::embedded().unwrap()).unwrap_err();
        assert!(err.contains("unknown control XYZ-001") && err.contains("LOG-001 is built now"), "{err}");
        assert!(Catalogue::parse("[[measure]]\nname = 1\n").unwrap_err().contains("line"));
    }
}
