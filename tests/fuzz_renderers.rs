//! Property-based fuzzing of the renderers: a resource named with anything (the
//! account's names are hostile) reaches every format as inert text of that format.
//! The demo is judged once; each case renames its failing resources and renders every
//! format, against the same report with a plain name where structure is compared.
//!
//! What each format must keep, whatever the name:
//! - JSON: the name, byte for byte;
//! - the table: no character a terminal acts on or a reader can not see;
//! - Markdown: the same document structure (no link, image, HTML, cell or heading
//!   of the name's making);
//! - HTML: the same tags;
//! - JUnit: well-formed XML of XML 1.0's characters only;
//! - SARIF: valid JSON whose artifact URIs stay under their base.
//! - OCSF: a valid JSON list whose resource uids keep the name byte for byte;
//! - ASFF: a valid JSON list within Security Hub's lengths (UTF-16 units), never a
//!   blank field, the name whole in the resource id;
//! - CSV: the same rows as with a plain name, each id read back as written (hidden
//!   characters written out, a `'` before a formula), no cell a spreadsheet reads as
//!   a formula, no hidden character but line breaks and tabs;
//! - the fix script: the same lines of its own, every other line a comment or one
//!   `aws` command (no name ends a comment or adds a command), valid bash.
//!
//! Over several accounts (`check --snapshot DIR`) the account's name and its
//! collection message come from the Organization and the index: hostile too. Each
//! format's writer over accounts keeps the same properties with them.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jalon::engine::fix::Facts;
use jalon::engine::PolicySet;
use jalon::pipeline::{self, Request, TeamFiles};
use jalon::render::{Format, Options, View};
use jalon::result::{CheckReport, ControlResult, Verdict};
use proptest::prelude::*;
use pulldown_cmark::{Event, Options as MdOptions, Parser};
use serde_json::Value;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The demo judged with its config, waivers and attestations: failures, waivers and
/// pending items, so every part of every format is drawn.
fn demo() -> &'static CheckReport {
    static DEMO: OnceLock<CheckReport> = OnceLock::new();
    DEMO.get_or_init(|| {
        let files = TeamFiles {
            config: Some(repo("examples/jalon.toml")),
            waivers: Some(repo("examples/waivers.toml")),
            attestations: Some(repo("examples/attestations.toml")),
            ..TeamFiles::default()
        };
        let request = Request::of_snapshot(repo("examples/demo-snapshot.json"), files);
        pipeline::run(&request).unwrap_or_else(|e| panic!("{e}")).report
    })
}

/// The demo with the first failing or waived resource of every control renamed: the
/// last segment of its ARN becomes `name`, and its message quotes it.
fn renamed(name: &str) -> CheckReport {
    let mut report = demo().clone();
    let mut renamed = 0;
    for c in &mut report.controls {
        if let Some(r) = c.resources.iter_mut().find(|r| matches!(r.verdict, Verdict::Fail | Verdict::Waived)) {
            let prefix = match r.id.rfind(':') {
                Some(at) => &r.id[..=at],
                None => "",
            };
            r.id = format!("{prefix}{name}").into();
            r.message = format!("{name} has no retention");
            // The fix as jalon fills it for that name. A name with a NUL gets none (no
            // shell argument holds one; engine::fix's tests): it keeps the demo's, so the
            // structure compared stays that of a fix.
            if let Some(fix) =
                r.fix.as_ref().and_then(|_| policies().controls[&c.id].fix.fill(&r.id, &Facts::default()))
            {
                r.fix = Some(fix);
            }
            renamed += 1;
        }
    }
    assert!(renamed > 3, "the demo has failing resources in several controls");
    report
}

fn policies() -> &'static PolicySet {
    static POLICIES: OnceLock<PolicySet> = OnceLock::new();
    POLICIES.get_or_init(|| PolicySet::load(None).unwrap())
}

/// The fix script's own lines: neither a comment nor a command (a per-resource
/// variable's suffix, a hash of the resource's ARN, left out).
fn fix_structure(script: &str) -> Vec<String> {
    static SUFFIX: OnceLock<regex::Regex> = OnceLock::new();
    let suffix = SUFFIX.get_or_init(|| regex::Regex::new(r"\b([A-Z][A-Z0-9_]*)_[0-9A-F]{6}\b").unwrap());
    script
        .lines()
        .filter(|l| !l.starts_with("# ") && !l.starts_with("aws "))
        .map(|l| suffix.replace_all(l, "${1}_RESOURCE").into_owned())
        .collect()
}

