//! The GDPR technical documentation appendix (`jalon gdpr`): the eleven sections of
//! ../shared/CONTROLS.md, "The GDPR appendix".
//!
//! Two sources, never mixed up: **declared** facts come from the processing record
//! ([`record`]), and a fact it leaves out is shown as missing; everything else is
//! **evidence** from the snapshot and the verdicts of the same evaluation as
//! `jalon check`. What jalon does not collect (CloudTrail, S3, DynamoDB...) is said
//! to be a gap, never filled in.

pub mod catalogue;
pub mod doc;
pub mod html;
pub mod markdown;
pub mod record;
mod sections;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::engine::Inventory;
use crate::result::{CheckReport, Verdict};
use crate::snapshot::LoadedSnapshot;
use catalogue::Catalogue;
use doc::{code, strong, t, Block, Document, Inline};
use record::ProcessingRecord;
use sections::Builder;

/// Everything the appendix is written from.
pub struct Sources<'a> {
    pub record: &'a ProcessingRecord,
    /// The record's file, as named on the command line, and the SHA-256 of its bytes.
    pub record_file: &'a str,
    pub record_sha256: &'a str,
    pub snapshot: &'a LoadedSnapshot,
    pub snapshot_file: &'a str,
    /// The result of judging the snapshot, as `jalon check` does.
    pub report: &'a CheckReport,
    /// The personal-data inventory the same evaluation computed.
    pub inventory: &'a Inventory,
    /// The Art. 32 measures and the controls not built yet.
    pub catalogue: &'a Catalogue,
    pub config: &'a Config,
    /// None: the defaults.
    pub config_file: Option<&'a str>,
    pub waivers_file: Option<&'a str>,
    pub attestations_file: Option<&'a str>,
}

/// Builds the appendix.
pub fn build(src: &Sources) -> Document {
    let b = Builder::new(src);
    let mut doc = Document { title: b.title(), blocks: Vec::new() };
    b.intro(&mut doc);
    let intro_len = doc.blocks.len();
    b.parties(&mut doc);
    b.purposes(&mut doc);
    b.subjects_and_categories(&mut doc);
    b.recipients(&mut doc);
    b.locations(&mut doc);
    b.retention(&mut doc);
    b.measures(&mut doc);
    b.erasure(&mut doc);
    b.audit_trail(&mut doc);
    b.breach(&mut doc);
    b.annex(&mut doc);
    // At a glance, once everything is known: what is missing, what is a gap.
    let missing = doc.missing_fields();
    let gaps = doc.blocks.iter().filter(|b| matches!(b, Block::Gap(_))).count();
    let mut glance = vec![Block::Heading(2, "At a glance".into())];
    let mut items = vec![controls_line(src.report)];
    items.push(if missing.is_empty() {
        vec![t("Declared facts: the processing record declares every fact this appendix asks for.")]
    } else {
        let mut line =
            vec![strong(format!("{} declared facts missing", missing.len())), t(" from the processing record: ")];
        for (i, f) in missing.iter().enumerate() {
            if i > 0 {
                line.push(t(", "));
            }
            line.push(code(f.clone()));
        }
        line.push(t("."));
        line
    });
    // The services behind the open gaps, named once each.
    let services: std::collections::BTreeSet<&str> = src
        .catalogue
        .gaps
        .iter()
        .filter(|g| g.is_open())
        .flat_map(|g| g.services.iter().map(String::as_str))
        .filter(|s| crate::collect::registry::find(s).is_none())
        .collect();
    let mut line = vec![
        strong(format!("{gaps} evidence gaps")),
        t(": what this version of jalon does not collect, said where it matters (services not collected: "),
    ];
    for (i, service) in services.into_iter().enumerate() {
        if i > 0 {
            line.push(t(", "));
        }
        line.push(code(service));
    }
    line.push(t(")."));
    items.push(line);
    glance.push(Block::Bullets(items));
    doc.blocks.splice(intro_len..intro_len, glance);
    doc
}

/// The declared facts left out, for a warning on the terminal.
pub fn missing_facts(doc: &Document) -> Vec<String> {
    doc.missing_fields()
}

fn controls_line(report: &CheckReport) -> Vec<Inline> {
    let mut counts: BTreeMap<usize, (Verdict, usize)> = BTreeMap::new();
    for c in &report.controls {
        counts.entry(c.verdict.rank()).or_insert((c.verdict, 0)).1 += 1;
    }
    let mut line = vec![t(format!("Controls as of {}: ", report.as_of))];
    for (i, (v, n)) in counts.values().enumerate() {
        if i > 0 {
            line.push(t(", "));
        }
        line.push(t(format!("{n} ")));
        line.push(Inline::Verdict(*v));
    }
    line.push(t(format!(" ({} in all; section 11 lists each).", report.controls.len())));
    line
}
