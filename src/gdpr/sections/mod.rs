//! The eleven sections of the appendix, one module each, from the processing record
//! (declared), and the snapshot, the verdicts and the personal-data inventory (evidence).

mod annex;
mod audit_trail;
mod breach;
mod erasure;
mod intro;
mod locations;
mod measures;
mod parties;
mod purposes;
mod recipients;
mod retention;
mod subjects;

use std::collections::{BTreeMap, HashMap};

use super::doc::{code, em, fact, strong, t, Document, Inline};
use super::record::{declared, ProcessingRecord};
use super::Sources;
use crate::result::{CheckReport, ControlResult, ResourceResult, Verdict};
use crate::snapshot::arn::resource_name;
use crate::snapshot::{
    Bucket, DbCluster, DbInstance, DynamoDbTable, LogGroup, ReplicationGroup, ServerlessCache, Snapshot, SqsQueue,
};

/// Writes the sections of the appendix into a [`Document`].
pub(super) struct Builder<'a> {
    pub(super) src: &'a Sources<'a>,
    pub(super) snap: &'a Snapshot,
    pub(super) report: &'a CheckReport,
    /// Lookups built once: a section writes a row per resource, and a scan per row
    /// would make the appendix quadratic in the account's size.
    index: Index<'a>,
}

/// Resources by ARN, and each control's resources.
struct Index<'a> {
    resources: HashMap<&'a str, Resource<'a>>,
    /// (control id, resource id) -> the resource's result.
    results: HashMap<(&'a str, &'a str), &'a ResourceResult>,
}