fn check_fix(plain: &str, hostile: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(fix_structure(plain), fix_structure(hostile), "fix script:\n{}", hostile);
    let commands = |s: &str| s.lines().filter(|l| l.starts_with("aws ")).count();
    prop_assert!(commands(hostile) <= commands(plain), "fix script: a command of the name's making");
    Ok(())
}

fn bash_accepts(script: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jalon-fix.sh");
    std::fs::write(&path, script).unwrap();
    std::process::Command::new("bash").arg("-n").arg(&path).status().unwrap().success()
}

fn render(report: &CheckReport, format: Format) -> String {
    let shown = |_: &ControlResult| true;
    let options = Options { color: false, width: Some(100), exit_code: 1, ..Options::default() };
    let view = View { report, shown: &shown, options };
    let mut out = Vec::new();
    format.write(&view, &mut out).expect("rendering to memory");
    String::from_utf8(out).expect("every format writes UTF-8")
}

// ---------------------------------------------------------------- names

/// Pieces the account could hold that each mean something to some reader.
const HOSTILE: &[&str] = &[
    "\u{1b}[2J",
    "\u{1b}]8;;http://evil.example\u{7}click\u{1b}]8;;\u{7}",
    "\u{9b}31m",
    "\u{7}",
    "\u{202e}gol.exe",
    "\u{2066}",
    "\u{200b}",
    "\u{feff}",
    "\n```\n![x](http://evil.example/p.png)\n```\n",
    "\r\n# heading\n",
    "| a | b |",
    "[link](http://evil.example)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&amp;&#x3c;",
    "https://evil.example/x",
    "www.evil.example",
    "ops@evil.example",
    "*em* _em_ ~~s~~ $x$",
    "`code` ``",
    "\\",
    "/../../.github/workflows/x.yml",
    "..",
    "%2e%2e/",
    "]]>",
    "\u{0}",
    "\u{fffe}\u{ffff}",
    "\u{10ffff}",
    "\"quoted\" 'single'",
    "{{template}}",
];

fn hostile_name() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(HOSTILE).prop_map(String::from),
        2 => any::<String>(),
        1 => "[a-z0-9/._-]{1,20}",
    ];
    // Never empty: a resource is named; the prefix keeps the first piece off the ARN's colon.
    proptest::collection::vec(piece, 1..5).prop_map(|pieces| format!("n-{}", pieces.concat()))
}

// ---------------------------------------------------------------- what each format keeps

fn is_hidden(c: char) -> bool {
    jalon::render::escape::is_hidden(c)
}

/// Markdown's structure: every event but the text inside it.
fn markdown_structure(md: &str) -> Vec<String> {
    let mut options = MdOptions::empty();
    options.insert(MdOptions::ENABLE_TABLES);
    options.insert(MdOptions::ENABLE_STRIKETHROUGH);
    options.insert(MdOptions::ENABLE_TASKLISTS);
    options.insert(MdOptions::ENABLE_MATH);
    Parser::new_ext(md, options)
        .filter_map(|event| match event {
            Event::Text(_) | Event::Code(_) => None,
            Event::Start(tag) => Some(format!("start {tag:?}").split('(').next().map(String::from).unwrap_or_default()),
            other => Some(format!("{other:?}").split('(').next().map(String::from).unwrap_or_default()),
        })
        .collect()
}

fn tags(html: &str) -> usize {
    html.matches('<').count()
}

fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

fn check_json(text: &str, id_suffix: &str) -> Result<(), TestCaseError> {
    let json: Value = serde_json::from_str(text).map_err(|e| TestCaseError::fail(format!("JSON: {e}")))?;
    let found = json["controls"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["resources"].as_array().into_iter().flatten())
        .any(|r| r["id"].as_str().is_some_and(|id| id.ends_with(id_suffix)));
    prop_assert!(found, "JSON: the name did not survive byte for byte");
    Ok(())
}

fn check_table(text: &str) -> Result<(), TestCaseError> {
    let raw: Vec<char> = text.chars().filter(|&c| c != '\n' && is_hidden(c)).collect();
    prop_assert!(raw.is_empty(), "table: raw hidden characters {raw:?}");
    Ok(())
}

