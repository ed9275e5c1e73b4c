//! `jalon check --snapshot DIR` over a snapshot directory of several accounts
//! (docs/accounts.md): every account judged with the same files, a failed account
//! UNKNOWN and never dropped, per-account cutovers, waivers scoped to an account,
//! the exit code the worst of the accounts', and an input error (exit 3) naming the
//! file for a directory that does not hold what its index says.

mod common;

use std::path::{Path, PathBuf};

use common::accounts::{write_directory, Account};
use common::{jalon, stderr, stdout};
use serde_json::Value;

const PROD: &str = "111111111111";
const STAGING: &str = "222222222222";
const LATE: &str = "333333333333";

/// Three accounts: production, staging whose role could not be assumed, and one
/// without a name.
fn three_accounts(dir: &Path) -> PathBuf {
    write_directory(
        &dir.join("accounts"),
        &[
            Account::new(PROD, Some("production"), "complete"),
            Account::new(STAGING, Some("staging"), "failed"),
            Account::new(LATE, None, "complete"),
        ],
    )
}

/// The demo's config, with account 333333333333 cut over on November 1st (the demo's
/// cutover is November 19th, its snapshot taken on the 22nd).
fn config(dir: &Path) -> PathBuf {
    let demo = std::fs::read_to_string(common::repo().join("examples/jalon.toml")).unwrap();
    let path = dir.join("jalon.toml");
    std::fs::write(&path, format!("{demo}\n[accounts.\"{LATE}\"]\ncutover = 2026-11-01\n")).unwrap();
    path
}

/// The demo's waivers, and LOG-001 waived for one log group in production only, and
/// a waiver for an account not in the run.
fn waivers(dir: &Path) -> PathBuf {
    let demo = std::fs::read_to_string(common::repo().join("examples/waivers.toml")).unwrap();
    let scoped = format!(
        r#"
[[waiver]]
control = "LOG-001"
resource = "arn:aws:logs:eu-west-3:*:log-group:/aws/lambda/orders-notifier"
owner = "orders-team@example.com"
approved_by = "cto@example.com"
reason = "Retention raised with the next release."
expires = 2027-01-31
account = "{PROD}"

[[waiver]]
control = "TRC-001"
resource = "*"
owner = "orders-team@example.com"
approved_by = "cto@example.com"
reason = "Tracing comes with the observability project."
expires = 2027-01-31
account = ["999999999999"]
"#
    );
    let path = dir.join("waivers.toml");
    std::fs::write(&path, format!("{demo}{scoped}")).unwrap();
    path
}

/// `jalon check --snapshot DIR` with the test's files and `extra`.
fn check(dir: &Path, snapshot: &Path, extra: &[&str]) -> std::process::Output {
    let config = config(dir);
    let waivers = waivers(dir);
    let mut args = vec![
        "check",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--waivers",
        waivers.to_str().unwrap(),
        "--attestations",
        "examples/attestations.toml",
    ];
    args.extend_from_slice(extra);
    jalon(&args)
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(out), stderr(out)))
}

fn account<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["accounts"].as_array().unwrap().iter().find(|a| a["account"]["id"] == id).unwrap_or_else(|| panic!("{id}"))
}

fn control<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["controls"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("{id}"))
}

fn resource_verdict(report: &Value, control_id: &str, suffix: &str) -> String {
    let c = control(report, control_id);
    let r = c["resources"].as_array().unwrap().iter().find(|r| r["id"].as_str().unwrap().ends_with(suffix));
    r.unwrap_or_else(|| panic!("{control_id} {suffix}"))["verdict"].as_str().unwrap().to_string()
}

