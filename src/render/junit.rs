//! `--format junit`: JUnit XML, so CI systems (GitLab, Jenkins, Azure DevOps,
//! GitHub test reporters) list the checklist as tests and draw trend graphs.
//!
//! One `<testsuite>` per phase (`J+0: Cutover day`), and in it one test case per
//! control plus one per resource the control judged, all with the control id as
//! `classname`. Names are stable from run to run (id, title, ARN), which is what
//! trend graphs key on:
//!
//! | verdict | test case |
//! |---|---|
//! | FAIL | `<failure>`: the message, then the remediation |
//! | UNKNOWN, NEEDS_EVIDENCE | `<error>`: the evidence is incomplete, the check could not run |
//! | PENDING, NOT_APPLICABLE, WAIVED | `<skipped>` with the reason |
//! | PASS | passes |
//!
//! A failing resource of a control that is not due yet is PENDING, like its
//! control. No timestamps or durations: the same result gives the same file.
//!
//! Written with quick-xml in the layout quick-junit (the nextest writer) uses. Not
//! through quick-junit itself: it strips ANSI escapes from every string one
//! character at a time, which was most of the JUnit time (docs/benchmarks.md). Here
//! only text that holds a control character pays for cleaning.

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::render::escape::xml::text as xml_text;
use crate::render::{not_due_reason, remediation_for, View};
use crate::result::{CheckReport, ControlResult, PhaseRef, ResourceResult, Verdict};

/// What a test case holds besides its name: nothing (it passed), or one of these.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Failure,
    Error,
    Skipped,
}

impl Kind {
    fn of(verdict: Verdict) -> Option<Kind> {
        match verdict {
            Verdict::Pass => None,
            Verdict::Fail => Some(Kind::Failure),
            Verdict::Unknown | Verdict::NeedsEvidence => Some(Kind::Error),
            Verdict::Pending | Verdict::NotApplicable | Verdict::Waived => Some(Kind::Skipped),
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Kind::Failure => "failure",
            Kind::Error => "error",
            Kind::Skipped => "skipped",
        }
    }
}

/// The `<failure>`, `<error>` or `<skipped>` element of a test case.
struct Status {
    kind: Kind,
    message: String,
    /// The control's verdict for a failure or an error; for a skip, the case's own.
    ty: &'static str,
    description: Option<String>,
}

/// Test cases by kind: the attributes of `<testsuites>` and `<testsuite>`.
#[derive(Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, kind: Option<Kind>) {
        self.tests += 1;
        match kind {
            Some(Kind::Failure) => self.failures += 1,
            Some(Kind::Error) => self.errors += 1,
            Some(Kind::Skipped) => self.skipped += 1,
            None => {}
        }
    }

    fn of_suite(controls: &[&ControlResult]) -> Counts {
        let mut counts = Counts::default();
        for c in controls {
            counts.add(Kind::of(c.verdict));
            for r in &c.resources {
                counts.add(Kind::of(c.shown_verdict(r)));
            }
        }
        counts
    }

    fn sum(all: &[Counts]) -> Counts {
        all.iter().fold(Counts::default(), |t, c| Counts {
            tests: t.tests + c.tests,
            failures: t.failures + c.failures,
            errors: t.errors + c.errors,
            skipped: t.skipped + c.skipped,
        })
    }
}

/// Streams the JUnit XML to `out` (tens of MB on a large account: not built as a string).
pub fn write(view: &View, out: &mut dyn Write) -> io::Result<()> {
    let suites = suites_of(view);
    // The totals open the document, so they are counted first.
    let counts: Vec<Counts> = suites.iter().map(|(_, controls)| Counts::of_suite(controls)).collect();
    let total = Counts::sum(&counts);

    let mut xml = quick_xml::Writer::new_with_indent(out, b' ', 4);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", "jalon"));
    push_numbers(&mut root, [("tests", total.tests), ("skipped", total.skipped)]);
    push_numbers(&mut root, [("failures", total.failures), ("errors", total.errors)]);
    xml.write_event(Event::Start(root))?;
    write_suites(&mut xml, view.report, &suites, &counts, None)?;
    xml.write_event(Event::End(BytesEnd::new("testsuites")))?;
    xml.write_indent()
}