fn check_junit(text: &str) -> Result<(), TestCaseError> {
    let bad: Vec<char> = text.chars().filter(|&c| !xml_char(c)).collect();
    prop_assert!(bad.is_empty(), "JUnit: characters XML 1.0 can not hold: {bad:?}");
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(TestCaseError::fail(format!("JUnit: not well-formed: {e}"))),
        }
    }
    Ok(())
}

fn check_sarif(text: &str) -> Result<(), TestCaseError> {
    let log: Value = serde_json::from_str(text).map_err(|e| TestCaseError::fail(format!("SARIF: {e}")))?;
    for result in log["runs"][0]["results"].as_array().into_iter().flatten() {
        for location in result["locations"].as_array().into_iter().flatten() {
            let uri = location["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap_or_default();
            // RFC 3986 path characters only, and no dot segment, raw or encoded.
            let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%".contains(c);
            prop_assert!(uri.chars().all(allowed), "SARIF: a URI character outside RFC 3986: {uri}");
            prop_assert!(
                !uri.split('/').any(|s| matches!(
                    s.to_ascii_lowercase().as_str(),
                    "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
                )),
                "SARIF: a dot segment climbs out of the base: {uri}"
            );
            prop_assert!(!uri.starts_with('/'), "SARIF: an absolute path leaves the base: {uri}");
        }
    }
    Ok(())
}

fn check_ocsf(text: &str, id_suffix: &str) -> Result<(), TestCaseError> {
    let events: Vec<Value> = serde_json::from_str(text).map_err(|e| TestCaseError::fail(format!("OCSF: {e}")))?;
    let found = events.iter().any(|e| e["resources"][0]["uid"].as_str().is_some_and(|id| id.ends_with(id_suffix)));
    prop_assert!(found, "OCSF: the name did not survive byte for byte");
    Ok(())
}

fn check_asff(text: &str, id_suffix: &str) -> Result<(), TestCaseError> {
    let findings: Vec<Value> = serde_json::from_str(text).map_err(|e| TestCaseError::fail(format!("ASFF: {e}")))?;
    let units = |v: &Value| v.as_str().map_or(0, |s| s.encode_utf16().count());
    for f in &findings {
        prop_assert!(units(&f["Title"]) <= 256, "ASFF: Title too long");
        prop_assert!(units(&f["Description"]) <= 1024, "ASFF: Description too long");
        prop_assert!(units(&f["Remediation"]["Recommendation"]["Text"]) <= 512, "ASFF: Recommendation too long");
        for field in [&f["Title"], &f["Description"], &f["Resources"][0]["Id"]] {
            prop_assert!(field.as_str().is_some_and(|s| !s.trim().is_empty()), "ASFF: a blank field {f}");
        }
        let region = f["Resources"][0]["Region"].as_str().unwrap_or("eu-west-3");
        prop_assert!(region.len() <= 16 && !region.contains(char::is_whitespace), "ASFF: region {region:?}");
    }
    let found = findings.iter().any(|f| f["Resources"][0]["Id"].as_str().is_some_and(|id| id.ends_with(id_suffix)));
    prop_assert!(found, "ASFF: the name did not survive byte for byte");
    Ok(())
}

fn csv_rows(text: &str) -> Result<Vec<csv::StringRecord>, TestCaseError> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| TestCaseError::fail(format!("CSV: {e}")))
}

fn check_csv(plain: &str, hostile: &str, ids: &[String]) -> Result<(), TestCaseError> {
    let (plain, rows) = (csv_rows(plain)?, csv_rows(hostile)?);
    prop_assert_eq!(plain.len(), rows.len(), "CSV: the name made or unmade a row");
    for cell in rows.iter().flat_map(|r| r.iter()) {
        prop_assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "CSV: a formula cell {:?}", cell);
    }
    let raw: Vec<char> = rows
        .iter()
        .flat_map(|r| r.iter())
        .flat_map(str::chars)
        .filter(|&c| is_hidden(c) && !"\n\r\t".contains(c))
        .collect();
    prop_assert!(raw.is_empty(), "CSV: raw hidden characters {:?}", raw);
    let resources: Vec<&str> = rows.iter().map(|r| &r[6]).collect();
    for id in ids {
        let shown = jalon::render::csv::cell(id);
        prop_assert!(resources.contains(&shown.as_ref()), "CSV: {:?} not read back as written", id);
    }
    Ok(())
}