#[test]
fn every_account_is_judged_the_failed_one_unknown_and_never_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = three_accounts(dir.path());
    let out = check(dir.path(), &accounts, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let result = json_of(&out);
    assert_eq!(result["kind"], "accounts");
    let ids: Vec<&str> =
        result["accounts"].as_array().unwrap().iter().map(|a| a["account"]["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [PROD, STAGING, LATE]);

    // Staging: every control that reads the account is UNKNOWN, an attestation
    // (DEP-003 has one) standing in for none of them; it exits 2 on its own.
    let staging = account(&result, STAGING);
    assert_eq!(staging["account"]["status"], "failed");
    assert_eq!(staging["exit_code"], 2);
    let report = &staging["result"];
    assert_eq!(report["snapshot"]["account_id"], STAGING);
    let mut reads_account = 0;
    for c in report["controls"].as_array().unwrap() {
        if c["evidence"].as_array().unwrap().is_empty() {
            continue;
        }
        reads_account += 1;
        assert_eq!(c["verdict"], "UNKNOWN", "{} in the failed account", c["id"]);
    }
    assert!(reads_account > 40, "{reads_account}");
    assert!(report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["kind"] == "account-failed" && w["incomplete"] == true));
    assert!(stderr(&out).contains("account 222222222222"), "{}", stderr(&out));

    // Each account's result carries its own account.
    for a in result["accounts"].as_array().unwrap() {
        assert_eq!(a["result"]["snapshot"]["account_id"], a["account"]["id"]);
    }
    let summary = &result["summary"];
    assert_eq!(summary["exit_code"], 1);
    let codes: Vec<i64> =
        summary["accounts"].as_array().unwrap().iter().map(|a| a["exit_code"].as_i64().unwrap()).collect();
    assert_eq!(codes, [1, 2, 1]);
}

#[test]
fn an_account_with_its_own_cutover_has_its_own_day_and_phases() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = three_accounts(dir.path());
    let result = json_of(&check(dir.path(), &accounts, &["--format", "json"]));
    let prod = &account(&result, PROD)["result"];
    let late = &account(&result, LATE)["result"];
    assert_eq!((prod["cutover"].as_str(), prod["day"].as_i64()), (Some("2026-11-19"), Some(3)));
    assert_eq!((late["cutover"].as_str(), late["day"].as_i64()), (Some("2026-11-01"), Some(21)));
    let due = |report: &Value, phase: &str| {
        report["phases"].as_array().unwrap().iter().find(|p| p["id"] == phase).unwrap()["due"].as_bool().unwrap()
    };
    assert!(!due(prod, "J+7") && due(late, "J+7"));
    // A J+7 control failing in both: PENDING where it is not due yet, FAIL where it is.
    assert_eq!(control(prod, "ALM-005")["verdict"], "PENDING");
    assert_eq!(control(late, "ALM-005")["verdict"], "FAIL");

    // --cutover overrides every account's, its own table included.
    let result = json_of(&check(dir.path(), &accounts, &["--format", "json", "--cutover", "2026-11-21"]));
    for id in [PROD, STAGING, LATE] {
        assert_eq!(account(&result, id)["result"]["day"], 1, "{id}");
    }
}

#[test]
fn a_waiver_scoped_to_one_account_waives_there_only() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = three_accounts(dir.path());
    let out = check(dir.path(), &accounts, &["--format", "json"]);
    let result = json_of(&out);
    let notifier = "/aws/lambda/orders-notifier";
    assert_eq!(resource_verdict(&account(&result, PROD)["result"], "LOG-001", notifier), "WAIVED");
    assert_eq!(resource_verdict(&account(&result, LATE)["result"], "LOG-001", notifier), "FAIL");
    // A waiver for every account waives in each (the demo's DB-006).
    for id in [PROD, LATE] {
        assert_eq!(control(&account(&result, id)["result"], "DB-006")["verdict"], "WAIVED", "{id}");
    }
    // The waiver naming an account outside the run: matching nothing, and said.
    let unmatched = result["summary"]["unmatched_waivers"].as_array().unwrap();
    assert!(unmatched.iter().any(|w| w["control"] == "TRC-001" && w["account"][0] == "999999999999"), "{unmatched:?}");
    assert!(stderr(&out).contains("names account 999999999999, not in this run"), "{}", stderr(&out));

    // One account's snapshot alone: its id decides; the production waiver does not
    // apply to 333333333333 and is reported as matching nothing there.
    let single = accounts.join(format!("{LATE}.json"));
    let report = json_of(&check(dir.path(), &single, &["--format", "json"]));
    assert_eq!(report["day"], 21, "the account's own cutover, alone too");
    assert_eq!(resource_verdict(&report, "LOG-001", notifier), "FAIL");
    let unmatched = report["waivers"]["unmatched"].as_array().unwrap();
    assert!(unmatched.iter().any(|w| w["control"] == "LOG-001" && w["account"][0] == PROD), "{unmatched:?}");
    let single = accounts.join(format!("{PROD}.json"));
    let report = json_of(&check(dir.path(), &single, &["--format", "json"]));
    assert_eq!(resource_verdict(&report, "LOG-001", notifier), "WAIVED");
}

