//! The phase definitions (`checklists/*.toml`): the phases (J+0, J+7, J+30) and the
//! controls a team moves to another phase than their METADATA's.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::{ControlMeta, PolicySet};
use crate::error::{read_text, JalonError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// `J+0`, `J+7`, `J+30`.
    pub id: String,
    /// Days after cutover when the phase is due.
    pub day: u32,
    pub title: String,
    /// Controls due in this phase whatever their METADATA says; a control listed
    /// nowhere is due in the phase of its METADATA `phase` day.
    #[serde(default)]
    pub controls: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    #[serde(rename = "phase")]
    pub phases: Vec<Phase>,
}

impl Checklist {
    /// The checklist shipped in `checklists/default.toml`.
    pub fn embedded() -> Result<Checklist, JalonError> {
        let (name, text) = crate::engine::policy_set::embedded_checklists()
            .iter()
            .find(|(name, _)| name.ends_with("default.toml"))
            .ok_or_else(|| JalonError::Runtime("no embedded checklists/default.toml".into()))?;
        Checklist::parse(text).map_err(|detail| JalonError::input(name, detail))
    }

    pub fn load(path: &Path) -> Result<Checklist, JalonError> {
        Checklist::parse(&read_text(path)?).map_err(|detail| JalonError::input(path, detail))
    }

    pub fn parse(text: &str) -> Result<Checklist, String> {
        let mut checklist: Checklist = toml::from_str(text).map_err(|e| e.to_string())?;
        checklist.phases.sort_by_key(|p| p.day);
        for (i, phase) in checklist.phases.iter().enumerate() {
            if checklist.phases[..i].iter().any(|p| p.id == phase.id) {
                return Err(format!("phase `{}` is defined twice", phase.id));
            }
        }
        Ok(checklist)
    }

    /// The phase a control is due in: the one that lists it, else the one of its
    /// METADATA `phase` day.
    pub fn phase_of(&self, control: &ControlMeta) -> Option<&Phase> {
        self.phases
            .iter()
            .find(|p| p.controls.contains(&control.id))
            .or_else(|| self.phases.iter().find(|p| p.day == control.phase))
    }

    /// `--phase`: the id of one of the phases (any case); else what was expected.
    pub fn check_phase(&self, phase: &str) -> Result<(), String> {
        if self.phases.iter().any(|p| p.id.eq_ignore_ascii_case(phase)) {
            return Ok(());
        }
        let ids: Vec<&str> = self.phases.iter().map(|p| p.id.as_str()).collect();
        Err(format!("--phase: expected one of {}, found {phase:?}", ids.join(", ")))
    }

    /// Every control of the catalogue in exactly one phase, and no unknown ids.
    pub fn validate(&self, policies: &PolicySet) -> Result<(), String> {
        let mut errors = Vec::new();
        for phase in &self.phases {
            for id in &phase.controls {
                if !policies.controls.contains_key(id) {
                    errors.push(format!("phase {}: unknown control `{id}`", phase.id));
                }
            }
        }
        for (id, meta) in &policies.controls {
            let count = self.phases.iter().flat_map(|p| &p.controls).filter(|c| *c == id).count();
            if count > 1 {
                errors.push(format!("control {id} is in {count} phases"));
            } else if self.phase_of(meta).is_none() {
                errors.push(format!(
                    "control {id} is in no phase: its METADATA phase is day {}, which no phase has; list it in one",
                    meta.phase
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("; "))
        }
    }
}