/// The phases with controls in view, and those controls.
fn suites_of<'a>(view: &View<'a>) -> Vec<(&'a PhaseRef, Vec<&'a ControlResult>)> {
    let (report, shown) = (view.report, view.shown);
    report
        .phases
        .iter()
        .map(|phase| (phase, report.controls.iter().filter(|c| c.phase_id == phase.id && shown(c)).collect()))
        .filter(|(_, controls): &(_, Vec<_>)| !controls.is_empty())
        .collect()
}

/// One account's suites in a run over several accounts: each suite's name, each test
/// case's name and class name carry the account (`111111111111 (production)`), so two
/// accounts' cases never merge in a CI's trend graphs.
pub fn write_account<W: Write>(xml: &mut quick_xml::Writer<W>, view: &View, account: &str) -> io::Result<()> {
    let suites = suites_of(view);
    let counts: Vec<Counts> = suites.iter().map(|(_, controls)| Counts::of_suite(controls)).collect();
    write_suites(xml, view.report, &suites, &counts, Some(account))
}

fn write_suites<W: Write>(
    xml: &mut quick_xml::Writer<W>,
    report: &CheckReport,
    suites: &[(&PhaseRef, Vec<&ControlResult>)],
    counts: &[Counts],
    account: Option<&str>,
) -> io::Result<()> {
    let named = |text: String| match account {
        Some(account) => format!("[{account}] {text}"),
        None => text,
    };
    for ((phase, controls), counts) in suites.iter().zip(counts) {
        let mut suite = BytesStart::new("testsuite");
        let title = match account {
            Some(account) => format!("{account} · {}: {}", phase.id, phase.title),
            None => format!("{}: {}", phase.id, phase.title),
        };
        suite.push_attribute(("name", xml_text(&title).as_ref()));
        push_numbers(&mut suite, [("tests", counts.tests), ("skipped", counts.skipped)]);
        push_numbers(&mut suite, [("errors", counts.errors), ("failures", counts.failures)]);
        xml.write_event(Event::Start(suite))?;
        write_properties(xml, report, phase, account)?;
        for c in controls {
            let classname = match account {
                Some(_) => format!("{}.{}", report.snapshot.account_id, c.id),
                None => c.id.clone(),
            };
            let name = match crate::render::team_policy_note(c) {
                Some(note) => format!("{}: {} ({note})", c.id, c.title),
                None => format!("{}: {}", c.id, c.title),
            };
            write_case(xml, &named(name), &classname, control_status(report, c))?;
            for r in &c.resources {
                let name = format!("{}: {}", c.id, r.id);
                write_case(xml, &named(name), &classname, resource_status(report, c, r))?;
            }
        }
        xml.write_event(Event::End(BytesEnd::new("testsuite")))?;
    }
    Ok(())
}

fn push_numbers<const N: usize>(tag: &mut BytesStart, numbers: [(&str, usize); N]) {
    for (name, n) in numbers {
        tag.push_attribute((name, n.to_string().as_str()));
    }
}

fn write_properties<W: Write>(
    xml: &mut quick_xml::Writer<W>,
    report: &CheckReport,
    phase: &PhaseRef,
    account: Option<&str>,
) -> io::Result<()> {
    let regions = report.snapshot.regions.join(",");
    let day = report.day.map(crate::render::day_label);
    let mut properties = vec![
        ("phase", phase.id.as_str()),
        ("due", if phase.due { "true" } else { "false" }),
        ("account", report.snapshot.account_id.as_str()),
    ];
    if let Some(account) = account {
        properties.push(("account_label", account));
    }
    properties.extend([("regions", regions.as_str()), ("as_of", report.as_of.as_str())]);
    if let Some(day) = &day {
        properties.push(("day", day.as_str()));
    }
    properties.push(("snapshot_sha256", report.snapshot.sha256.as_str()));
    for w in &report.warnings {
        properties.push(("warning", w.message.as_str()));
    }
    properties.push(("policies_version", report.policies_version.as_str()));
    xml.write_event(Event::Start(BytesStart::new("properties")))?;
    for (name, value) in properties {
        let mut property = BytesStart::new("property");
        property.push_attribute(("name", name));
        property.push_attribute(("value", xml_text(value).as_ref()));
        xml.write_event(Event::Empty(property))?;
    }
    xml.write_event(Event::End(BytesEnd::new("properties")))
}