/// The ids of the renamed resources: the name at the end.
fn renamed_ids(report: &CheckReport, name: &str) -> Vec<String> {
    report
        .controls
        .iter()
        .flat_map(|c| &c.resources)
        .map(|r| r.id.to_string())
        .filter(|id| id.ends_with(name))
        .collect()
}

// ---------------------------------------------------------------- over accounts

/// The demo's report as one account of a directory whose index gives it `name` and,
/// as the reason it is incomplete, `name` again; rendered by `format`'s writer over
/// accounts.
fn render_accounts(name: &str, format: Format) -> String {
    use jalon::render::accounts::{writer, AccountPart};
    use jalon::result::summary::RunSummary;
    use jalon::snapshot::index::{AccountSource, AccountStatus, IndexedAccount, LoadedIndex, SnapshotIndex};
    use jalon::snapshot::{CollectionCost, ToolInfo};

    let report = demo();
    let entry = IndexedAccount {
        id: report.snapshot.account_id.clone(),
        name: Some(name.to_string()),
        regions: report.snapshot.regions.clone(),
        status: AccountStatus::Incomplete,
        message: Some(format!("lambda in eu-west-3: throttled: {name}")),
        snapshot: format!("{}.json", report.snapshot.account_id),
        sha256: report.snapshot.sha256.clone(),
        cost: CollectionCost::default(),
    };
    let index = LoadedIndex {
        index: SnapshotIndex {
            index_version: jalon::snapshot::index::INDEX_VERSION,
            tool: ToolInfo { name: "jalon".into(), version: "0.1.0".into() },
            collected_at: report.snapshot.collected_at.clone(),
            source: AccountSource::Organization,
            role_name: "jalon-audit".into(),
            accounts: vec![entry.clone()],
            cost: CollectionCost::default(),
            shard: None,
            listed_accounts: None,
            excluded_accounts: Vec::new(),
        },
        file: PathBuf::from("index.json"),
        dir: PathBuf::from("."),
        sha256: "0".repeat(64),
    };
    let shown = |_: &ControlResult| true;
    let options = Options { color: false, width: Some(100), exit_code: 1, ..Options::default() };
    let view = View { report, shown: &shown, options };
    let mut out = Vec::new();
    let mut w = writer(format, options).expect("a writer over accounts");
    w.begin(&index, &mut out).expect("begin");
    w.account(&AccountPart { entry: &entry, view: &view }, &mut out).expect("account");
    let mut summary = RunSummary::new(&index);
    summary.add(&entry, report, &shown, 1);
    w.finish(&summary, &mut out).expect("finish");
    String::from_utf8(out).expect("every format writes UTF-8")
}

fn check_accounts_formats(name: &str) -> Result<(), TestCaseError> {
    let plain = "n-plain-account";
    let json: Value = serde_json::from_str(&render_accounts(name, Format::Json))
        .map_err(|e| TestCaseError::fail(format!("JSON over accounts: {e}")))?;
    prop_assert_eq!(json["accounts"][0]["account"]["name"].as_str(), Some(name), "JSON: the name byte for byte");
    check_table(&render_accounts(name, Format::Table))?;
    check_junit(&render_accounts(name, Format::Junit))?;
    check_sarif(&render_accounts(name, Format::Sarif))?;
    for format in [Format::Ocsf, Format::Asff] {
        let text = render_accounts(name, format);
        let list: Vec<Value> =
            serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{format:?} over accounts: {e}")))?;
        prop_assert!(!list.is_empty());
    }
    let (csv_plain, csv_hostile) = (render_accounts(plain, Format::Csv), render_accounts(name, Format::Csv));
    prop_assert_eq!(csv_rows(&csv_plain)?.len(), csv_rows(&csv_hostile)?.len(), "CSV over accounts: rows");
    for cell in csv_rows(&csv_hostile)?.iter().flat_map(|r| r.iter().map(str::to_string).collect::<Vec<_>>()) {
        prop_assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "CSV over accounts: a formula cell {:?}",
            cell
        );
    }
    let (md_plain, md_hostile) = (render_accounts(plain, Format::Markdown), render_accounts(name, Format::Markdown));
    prop_assert_eq!(
        markdown_structure(&md_plain),
        markdown_structure(&md_hostile),
        "Markdown over accounts:\n{}",
        md_hostile
    );
    let raw: Vec<char> = md_hostile.chars().filter(|&c| c != '\n' && is_hidden(c)).collect();
    prop_assert!(raw.is_empty(), "Markdown over accounts: raw hidden characters {:?}", raw);
    let (html_plain, html_hostile) = (render_accounts(plain, Format::Html), render_accounts(name, Format::Html));
    prop_assert_eq!(tags(&html_plain), tags(&html_hostile), "HTML over accounts: the name made or unmade a tag");
    Ok(())
}