/// A data store of the snapshot.
#[derive(Clone, Copy)]
enum Resource<'a> {
    Instance(&'a DbInstance),
    Cluster(&'a DbCluster),
    LogGroup(&'a LogGroup),
    Queue(&'a SqsQueue),
    Table(&'a DynamoDbTable),
    ReplicationGroup(&'a ReplicationGroup),
    ServerlessCache(&'a ServerlessCache),
    Bucket(&'a Bucket),
}

impl<'a> Builder<'a> {
    pub(super) fn new(src: &'a Sources<'a>) -> Builder<'a> {
        let snap = &src.snapshot.snapshot;
        let mut resources = HashMap::new();
        resources.extend(snap.rds.instances.iter().map(|i| (i.arn.as_str(), Resource::Instance(i))));
        resources.extend(snap.rds.clusters.iter().map(|c| (c.arn.as_str(), Resource::Cluster(c))));
        resources.extend(snap.logs.log_groups.iter().map(|g| (g.arn.as_str(), Resource::LogGroup(g))));
        resources.extend(snap.sqs.queues.iter().map(|q| (q.arn.as_str(), Resource::Queue(q))));
        resources.extend(snap.dynamodb.tables.iter().map(|x| (x.arn.as_str(), Resource::Table(x))));
        let caches = &snap.elasticache;
        resources.extend(caches.replication_groups.iter().map(|g| (g.arn.as_str(), Resource::ReplicationGroup(g))));
        resources.extend(caches.serverless_caches.iter().map(|c| (c.arn.as_str(), Resource::ServerlessCache(c))));
        resources.extend(snap.s3.buckets.iter().map(|b| (b.arn.as_str(), Resource::Bucket(b))));
        let results = src
            .report
            .controls
            .iter()
            .flat_map(|c| c.resources.iter().map(move |r| ((c.id.as_str(), &*r.id), r)))
            .collect();
        Builder { src, snap, report: src.report, index: Index { resources, results } }
    }
}

/// One table cell of plain text.
fn cell(text: impl Into<String>) -> Vec<Inline> {
    vec![t(text)]
}

fn code_cell(text: impl Into<String>) -> Vec<Inline> {
    vec![code(text)]
}

fn yes_no(value: bool) -> Vec<Inline> {
    cell(if value { "yes" } else { "no" })
}

fn days(n: impl Into<i64>) -> String {
    let n = n.into();
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

fn join_inlines(parts: Vec<Vec<Inline>>, sep: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(t(sep));
        }
        out.extend(p);
    }
    out
}

/// One column of a declared table: header, field key, and how to read the field.
type DeclaredColumn<T> = (&'static str, &'static str, fn(&T) -> &Option<String>);

/// A declared list (recipients, processors, transfers) as a table with one column per
/// field: `none` when the record does not declare the list, `empty` when it declares
/// none, and a missing field marked with its key (`processor[0].agreement`).
fn declared_table<T>(
    doc: &mut Document,
    list: &Option<Vec<T>>,
    key: &str,
    none: Vec<Inline>,
    empty: &str,
    columns: &[DeclaredColumn<T>],
) {
    match list {
        None => doc.para(none),
        Some(items) if items.is_empty() => doc.para(vec![t(empty)]),
        Some(items) => {
            let rows = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    columns
                        .iter()
                        .map(|(_, field, value)| fact(declared(value(item)), &format!("{key}[{i}].{field}")))
                        .collect()
                })
                .collect();
            let header: Vec<&str> = columns.iter().map(|(header, _, _)| *header).collect();
            doc.table(&header, rows);
        }
    }
}

impl<'a> Builder<'a> {
    fn record(&self) -> &'a ProcessingRecord {
        self.src.record
    }

    fn control(&self, id: &str) -> Option<&'a ControlResult> {
        self.report.controls.iter().find(|c| c.id == id)
    }

    /// A verdict, with when it falls due if it is PENDING.
    fn verdict(&self, c: &ControlResult) -> Vec<Inline> {
        let mut v = vec![Inline::Verdict(c.verdict)];
        if c.verdict == Verdict::Pending {
            v.push(t(format!(" (due {})", c.phase_id)));
        }
        v
    }

    /// The verdict of one resource under a control; failing resources of a control
    /// not due yet are PENDING. None: not in the control's scope.
    fn resource_verdict(&self, id: &str, arn: &str) -> Vec<Inline> {
        let Some(c) = self.control(id) else {
            return vec![em("not evaluated")];
        };
        match self.index.results.get(&(id, arn)).copied() {
            Some(r) if c.shown_verdict(r) == Verdict::Pending => {
                vec![Inline::Verdict(Verdict::Pending), t(format!(" (due {})", c.phase_id))]
            }
            Some(r) => vec![Inline::Verdict(r.verdict)],
            None if c.verdict == Verdict::Unknown => vec![Inline::Verdict(Verdict::Unknown)],
            None => cell("not in scope"),
        }
    }

    /// One line per control: id, title, verdict, result.
    fn control_lines(&self, ids: &[&str]) -> Vec<Vec<Inline>> {
        ids.iter()
            .map(|id| match self.control(id) {
                Some(c) => {
                    let mut line = vec![code(*id), t(format!(" {}: ", c.title))];
                    line.extend(self.verdict(c));
                    line.push(t(format!(", {}", c.summary())));
                    line
                }
                None => vec![code(*id), t(" "), em("not evaluated by this version of jalon")],
            })
            .collect()
    }

    /// A resource's own data class, as the policies read it.
    fn class_of(&self, arn: &str) -> Option<&'a str> {
        self.src.inventory.classification(arn).and_then(|c| c.data_class.as_deref())
    }

    /// Whether the policies count this class as personal data.
    fn is_personal_class(&self, class: &str) -> bool {
        self.src.inventory.data_classes.iter().any(|c| c.personal && c.data_class.as_deref() == Some(class))
    }

    fn short(&self, arn: &'a str) -> &'a str {
        crate::snapshot::arn::label(arn, self.snap.regions.len() <= 1)
    }

    /// The catalogue's open gaps for one section, as Gap blocks.
    fn gaps(&self, doc: &mut Document, section: &str) {
        for gap in self.src.catalogue.gaps.iter().filter(|g| g.section == section && g.is_open()) {
            let text = gap.text.replace("{regions}", &self.snap.regions.join(", "));
            // Backticks mark code: odd pieces are code spans.
            let mut inlines: Vec<Inline> = text
                .split('`')
                .enumerate()
                .filter(|(_, piece)| !piece.is_empty())
                .map(|(i, piece)| if i % 2 == 1 { code(piece) } else { t(piece) })
                .collect();
            let ids: Vec<&str> = gap.controls.iter().map(String::as_str).collect();
            inlines.push(t(self.not_evaluated(&ids)));
            doc.gap(inlines);
        }
    }

    /// " Not evaluated, for lack of evidence: GDP-005 (...)." when the policies lack
    /// these controls; "" otherwise.
    fn not_evaluated(&self, ids: &[&str]) -> String {
        let absent: Vec<String> = ids
            .iter()
            .copied()
            .filter(|id| self.control(id).is_none())
            .map(|id| match self.src.catalogue.about(id) {
                Some(about) => format!("{id} ({about})"),
                None => id.to_string(),
            })
            .collect();
        if absent.is_empty() {
            String::new()
        } else {
            format!(" Not evaluated, for lack of evidence: {}.", absent.join("; "))
        }
    }

    /// Failing, pending and waived resources of these controls, one line each.
    fn findings<'b>(&self, ids: impl Iterator<Item = &'b str>) -> Vec<Vec<Inline>> {
        let mut out = Vec::new();
        for id in ids {
            let Some(c) = self.control(id) else { continue };
            for r in c.resources.iter().filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Waived)) {
                let v = c.shown_verdict(r);
                out.push(vec![
                    code(id),
                    t(" "),
                    Inline::Verdict(v),
                    t(" "),
                    code(self.short(&r.id)),
                    t(format!(": {}", r.message)),
                ]);
            }
        }
        out
    }
}