fn write_case<W: Write>(
    xml: &mut quick_xml::Writer<W>,
    name: &str,
    classname: &str,
    status: Option<Status>,
) -> io::Result<()> {
    let mut case = BytesStart::new("testcase");
    case.push_attribute(("name", xml_text(name).as_ref()));
    case.push_attribute(("classname", xml_text(classname).as_ref()));
    let Some(status) = status else {
        return xml.write_event(Event::Empty(case));
    };
    xml.write_event(Event::Start(case))?;
    let mut element = BytesStart::new(status.kind.tag());
    element.push_attribute(("message", xml_text(&status.message).as_ref()));
    element.push_attribute(("type", status.ty));
    match status.description.filter(|d| !d.is_empty()) {
        Some(description) => {
            xml.write_event(Event::Start(element))?;
            xml.write_event(Event::Text(BytesText::new(&xml_text(&description))))?;
            xml.write_event(Event::End(BytesEnd::new(status.kind.tag())))?;
        }
        None => xml.write_event(Event::Empty(element))?,
    }
    xml.write_event(Event::End(BytesEnd::new("testcase")))
}

/// Failing resources listed in a control's own test case, at most: each has a test
/// case of its own, and a control failing on every log group of a large account would
/// otherwise write each twice.
const MAX_LISTED: usize = 50;

fn control_status(report: &CheckReport, c: &ControlResult) -> Option<Status> {
    let kind = Kind::of(c.verdict)?;
    let summary = c.summary();
    let (message, description) = match c.verdict {
        Verdict::Fail => {
            let failing = c.resources.iter().filter(|r| r.verdict == Verdict::Fail);
            let mut lines: Vec<String> =
                failing.clone().take(MAX_LISTED).map(|r| format!("✗ {}: {}", r.id, r.message)).collect();
            let more = failing.count().saturating_sub(MAX_LISTED);
            if more > 0 {
                lines.push(format!("… and {more} more: each failing resource is a test case of its own"));
            }
            if let Some(first) = c.resources.iter().find(|r| r.verdict == Verdict::Fail) {
                lines.push(format!("fix: {}", remediation_for(c, first)));
            }
            (format!("{summary} (severity {})", c.severity), Some(lines.join("\n")))
        }
        Verdict::Unknown | Verdict::NeedsEvidence => {
            let why = c.note.clone().unwrap_or_else(|| summary.clone());
            let message = format!("evidence incomplete: {}", why.trim_start_matches("evidence incomplete: "));
            (message, Some(format!("fix: {}", c.remediation)))
        }
        Verdict::Pending => (format!("{}: {summary}", not_due_reason(report, c)), None),
        Verdict::Waived => (format!("waived: {summary}"), None),
        Verdict::NotApplicable | Verdict::Pass => (summary, None),
    };
    Some(Status { kind, message, ty: c.verdict.as_str(), description })
}