#[test]
fn hostile_account_names_reach_every_format_over_accounts_inertly() {
    for piece in HOSTILE {
        check_accounts_formats(piece).unwrap_or_else(|e| panic!("{piece:?}: {e}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Each case renders nine formats of the demo (some twice); PROPTEST_CASES raises it.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_hostile_name_is_inert_text_in_every_format(name in hostile_name()) {
        let plain = renamed("n-plain-name");
        let hostile = renamed(&name);

        check_json(&render(&hostile, Format::Json), &name)?;
        check_table(&render(&hostile, Format::Table))?;
        check_junit(&render(&hostile, Format::Junit))?;
        check_sarif(&render(&hostile, Format::Sarif))?;
        check_ocsf(&render(&hostile, Format::Ocsf), &name)?;
        check_asff(&render(&hostile, Format::Asff), &name)?;
        check_csv(&render(&plain, Format::Csv), &render(&hostile, Format::Csv), &renamed_ids(&hostile, &name))?;

        let (md_plain, md_hostile) = (render(&plain, Format::Markdown), render(&hostile, Format::Markdown));
        prop_assert_eq!(markdown_structure(&md_plain), markdown_structure(&md_hostile), "Markdown:\n{}", md_hostile);
        let raw: Vec<char> = md_hostile.chars().filter(|&c| c != '\n' && is_hidden(c)).collect();
        prop_assert!(raw.is_empty(), "Markdown: raw hidden characters {:?}", raw);

        let (html_plain, html_hostile) = (render(&plain, Format::Html), render(&hostile, Format::Html));
        prop_assert_eq!(tags(&html_plain), tags(&html_hostile), "HTML: the name made or unmade a tag");

        check_fix(&render(&plain, Format::Fix), &render(&hostile, Format::Fix))?;
        check_accounts_formats(&name)?;
    }
}

#[test]
fn the_hostile_pieces_each_reach_every_format_inertly() {
    // Each piece alone, so a failure names it (the property mixes them).
    let plain = renamed("n-plain-name");
    let md_plain = markdown_structure(&render(&plain, Format::Markdown));
    let html_plain = tags(&render(&plain, Format::Html));
    let csv_plain = render(&plain, Format::Csv);
    let fix_plain = render(&plain, Format::Fix);
    for piece in HOSTILE {
        let name = format!("n-{piece}");
        let hostile = renamed(&name);
        let ok = check_json(&render(&hostile, Format::Json), &name)
            .and(check_table(&render(&hostile, Format::Table)))
            .and(check_junit(&render(&hostile, Format::Junit)))
            .and(check_sarif(&render(&hostile, Format::Sarif)))
            .and(check_ocsf(&render(&hostile, Format::Ocsf), &name))
            .and(check_asff(&render(&hostile, Format::Asff), &name))
            .and(check_csv(&csv_plain, &render(&hostile, Format::Csv), &renamed_ids(&hostile, &name)));
        assert!(ok.is_ok(), "{piece:?}: {ok:?}");
        let md = render(&hostile, Format::Markdown);
        assert_eq!(md_plain, markdown_structure(&md), "{piece:?} changed the Markdown:\n{md}");
        assert_eq!(html_plain, tags(&render(&hostile, Format::Html)), "{piece:?} made or unmade an HTML tag");
        let script = render(&hostile, Format::Fix);
        assert!(check_fix(&fix_plain, &script).is_ok(), "{piece:?} changed the fix script:\n{script}");
        assert!(bash_accepts(&script), "{piece:?}: bash -n refuses the fix script:\n{script}");
    }
}