#[test]
fn the_exit_code_is_the_worst_of_the_accounts() {
    let dir = tempfile::tempdir().unwrap();
    // Only the failed account: nothing fails, the evidence is incomplete.
    let failed = write_directory(&dir.path().join("failed"), &[Account::new(STAGING, None, "failed")]);
    let out = check(dir.path(), &failed, &[]);
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    // With a failing account beside it: 1.
    let both = write_directory(
        &dir.path().join("both"),
        &[Account::new(STAGING, None, "failed"), Account::new(PROD, None, "complete")],
    );
    assert_eq!(check(dir.path(), &both, &[]).status.code(), Some(1));
    // --fail-on critical with only J+7 controls in view: no critical failure due,
    // the failed account still incomplete.
    let out = check(dir.path(), &both, &["--phase", "J+7"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    // The index file itself works as the directory does.
    let out = check(dir.path(), &failed.join("index.json"), &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_directory_that_is_not_what_its_index_says_is_an_input_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = three_accounts(dir.path());
    let expect_error = |path: &Path, needle: &str, names: &str| {
        let out = check(dir.path(), path, &["--format", "json"]);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        assert!(out.stdout.is_empty(), "nothing written: {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains(names) && err.contains(needle), "{needle}: {err}");
    };
    // A snapshot changed after the collection.
    let snapshot = accounts.join(format!("{LATE}.json"));
    let original = std::fs::read_to_string(&snapshot).unwrap();
    std::fs::write(&snapshot, original.replacen("orders-api", "orders-apj", 1)).unwrap();
    expect_error(&accounts, "SHA-256", &format!("{LATE}.json"));
    // Missing.
    std::fs::remove_file(&snapshot).unwrap();
    expect_error(&accounts, "missing", &format!("{LATE}.json"));
    std::fs::write(&snapshot, &original).unwrap();
    // A malformed index.
    let index = accounts.join("index.json");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, text.replacen(PROD, "1111", 1)).unwrap();
    expect_error(&accounts, "accounts[0].id", "index.json");
    std::fs::write(&index, "{\"index_version\": 1, ").unwrap();
    expect_error(&accounts, "line 1", "index.json");
    std::fs::write(&index, &text).unwrap();
    // A snapshot of another account than the index says.
    let other = common::accounts::snapshot_text("444444444444", false);
    std::fs::write(&snapshot, &other).unwrap();
    use sha2::Digest as _;
    let sha = hex::encode(sha2::Sha256::digest(other.as_bytes()));
    let old_sha = hex::encode(sha2::Sha256::digest(original.as_bytes()));
    std::fs::write(&index, text.replace(&old_sha, &sha)).unwrap();
    expect_error(&accounts, "it is of account 444444444444", &format!("{LATE}.json"));
}

#[test]
fn a_bad_account_table_in_the_config_is_an_input_error_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = three_accounts(dir.path());
    let config = dir.path().join("bad.toml");
    for (text, needle) in [
        ("[accounts.\"12\"]\ncutover = 2026-11-01\n", "expected an account id of 12 digits"),
        ("[accounts.\"111111111111\"]\ncutoff = 2026-11-01\n", "unknown key `cutoff`"),
    ] {
        std::fs::write(&config, text).unwrap();
        let out = jalon(&["check", "--snapshot", accounts.to_str().unwrap(), "--config", config.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(3));
        let err = stderr(&out);
        assert!(err.contains("bad.toml") && err.contains("line 1") && err.contains(needle), "{err}");
    }
}

#[test]
fn fix_scripts_are_one_per_account() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = three_accounts(dir.path());
    let out = check(dir.path(), &accounts, &["--format", "fix"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("one account's credentials"), "{}", stderr(&out));
}

/// The run's text with its temporary directory named `[dir]`.
fn redacted(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[dir]")
}

#[test]
fn golden_table_and_markdown_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = three_accounts(dir.path());
    for (name, format) in [("accounts_table", "table"), ("accounts_markdown", "markdown")] {
        let out = check(dir.path(), &accounts, &["--format", format]);
        assert_eq!(out.status.code(), Some(1));
        let text = redacted(&stdout(&out), dir.path());
        // The table and Markdown lead with one line per account, then the controls.
        let first = text.find(PROD).unwrap();
        assert!(first < text.find(STAGING).unwrap() && text.find(STAGING).unwrap() < text.find(LATE).unwrap());
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn hostile_account_names_stay_text_in_the_table_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "prod\u{1b}]8;;https://evil.example\u{7}x\u{1b}[2J <img src=x onerror=alert(1)> | [a](https://evil.example) \u{202e}";
    let accounts = write_directory(&dir.path().join("hostile"), &[Account::new(PROD, Some(hostile), "complete")]);
    let table = stdout(&check(dir.path(), &accounts, &[]));
    assert!(!table.contains('\u{1b}') && !table.contains('\u{202e}') && !table.contains('\u{7}'), "{table:?}");
    assert!(table.contains("prod\\u{1b}]8;;"), "{table}");
    let markdown = stdout(&check(dir.path(), &accounts, &["--format", "markdown"]));
    assert!(!markdown.contains('\u{1b}'), "{markdown}");
    // Read as GitHub would: no link, no image, no HTML from the name.
    use pulldown_cmark::{Event, Options, Parser, Tag};
    for event in Parser::new_ext(&markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("a link to {dest_url} in {markdown}")
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                assert!(
                    ["<details>", "<summary>", "</summary>", "</details>"].iter().any(|t| html.contains(t)),
                    "{html}"
                );
                assert!(!html.contains("<img") && !html.contains('\u{1b}'), "{html}");
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------
// Every format over several accounts: parsed back, valid, the account on every finding.

/// A validator's Python (tests/run.sh installs them): skipped on a developer's machine
/// without it, a failure under CI.
fn validator(variable: &str, venv: &str) -> Option<PathBuf> {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| common::repo().join(format!("target/{venv}/bin/python")));
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var_os("CI").is_none(), "{} missing: run `bash tests/run.sh`", path.display());
    eprintln!("skipping a validation: {} missing", path.display());
    None
}

fn validate(python: &Path, dir: &str, file: &Path) -> String {
    let out = std::process::Command::new(python)
        .arg(common::repo().join(format!("tests/{dir}/validate.py")))
        .arg(file)
        .output()
        .expect("run the validator");
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(out.status.success(), "{dir}: {text}");
    text
}

const HOSTILE: &str = "prod <script>alert(1)</script>\u{1b}[31m \u{202e}=cmd|' /C calc'!A0";

/// An id from an ARN (`arn:aws:svc:region:ACCOUNT:...`), or None for another id.
fn arn_account(id: &str) -> Option<&str> {
    let parts: Vec<&str> = id.splitn(6, ':').collect();
    (parts.len() == 6 && parts[0] == "arn" && !parts[4].is_empty()).then(|| parts[4])
}

#[test]
fn every_format_carries_the_right_account_on_every_finding() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = write_directory(
        &dir.path().join("accounts"),
        &[
            Account::new(PROD, Some(HOSTILE), "complete"),
            Account::new(STAGING, Some("staging"), "failed"),
            Account::new(LATE, None, "complete"),
        ],
    );
    let out_dir = dir.path().join("out");
    let out = check(
        dir.path(),
        &accounts,
        &["--format", "json,junit,sarif,ocsf,asff,csv,html", "-o", out_dir.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let ids = [PROD, STAGING, LATE];
    let read = |name: &str| std::fs::read_to_string(out_dir.join(name)).unwrap();

    // JSON: each account's result is its own.
    let json: Value = serde_json::from_str(&read("jalon.json")).unwrap();
    for a in json["accounts"].as_array().unwrap() {
        let id = a["account"]["id"].as_str().unwrap();
        assert_eq!(a["result"]["snapshot"]["account_id"], id);
        for c in a["result"]["controls"].as_array().unwrap() {
            for r in c["resources"].as_array().unwrap() {
                let rid = r["id"].as_str().unwrap();
                assert!(arn_account(rid).is_none_or(|owner| owner == id), "{rid} in {id}'s result");
            }
        }
    }
    assert_eq!(account(&json, PROD)["account"]["name"], HOSTILE, "kept whole, as data");

    // SARIF: one run; every result names its account, and the same resource in two
    // accounts is two alerts.
    let sarif: Value = serde_json::from_str(&read("jalon.sarif")).unwrap();
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 1);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let mut fingerprints = std::collections::BTreeSet::new();
    let mut seen = std::collections::BTreeSet::new();
    for r in results {
        let id = r["properties"]["account"].as_str().unwrap();
        seen.insert(id.to_string());
        assert!(r["message"]["text"].as_str().unwrap().starts_with(&format!("account {id}")), "{r}");
        let location = &r["locations"][0];
        let logical = location["logicalLocations"][0]["fullyQualifiedName"].as_str().unwrap();
        assert!(logical.contains(id), "{logical} of {id}");
        assert!(location["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().starts_with(id));
        let fingerprint = r["partialFingerprints"]["jalonAccountResource/v1"].as_str().unwrap();
        assert!(fingerprints.insert(fingerprint.to_string()), "a fingerprint twice: {r}");
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ids);
    assert_eq!(sarif["runs"][0]["invocations"][0]["exitCode"], 1);
    if let Some(python) = validator("JALON_SARIF_PYTHON", "sarif-venv") {
        std::process::Command::new(&python).arg("--version").output().unwrap();
        let out = std::process::Command::new(python)
            .arg(common::repo().join("tests/sarif/validate.py"))
            .arg(out_dir.join("jalon.sarif"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    }

    // OCSF and ASFF: one list; each event and finding is its account's.
    let events: Vec<Value> = serde_json::from_str(&read("jalon.ocsf.json")).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for e in &events {
        let id = e["cloud"]["account"]["uid"].as_str().unwrap();
        seen.insert(id);
        if let Some(uid) = e["resources"][0]["uid"].as_str() {
            assert!(arn_account(uid).is_none_or(|owner| owner == id), "{uid} in an event of {id}");
        }
        assert!(e["finding_info"]["uid"].as_str().unwrap().contains(id));
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ids);
    assert!(events.iter().any(|e| e["cloud"]["account"]["name"] == HOSTILE));
    let findings: Vec<Value> = serde_json::from_str(&read("jalon.asff.json")).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for f in &findings {
        let id = f["AwsAccountId"].as_str().unwrap();
        seen.insert(id);
        let resource = f["Resources"][0]["Id"].as_str().unwrap();
        assert!(arn_account(resource).is_none_or(|owner| owner == id), "{resource} in a finding of {id}");
        assert!(f["Id"].as_str().unwrap().starts_with(&format!("jalon/{id}/")));
        assert!(f["ProductArn"].as_str().unwrap().contains(id));
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ids);
    if let Some(python) = validator("JALON_OCSF_PYTHON", "ocsf-venv") {
        validate(&python, "ocsf", &out_dir.join("jalon.ocsf.json"));
    }
    if let Some(python) = validator("JALON_ASFF_PYTHON", "asff-venv") {
        validate(&python, "asff", &out_dir.join("jalon.asff.json"));
    }

    // CSV: one header, the account in the last column of every row.
    let csv_text = read("jalon.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().next_back(), Some("account"));
    let mut seen = std::collections::BTreeSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        let id = row[10].to_string();
        assert!(arn_account(&row[6]).is_none_or(|owner| owner == id), "{:?}", row);
        seen.insert(id);
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ids);

    // JUnit: every suite and test case names its account.
    let xml = read("jalon.junit.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut suites = 0;
    let mut suite_account = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let attribute = |name: &str| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .map(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap().into_owned())
                };
                match e.name().as_ref() {
                    b"testsuite" => {
                        suites += 1;
                        let name = attribute("name").unwrap();
                        suite_account = ids.iter().find(|id| name.starts_with(*id)).expect("an account").to_string();
                    }
                    b"testcase" => {
                        let name = attribute("name").unwrap();
                        assert!(name.starts_with(&format!("[{suite_account}")), "{name} in {suite_account}'s suite");
                        assert!(attribute("classname").unwrap().starts_with(&suite_account));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!(suites, 9, "three phases of three accounts");
    assert!(!xml.contains('\u{1b}') && !xml.contains("<script"), "the hostile name escaped");

    // HTML: the summary first, every account's section, the hostile name as text.
    let html = read("jalon.html");
    let summary = html.find("<h2>Accounts</h2>").unwrap();
    for id in ids {
        assert!(html.find(&format!("id=\"account-{id}\"")).unwrap() > summary);
    }
    assert!(!html.contains("<script") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped");
    assert!(!html.contains('\u{1b}') && !html.contains('\u{202e}') && html.contains("script-src 'none'"));
}

// ---------------------------------------------------------------------------------
// --baseline and `jalon diff` over accounts.

/// The index of `dir` without `id`, as a collection that no longer reaches it writes.
fn drop_account(dir: &Path, id: &str) {
    let path = dir.join("index.json");
    let mut index: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    index["accounts"].as_array_mut().unwrap().retain(|a| a["id"] != id);
    std::fs::write(&path, serde_json::to_string_pretty(&index).unwrap()).unwrap();
}

#[test]
fn a_baseline_compares_each_account_and_a_removed_account_is_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = three_accounts(dir.path());
    let baseline = dir.path().join("baseline.json");
    let out = check(dir.path(), &accounts, &["--format", "json", "--as-of", "2026-11-23"]);
    std::fs::write(&baseline, &out.stdout).unwrap();
    let baseline_arg = baseline.to_str().unwrap();

    // The same day again: known failures only; the failed account keeps it at 2.
    let out = check(dir.path(), &accounts, &["--format", "json", "--as-of", "2026-11-23", "--baseline", baseline_arg]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let result = json_of(&out);
    let prod = account(&result, PROD);
    assert_eq!(prod["exit_code"], 0);
    assert_eq!(prod["result"]["drift"]["summary"]["new_failures"], 0);

    // A week on, production's J+7 controls fall due while failing: a regression there.
    let out = check(dir.path(), &accounts, &["--format", "json", "--as-of", "2026-11-30", "--baseline", baseline_arg]);
    assert_eq!(out.status.code(), Some(1));
    let result = json_of(&out);
    assert!(account(&result, PROD)["result"]["drift"]["summary"]["new_failures"].as_u64().unwrap() > 0);
    assert_eq!(
        result["summary"]["accounts"][0]["drift"]["new_failures"],
        account(&result, PROD)["result"]["drift"]["summary"]["new_failures"]
    );

    // An account gone since the baseline: a warning, and the evidence incomplete.
    let fewer = write_directory(
        &dir.path().join("fewer"),
        &[Account::new(PROD, Some("production"), "complete"), Account::new(LATE, None, "complete")],
    );
    drop_account(&fewer, LATE);
    let out = check(dir.path(), &fewer, &["--as-of", "2026-11-23", "--baseline", baseline_arg]);
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    for text in [stdout(&out), stderr(&out)] {
        assert!(text.contains("account 222222222222 (staging) is in the baseline"), "{text}");
        assert!(text.contains("account 333333333333 is in the baseline"), "{text}");
    }
    let out = check(dir.path(), &fewer, &["--format", "json", "--as-of", "2026-11-23", "--baseline", baseline_arg]);
    let result = json_of(&out);
    assert_eq!(result["summary"]["accounts_removed"], serde_json::json!([STAGING, LATE]));
    let removed: Vec<&Value> =
        result["summary"]["warnings"].as_array().unwrap().iter().filter(|w| w["kind"] == "account-removed").collect();
    assert!(removed.len() == 2 && removed.iter().all(|w| w["incomplete"] == true), "{removed:?}");

    // A one-account baseline for a directory, or the other way round: a clear input error.
    let single = accounts.join(format!("{PROD}.json"));
    let out = check(dir.path(), &single, &["--baseline", baseline_arg]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("result over several accounts"), "{}", stderr(&out));
    let one = dir.path().join("one.json");
    std::fs::write(&one, check(dir.path(), &single, &["--format", "json"]).stdout).unwrap();
    let out = check(dir.path(), &accounts, &["--baseline", one.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("expected a result over several accounts"), "{}", stderr(&out));
}

#[test]
fn diff_compares_two_directories_and_two_results_account_by_account() {
    let dir = tempfile::tempdir().unwrap();
    let old = three_accounts(dir.path());
    let new = write_directory(
        &dir.path().join("new"),
        &[Account::new(PROD, Some("production"), "complete"), Account::new(LATE, None, "complete")],
    );
    // A log group of production loses its retention in the new collection.
    let prod = new.join(format!("{PROD}.json"));
    let text =
        std::fs::read_to_string(&prod).unwrap().replacen("\"retention_days\": 30,", "\"retention_days\": null,", 1);
    std::fs::write(&prod, &text).unwrap();
    let index = new.join("index.json");
    let mut value: Value = serde_json::from_str(&std::fs::read_to_string(&index).unwrap()).unwrap();
    use sha2::Digest as _;
    value["accounts"][0]["sha256"] = hex::encode(sha2::Sha256::digest(text.as_bytes())).into();
    std::fs::write(&index, serde_json::to_string_pretty(&value).unwrap()).unwrap();

    let config = config(dir.path());
    let files = ["--config", config.to_str().unwrap(), "--attestations", "examples/attestations.toml"];
    let mut args = vec!["diff", old.to_str().unwrap(), new.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(&files);
    let out = jalon(&args);
    let diff = json_of(&out);
    assert_eq!(diff["kind"], "snapshot_directories");
    assert_eq!(diff["removed"], serde_json::json!([STAGING]));
    let ids: Vec<&str> = diff["accounts"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [PROD, LATE]);
    let prod_diff = &diff["accounts"][0];
    assert!(prod_diff["snapshots"].is_object());
    assert!(prod_diff["drift"]["summary"]["new_failures"].as_u64().unwrap() > 0, "{prod_diff}");
    assert_eq!(diff["accounts"][1]["drift"]["summary"]["new_failures"], 0);
    assert_eq!(out.status.code(), Some(1), "a regression in production");
    assert!(stderr(&out).contains("account 222222222222 is in"), "{}", stderr(&out));

    // The same through two results over accounts.
    let result_of = |dir_path: &Path, name: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, check(dir.path(), dir_path, &["--format", "json"]).stdout).unwrap();
        path
    };
    let (old_result, new_result) = (result_of(&old, "old.json"), result_of(&new, "new.json"));
    let out = jalon(&["diff", old_result.to_str().unwrap(), new_result.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("accounts removed (their evidence is missing): 222222222222"), "{text}");
    assert!(text.contains("== account 111111111111 (production) ==") && text.contains("New failures"), "{text}");
    // Without the regression: a removed account alone, or one not read, makes it 2.
    // The older run against itself: no change, but staging was not read in it: 2.
    let out = jalon(&["diff", old_result.to_str().unwrap(), old_result.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("accounts not read whole in the newer"), "{}", stdout(&out));
    let out = jalon(&["diff", old.to_str().unwrap(), old.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = jalon(&["diff", new_result.to_str().unwrap(), new_result.to_str().unwrap(), "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0));
    let out = jalon(&[
        "diff",
        old_result.to_str().unwrap(),
        result_of(&new, "again.json").to_str().unwrap(),
        "--fail-on",
        "critical",
    ]);
    assert_eq!(out.status.code(), Some(2), "the LOG-001 regression is high, below --fail-on critical");
}

#[test]
fn a_directory_of_no_account_is_never_green() {
    // An empty shard (`collect --shard`) judged alone: nothing was read.
    let dir = tempfile::tempdir().unwrap();
    let empty = write_directory(&dir.path().join("empty"), &[]);
    let out = check(dir.path(), &empty, &["--format", "markdown"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let md = stdout(&out);
    let first = md.lines().next().unwrap_or_default();
    assert!(first.contains("no account judged") && !first.contains('✅'), "{first}");
    let html = dir.path().join("page.html");
    let out = check(dir.path(), &empty, &["--format", "html", "-o", html.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("h-UNKNOWN") && !page.contains("h-PASS"), "the headline's class");
}

#[test]
fn a_capped_sarif_log_over_accounts_says_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let accounts = three_accounts(dir.path());
    let sarif = dir.path().join("out.sarif");
    let out =
        check(dir.path(), &accounts, &["--format", "sarif", "--sarif-max-results", "1", "-o", sarif.to_str().unwrap()]);
    assert!(matches!(out.status.code(), Some(1 | 2)), "{}", stderr(&out));
    assert!(stderr(&out).contains("the SARIF log leaves out"), "{}", stderr(&out));
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 1);
}