fn resource_status(report: &CheckReport, c: &ControlResult, r: &ResourceResult) -> Option<Status> {
    let verdict = c.shown_verdict(r);
    let kind = Kind::of(verdict)?;
    let (message, ty, description) = match verdict {
        Verdict::Fail => {
            let fix = format!("severity: {}\nfix: {}", c.severity, remediation_for(c, r));
            (r.message.clone(), c.verdict.as_str(), Some(fix))
        }
        Verdict::Unknown | Verdict::NeedsEvidence => {
            let message = format!("evidence incomplete: {}", r.message);
            (message, c.verdict.as_str(), Some(format!("fix: {}", c.remediation)))
        }
        Verdict::Pending => (format!("{}: {}", not_due_reason(report, c), r.message), verdict.as_str(), None),
        Verdict::Waived | Verdict::NotApplicable | Verdict::Pass => (r.message.clone(), verdict.as_str(), None),
    };
    Some(Status { kind, message, ty, description })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::fixtures::sample_report;

    fn render(report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool) -> String {
        crate::render::to_string(crate::render::Format::Junit, report, shown)
    }

    #[test]
    fn totals_count_every_control_and_resource() {
        let report = sample_report();
        let xml = render(&report, &|_| true);
        // 7 controls and 6 resources. Failures: LOG-001 and its failing log group. Errors:
        // UNKNOWN and NEEDS_EVIDENCE. Skipped: ALM-005 (PENDING) and its failing function,
        // DB-006 (WAIVED) and its database, SEC-001 (NOT_APPLICABLE).
        assert!(xml.contains(r#"<testsuites name="jalon" tests="13" skipped="5" failures="2" errors="2">"#), "{xml}");
        assert!(xml.contains(r#"<testsuite name="J+0: Cutover day" tests="5" skipped="0" errors="2" failures="2">"#));
    }

    #[test]
    fn untrusted_text_is_escaped() {
        let report = sample_report();
        let xml = render(&report, &|_| true);
        assert!(!xml.contains("<script>"), "{xml}");
        assert!(xml.contains("&lt;script&gt;"), "{xml}");
    }

    #[test]
    fn the_phase_view_keeps_only_its_suite() {
        let report = sample_report();
        let xml = render(&report, &|c| c.phase_id == "J+7");
        assert!(!xml.contains("J+0: Cutover day"), "{xml}");
        assert!(xml.contains("J+7: First week"), "{xml}");
    }

    #[test]
    fn a_control_lists_its_first_failures_and_counts_the_rest() {
        let mut report = sample_report();
        let c = report.controls.iter_mut().find(|c| c.id == "LOG-001").expect("LOG-001 in the sample");
        let template = c.resources.iter().find(|r| r.verdict == Verdict::Fail).unwrap().clone();
        c.resources = (0..MAX_LISTED + 7)
            .map(|i| ResourceResult { id: format!("{}-{i}", template.id).into(), ..template.clone() })
            .collect();
        let xml = render(&report, &|_| true);
        let control_case = xml.split("<testcase").find(|t| t.contains("classname=\"LOG-001\"")).unwrap();
        assert_eq!(control_case.matches("✗ ").count(), MAX_LISTED, "{control_case}");
        assert!(control_case.contains("… and 7 more: each failing resource is a test case of its own"));
        // Every one of them is still a test case.
        assert_eq!(xml.matches("classname=\"LOG-001\"").count(), MAX_LISTED + 7 + 1);
    }

    #[test]
    fn hostile_text_still_makes_a_well_formed_document() {
        let mut report = sample_report();
        let hostile = "\u{1b}[31mred\u{1b}[0m ]]> <![CDATA[ \u{0}\u{8}\u{1f} --> \u{ffff}";
        for c in &mut report.controls {
            c.title = hostile.to_string();
            for r in &mut c.resources {
                r.id = format!("{}{hostile}", r.id).into();
                r.message = hostile.to_string();
            }
        }
        let xml = render(&report, &|_| true);
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut failures = 0;
        loop {
            match reader.read_event().unwrap_or_else(|e| panic!("not well-formed: {e}\n{xml}")) {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(e) if e.name().as_ref() == b"failure" => failures += 1,
                quick_xml::events::Event::Text(t) => {
                    let bytes: &[u8] = &t;
                    assert!(!bytes.iter().any(|b| *b < 0x20 && !b"\t\n\r".contains(b)));
                }
                _ => {}
            }
        }
        assert_eq!(failures, 2, "{xml}");
        assert!(!xml.contains('\u{1b}') && !xml.contains('\u{0}') && !xml.contains('\u{ffff}'));
        assert!(xml.contains("red ]]&gt; &lt;![CDATA[  --&gt; "), "{xml}");
    }
}
