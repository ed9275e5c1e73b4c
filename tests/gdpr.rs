//! `jalon gdpr`: the appendix from the demo snapshot and the example processing
//! record (golden), missing declared facts, bad records, the evidence annex.

mod common;

use std::path::Path;

use common::{jalon, repo, stderr, stdout, DEMO_FILES, DEMO_SNAPSHOT};
use sha2::{Digest, Sha256};

fn gdpr(record: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["gdpr", "--snapshot", DEMO_SNAPSHOT];
    args.extend_from_slice(&DEMO_FILES);
    args.extend_from_slice(&["--record", record]);
    args.extend_from_slice(extra);
    jalon(&args)
}

/// The policies version is a hash of the Rego sources: it changes with every policy
/// edit, which the golden text should not.
fn without_policies_version(text: &str) -> String {
    text.lines()
        .map(|l| if l.starts_with("| Policies version |") { "| Policies version | [policies-version] |" } else { l })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_demo_appendix() {
    let out = gdpr("examples/processing.toml", &["-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The example record declares everything: no warning.
    assert!(!stderr(&out).contains("missing"), "{}", stderr(&out));
    let text = stdout(&out);
    let sections: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        sections,
        [
            "## At a glance",
            "## 1. Controller, processors, DPO and contacts",
            "## 2. Purposes and lawful basis (Art. 6)",
            "## 3. Data subjects and data categories",
            "## 4. Recipients and processors",
            "## 5. Where the data is stored, and transfers outside the EU",
            "## 6. Retention schedule",
            "## 7. Security of processing: technical and organisational measures (Art. 32)",
            "## 8. Erasure and portability",
            "## 9. Logs and audit trail",
            "## 10. Breach detection and notification (Art. 33)",
            "## 11. Evidence annex",
        ]
    );
    // The audit trail is evidence from CloudTrail, its retention from the bucket; what
    // is not collected is said, never invented.
    assert!(text.contains("| `orders-audit` | eu-west-3 | yes | yes | **no** |"), "{text}");
    assert!(!text.contains("CloudTrail is not collected"), "{text}");
    assert!(!text.contains("S3 buckets are not collected"), "{text}");
    assert!(text.contains("| `orders-audit-logs-123456789012` | WAIVED |"), "{text}");
    assert!(text.contains("On-demand backups (manual RDS snapshots"), "{text}");
    assert!(text.contains("(services not collected: `backup`, `ec2`, "), "{text}");
    assert!(!text.contains("**missing**: _not declared"));
    insta::assert_snapshot!("demo_appendix", without_policies_version(&text));
}

#[test]
fn the_annex_cites_the_sha256_of_the_snapshot_file() {
    let out = gdpr("examples/processing.toml", &["-o", "-"]);
    let text = stdout(&out);
    let want = hex::encode(Sha256::digest(std::fs::read(repo().join("examples/demo-snapshot.json")).unwrap()));
    assert!(text.contains(&format!("| Snapshot SHA-256 | `{want}` |")), "{text}");
    let record = hex::encode(Sha256::digest(std::fs::read(repo().join("examples/processing.toml")).unwrap()));
    assert!(text.contains(&format!("| Processing record SHA-256 | `{record}` |")), "{text}");
}

/// The annex (to stdout) for a processing record written, under `name`, in a fresh directory.
fn annex_of_record(name: &str, record_text: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join(name);
    std::fs::write(&record, record_text).unwrap();
    gdpr(record.to_str().unwrap(), &["-o", "-"])
}

/// How the annex marks a fact the record does not declare.
fn missing_marker(field: &str) -> String {
    format!("**missing**: _not declared in the processing record_ (`{field}`)")
}

#[test]
fn undeclared_facts_are_shown_missing_never_invented() {
    let out = annex_of_record(
        "partial.toml",
        "[controller]\nname = \"Example Shop SAS\"\n\n[[purpose]]\nname = \"Taking orders\"\n\n[breach]\nsupervisory_authority = \"CNIL\"\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for field in [
        "controller.contact",
        "dpo.name",
        "purpose[0].lawful_basis",
        "data_subjects",
        "data_category",
        "recipient",
        "processor",
        "transfer",
        "retention",
        "erasure.procedure",
        "breach.notify_within_hours",
    ] {
        assert!(text.contains(&missing_marker(field)), "no missing marker for {field}");
    }
    // What is declared is shown, not marked.
    assert!(text.contains("| Controller | Example Shop SAS |"));
    assert!(!text.contains(&missing_marker("controller.name")));
    assert!(text.contains("Supervisory authority (declared): CNIL"));
    // At a glance, and on the terminal.
    assert!(text.contains("declared facts missing"), "{text}");
    let err = stderr(&out);
    assert!(err.contains("partial.toml") && err.contains("dpo.name"), "{err}");
}

#[test]
fn a_declared_list_marks_each_missing_field_with_its_key() {
    let out = annex_of_record(
        "lists.toml",
        "transfer = []\n\n[[processor]]\nname = \"AWS EMEA SARL\"\n\n[[recipient]]\nname = \"Carrier\"\nlocation = \"France\"\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for field in ["processor[0].service", "processor[0].location", "processor[0].agreement", "recipient[0].purpose"] {
        assert!(text.contains(&missing_marker(field)), "no missing marker for {field}");
    }
    for field in ["processor[0].name", "recipient[0].name", "recipient[0].location", "transfer"] {
        assert!(!text.contains(&missing_marker(field)), "{field} is declared");
    }
    assert!(text.contains("| AWS EMEA SARL |") && text.contains("| Carrier |"), "{text}");
    assert!(text.contains("The record declares no transfer outside the EEA."));
}

#[test]
fn a_malformed_record_exits_3_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("bad.toml");
    std::fs::write(&record, "[controller]\nname = \"Example Shop SAS\"\nadress = \"typo\"\n").unwrap();
    let out = gdpr(record.to_str().unwrap(), &["-o", "-"]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("bad.toml") && err.contains("line 3") && err.contains("unknown field `adress`"), "{err}");

    std::fs::write(&record, "[[purpose]]\nname = \"Orders\"\nlawful_basis = \"because\"\n").unwrap();
    let out = gdpr(record.to_str().unwrap(), &["-o", "-"]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("line 3") && err.contains("legitimate_interests"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn markdown_and_html_files_say_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let out = gdpr("examples/processing.toml", &["--format", "markdown,html", "-o", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = std::fs::read_to_string(dir.path().join("gdpr-appendix.md")).unwrap();
    let html = std::fs::read_to_string(dir.path().join("gdpr-appendix.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Self-contained: no script, no stylesheet or image fetched from anywhere.
    for forbidden in ["<script", "<link", "<img", "src=", "@import", "url("] {
        assert!(!html.contains(forbidden), "{forbidden} in the HTML");
    }
    assert_eq!(html.matches("<h2 ").count(), md.lines().filter(|l| l.starts_with("## ")).count());
    // Text is escaped: the record's apostrophes and the alarm's "IF(inv > 0".
    assert!(html.contains("12 rue de l&#39;Exemple"));
    assert!(html.contains("IF(inv &gt; 0"));
    assert!(html.contains("<span class=\"v v-FAIL\">FAIL</span>"));
}

#[test]
fn the_default_output_is_under_reports() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = repo().join("examples/demo-snapshot.json");
    let record = repo().join("examples/processing.toml");
    let out = common::jalon_command(&[
        "gdpr",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--record",
        record.to_str().unwrap(),
    ])
    .current_dir(dir.path())
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(Path::new(&dir.path().join("reports/gdpr-appendix.md")).is_file());
    assert!(stderr(&out).contains("wrote reports/gdpr-appendix.md"));
}

#[test]
fn a_personal_data_store_outside_the_allowed_regions_is_a_transfer() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = common::read_json(&repo().join("examples/demo-snapshot.json"));
    let db = &mut s["rds"]["instances"][0];
    db["region"] = "us-east-1".into();
    db["arn"] = "arn:aws:rds:us-east-1:123456789012:db:orders-db".into();
    let snapshot = dir.path().join("moved.json");
    std::fs::write(&snapshot, serde_json::to_string_pretty(&s).unwrap()).unwrap();
    let out = jalon(&[
        "gdpr",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--record",
        "examples/processing.toml",
        "--config",
        "examples/jalon.toml",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("**Evidence: personal data outside the allowed regions:**"), "{text}");
    assert!(text.contains("- `orders-db` in us-east-1"), "{text}");
    assert!(
        text.contains(
            "| `orders-db` | RDS instance, postgres 16.3 | us-east-1 | `personal` (personal) | 35 days | KMS key"
        ),
        "{text}"
    );
}

/// Issue 17's reproduction: orders-notifier tagged personal, its log group kept 90 days,
/// the ceiling for personal data 60 days. The checks and the appendix, in one
/// document, say the same of that log group.
#[test]
fn the_appendix_and_the_checks_agree_on_a_log_group_holding_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = common::read_json(&repo().join("examples/demo-snapshot.json"));
    for f in s["lambda"]["functions"].as_array_mut().unwrap() {
        if f["name"] == "orders-notifier" {
            f["tags"]["data-class"] = "personal".into();
        }
    }
    for g in s["logs"]["log_groups"].as_array_mut().unwrap() {
        if g["name"] == "/aws/lambda/orders-notifier" {
            g["retention_days"] = 90.into();
        }
    }
    let snapshot = dir.path().join("snapshot.json");
    std::fs::write(&snapshot, serde_json::to_string_pretty(&s).unwrap()).unwrap();
    let config = dir.path().join("jalon.toml");
    let text = std::fs::read_to_string(repo().join("examples/jalon.toml")).unwrap();
    std::fs::write(&config, text.replace("{ audit = 400 }", "{ audit = 400, personal = 60 }")).unwrap();
    let out = jalon(&[
        "gdpr",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--record",
        "examples/processing.toml",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let section = |n: &str| text.split(&format!("## {n}. ")).nth(1).and_then(|s| s.split("\n## ").next()).unwrap();
    // Section 5: where personal data is stored.
    assert!(section("5").contains("| `/aws/lambda/orders-notifier` | CloudWatch Logs log group |"), "{text}");
    // Section 6: the ceiling LOG-002 judged it against.
    assert!(
        section("6").contains("| `/aws/lambda/orders-notifier` | `personal` | 90 days | 60 days | PASS | **FAIL** |")
    );
    // Section 7: the checks that fail it for holding personal data.
    assert!(section("7").contains("`GDP-003` **FAIL** `/aws/lambda/orders-notifier`"), "{text}");
    assert!(section("7").contains("`LOG-003` **FAIL** `/aws/lambda/orders-notifier`"), "{text}");
    // Section 8: where erased data lives on.
    assert!(section("8").contains("- `/aws/lambda/orders-notifier`: logs for 90 days"), "{text}");
}

#[test]
fn strict_exits_1_while_a_declared_fact_is_missing_and_still_writes_the_appendix() {
    let dir = tempfile::tempdir().unwrap();
    let partial = dir.path().join("partial.toml");
    std::fs::write(&partial, "[controller]\nname = \"Example Shop SAS\"\n").unwrap();
    let appendix = dir.path().join("appendix.md");
    let out = gdpr(partial.to_str().unwrap(), &["--strict", "-o", appendix.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("error (--strict)") && err.contains("dpo.name"), "{err}");
    let text = std::fs::read_to_string(&appendix).expect("the appendix is written all the same");
    assert!(text.contains(&missing_marker("dpo.name")), "{text}");

    // Several formats to a directory: the same exit code, every file written.
    let out =
        gdpr(partial.to_str().unwrap(), &["--strict", "--format", "markdown,html", "-o", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(dir.path().join("gdpr-appendix.md").is_file() && dir.path().join("gdpr-appendix.html").is_file());

    // Without --strict the same record exits 0; with it, a whole record exits 0 too.
    assert_eq!(gdpr(partial.to_str().unwrap(), &["-o", "-"]).status.code(), Some(0));
    let whole = gdpr("examples/processing.toml", &["--strict", "-o", "-"]);
    assert_eq!(whole.status.code(), Some(0), "{}", stderr(&whole));
    assert!(!stderr(&whole).contains("missing"), "{}", stderr(&whole));
}