fn account(id: &str) -> &str {
    if id.is_empty() {
        "unknown"
    } else {
        id
    }
}

fn rest_encryption(encrypted: bool, key: Option<&str>) -> Vec<Inline> {
    match (encrypted, key) {
        (true, Some(k)) => vec![t("KMS key "), code(resource_name(k))],
        (true, None) => cell("encrypted"),
        (false, _) => vec![strong("not encrypted")],
    }
}

/// "1 DB instance, 2 log groups".
fn count_kinds(resources: &[(&str, &str)]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (kind, _) in resources {
        *counts.entry(kind).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(kind, n)| if n == 1 { format!("1 {kind}") } else { format!("{n} {kind}s") })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The appendix's inputs, owned, as `jalon gdpr` builds them: the unit tests of the
/// sections write one section from them and read its Markdown.
#[cfg(test)]
pub(super) mod fixtures {
    use std::path::{Path, PathBuf};

    use super::Builder;
    use crate::gdpr::catalogue::Catalogue;
    use crate::gdpr::doc::Document;
    use crate::gdpr::record::ProcessingRecord;
    use crate::gdpr::Sources;
    use crate::pipeline::{self, Evaluation, Request, TeamFiles};

    pub struct Fixture {
        pub record: ProcessingRecord,
        pub evaluation: Evaluation,
        pub catalogue: Catalogue,
    }

    fn repo(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
    }

    impl Fixture {
        /// The bundled demo, with its config, waivers, attestations and processing record.
        pub fn demo() -> Fixture {
            Fixture::of(&repo("examples/demo-snapshot.json"), Some(&repo("examples/jalon.toml")))
        }

        /// A snapshot judged with a config (and the demo's waivers, attestations and record).
        pub fn of(snapshot: &Path, config: Option<&Path>) -> Fixture {
            let files = TeamFiles {
                config: config.map(Path::to_path_buf),
                waivers: Some(repo("examples/waivers.toml")),
                attestations: Some(repo("examples/attestations.toml")),
                ..TeamFiles::default()
            };
            let request = Request { keep_resources: true, inventory: true, ..Request::of_snapshot(snapshot, files) };
            let record_text = std::fs::read_to_string(repo("examples/processing.toml")).unwrap();
            Fixture {
                record: ProcessingRecord::parse(&record_text).unwrap(),
                evaluation: pipeline::run(&request).unwrap_or_else(|e| panic!("{e}")),
                catalogue: Catalogue::embedded().unwrap(),
            }
        }

        pub fn sources(&self) -> Sources<'_> {
            Sources {
                record: &self.record,
                record_file: "processing.toml",
                record_sha256: "0123",
                snapshot: &self.evaluation.snapshot,
                snapshot_file: "snapshot.json",
                report: &self.evaluation.report,
                inventory: self.evaluation.inventory.as_ref().expect("evaluated with the inventory"),
                catalogue: &self.catalogue,
                config: &self.evaluation.rules.config,
                config_file: Some("jalon.toml"),
                waivers_file: None,
                attestations_file: None,
            }
        }

        /// One section, alone, as Markdown.
        pub fn section(&self, write: impl Fn(&Builder, &mut Document)) -> String {
            let sources = self.sources();
            let builder = Builder::new(&sources);
            let mut doc = Document::default();
            write(&builder, &mut doc);
            crate::gdpr::markdown::render(&doc)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::Fixture;

    #[test]
    fn every_open_gap_of_the_catalogue_is_in_the_appendix() {
        let demo = Fixture::demo();
        let text = crate::gdpr::markdown::render(&crate::gdpr::build(&demo.sources()));
        let open: Vec<_> = demo.catalogue.gaps.iter().filter(|g| g.is_open()).collect();
        // Fewer as collectors are added (CloudTrail, DynamoDB, ElastiCache and S3 closed
        // theirs); never none yet: IAM, RAM, GuardDuty, on-demand backups.
        assert!(open.len() >= 3, "{} open gaps", open.len());
        for gap in open {
            let start: String = gap.text.chars().take_while(|c| *c != '{' && *c != '`').take(40).collect();
            assert!(text.contains(&format!("> **Gap:** {start}")), "the {} gap is missing: {start}", gap.section);
        }
    }
}
