//! `jalon collect --org | --accounts FILE` against the emulator serving several
//! accounts: each account read with its own assumed role into its own snapshot, the
//! index saying how each went; a role that cannot be assumed, a throttled account,
//! a wrong external id, each reported and never dropped; the Organization listed from
//! the management account or a delegated administrator; regions from the file, the
//! flag or the account; shards merged whole or not at all.

mod common;

use std::path::Path;

use common::{jalon, stderr, Emulator};
use serde_json::{json, Value};

/// The tests' credentials belong to moto's default account.
const CALLER: &str = "123456789012";
const PROD: &str = "111111111111";
const STAGING: &str = "222222222222";
const DATA: &str = "333333333333";
const CLOSED: &str = "555555555555";
/// Markup, an escape and a newline: a name from the Organization is hostile input.
const HOSTILE_NAME: &str = "<b>staging</b>\u{1b}[31m\nred";

/// An Organization of PROD, STAGING, DATA and a suspended account, managed by
/// `management`; the caller is a member when it does not manage it.
fn organization(emu: &Emulator, management: &str, delegated_admins: &[&str]) {
    let mut accounts = vec![
        json!({"id": PROD, "name": "production", "state": "ACTIVE"}),
        json!({"id": STAGING, "name": "staging", "state": "ACTIVE"}),
        json!({"id": DATA, "name": HOSTILE_NAME, "state": "ACTIVE"}),
        json!({"id": CLOSED, "name": "closed", "state": "SUSPENDED"}),
    ];
    if management != CALLER {
        accounts.push(json!({"id": CALLER, "name": "audit", "state": "ACTIVE"}));
    }
    emu.control(
        "/_jalon/organization",
        &json!({
            "management": management,
            "accounts": accounts,
            "delegated_admins": delegated_admins,
            "roles": ["jalon-audit"],
        }),
    );
}

fn collect(emu: &Emulator, out: &Path, extra: &[&str]) -> std::process::Output {
    let out = out.to_str().unwrap();
    let mut args = vec!["collect", "--endpoint-url", &emu.endpoint, "--quiet", "-o", out, "--role-name", "jalon-audit"];
    args.extend_from_slice(extra);
    jalon(&args)
}

fn index(dir: &Path) -> Value {
    common::read_json(&dir.join("index.json"))
}

fn entry<'a>(index: &'a Value, id: &str) -> &'a Value {
    index["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {index}"))
}

fn snapshot(dir: &Path, id: &str) -> Value {
    common::read_json(&dir.join(format!("{id}.json")))
}

fn function_names(snapshot: &Value) -> Vec<String> {
    snapshot["lambda"]["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

fn statuses(snapshot: &Value) -> Vec<(String, String, String)> {
    snapshot["collectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (text("service"), text("region"), text("status"))
        })
        .collect()
}

#[test]
fn an_organization_is_read_account_by_account_and_a_refused_role_is_reported() {
    let Some(emu) = Emulator::start() else { return };
    organization(&emu, CALLER, &[]);
    let manifests = emu.seed_accounts("eu-west-3", "small", &[PROD, STAGING]);
    assert!(!manifests[PROD].is_null() && !manifests[STAGING].is_null());
    emu.control("/_jalon/accounts", &json!({"assume_role_denied": [DATA]}));
    let dir = tempfile::tempdir().unwrap();

    let out = collect(&emu, dir.path(), &["--org", "--region", "eu-west-3"]);
    assert_eq!(out.status.code(), Some(2), "one account refused: evidence incomplete\n{}", stderr(&out));
    let idx = index(dir.path());
    assert_eq!(idx["source"], "organization");
    let ids: Vec<&str> = idx["accounts"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    // Every ACTIVE account, the management account too; never the suspended one.
    assert_eq!(ids, [PROD, CALLER, STAGING, DATA], "sorted by id");
    assert!(!ids.contains(&CLOSED));
    assert_eq!(entry(&idx, DATA)["name"], HOSTILE_NAME, "the name is kept as AWS gave it; outputs escape it");

    // Each account read with its own role, into its own snapshot.
    for id in [PROD, STAGING] {
        let e = entry(&idx, id);
        assert_eq!(e["status"], "complete", "{e}");
        let snap = snapshot(dir.path(), id);
        assert_eq!(snap["account"]["id"], id);
        assert!(snap["account"]["caller_arn"].as_str().unwrap().contains(&format!("{id}:assumed-role/jalon-audit/")));
        let mut names = function_names(&snap);
        names.sort();
        assert_eq!(names, ["api", "worker"], "{id}");
        assert_eq!(e["cost"]["api_calls"]["sts:AssumeRole"], 1, "one AssumeRole per account: {e}");
        let bytes = std::fs::read(dir.path().join(e["snapshot"].as_str().unwrap())).unwrap();
        assert_eq!(e["sha256"], jalon::snapshot::sha256_hex(&bytes));
    }
    // The management account holds nothing seeded: its snapshot is its own, empty.
    assert!(function_names(&snapshot(dir.path(), CALLER)).is_empty());
    // S3 bucket names are global: each account lists its own only.
    for id in [PROD, STAGING] {
        let snap = snapshot(dir.path(), id);
        let buckets = snap["s3"]["buckets"].as_array().unwrap();
        assert!(!buckets.is_empty());
        for b in buckets {
            assert!(b["name"].as_str().unwrap().ends_with(&format!("-{id}")), "{id}: {b}");
        }
    }

    // The refused account: listed, failed, every collector saying why, no resource.
    let refused = entry(&idx, DATA);
    assert_eq!(refused["status"], "failed");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("AssumeRole") && message.contains("access denied"), "{message}");
    let snap = snapshot(dir.path(), DATA);
    assert!(function_names(&snap).is_empty());
    let st = statuses(&snap);
    assert!(st.len() > 15, "a status per collector: {st:?}");
    assert!(st.iter().all(|(_, _, status)| status == "access_denied"), "{st:?}");
    assert!(st.iter().any(|(service, region, _)| service == "lambda" && region == "eu-west-3"));
    // stderr names it; the hostile name does not reach the terminal raw.
    // stderr names it, its hostile name made inert: no escape, no line break of its own.
    let err = stderr(&out);
    let line = err.lines().find(|l| l.starts_with(&format!("! {DATA} ("))).unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("): failed: sts in eu-west-3: access denied on AssumeRole"), "{line}");
    assert!(!err.contains('\u{1b}') && !err.contains("\nred"), "{err:?}");

    // The emulator saw it: one refusal for that account.
    let state = emu.state("/_jalon/accounts");
    assert_eq!(state["assume_role_refused"][DATA], 1, "{state}");
}

#[test]
fn a_throttled_account_is_incomplete_and_the_others_complete() {
    let Some(emu) = Emulator::start() else { return };
    let accounts = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        accounts.path(),
        format!("[[account]]\nid = \"{PROD}\"\nname = \"production\"\n\n[[account]]\nid = \"{STAGING}\"\n"),
    )
    .unwrap();
    emu.seed_accounts("eu-west-3", "small", &[PROD, STAGING]);
    // Staging's Lambda API always throttles; production's throttles once, and its
    // retry (in its own retry partition) gets through.
    emu.control(
        "/_jalon/accounts",
        &json!({"throttled": {STAGING: {"services": ["lambda"], "times": null}, PROD: {"services": ["lambda"], "times": 1}}}),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = accounts.path().to_str().unwrap();
    let out = collect(&emu, dir.path(), &["--accounts", file, "--region", "eu-west-3", "--max-attempts", "2"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let idx = index(dir.path());
    assert_eq!(idx["source"], "accounts-file");
    assert_eq!(entry(&idx, PROD)["status"], "complete", "{idx}");
    assert_eq!(entry(&idx, PROD)["cost"]["throttles"], 1, "production's one throttle, retried: {idx}");
    let staging = entry(&idx, STAGING);
    assert_eq!(staging["status"], "incomplete", "{staging}");
    assert!(staging["message"].as_str().unwrap().starts_with("lambda in eu-west-3: throttled"), "{staging}");
    assert!(staging["cost"]["throttles"].as_u64().unwrap() >= 2, "{staging}");
    let st = statuses(&snapshot(dir.path(), STAGING));
    assert!(st.contains(&("lambda".into(), "eu-west-3".into(), "throttled".into())), "{st:?}");
    assert!(st.contains(&("logs".into(), "eu-west-3".into(), "ok".into())), "{st:?}");
    assert_eq!(function_names(&snapshot(dir.path(), PROD)).len(), 2);

    // Throttled only twice: the SDK's retries get through, and the account is whole.
    emu.control("/_jalon/accounts", &json!({"throttled": {STAGING: {"services": ["lambda"], "times": 2}}}));
    let dir = tempfile::tempdir().unwrap();
    let out = collect(&emu, dir.path(), &["--accounts", file, "--region", "eu-west-3"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let staging = entry(&index(dir.path()), STAGING).clone();
    assert_eq!(staging["status"], "complete", "{staging}");
    assert_eq!(staging["cost"]["throttles"], 2, "{staging}");
}

#[test]
fn the_external_id_and_the_role_itself_are_required_when_the_trust_says_so() {
    let Some(emu) = Emulator::start() else { return };
    organization(&emu, CALLER, &[]);
    let accounts = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(accounts.path(), format!("[[account]]\nid = \"{PROD}\"\n")).unwrap();
    let file = accounts.path().to_str().unwrap();
    emu.control("/_jalon/accounts", &json!({"require_role": true, "external_ids": {PROD: "right-id"}}));
    let run = |extra: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["--accounts", file, "--region", "eu-west-3"];
        args.extend_from_slice(extra);
        let out = collect(&emu, dir.path(), &args);
        (out.status.code(), entry(&index(dir.path()), PROD)["status"].as_str().unwrap().to_string())
    };
    assert_eq!(run(&["--external-id", "right-id"]), (Some(0), "complete".into()));
    // The only account refused: nothing read, exit 4 as a one-account run that read
    // nothing; the directory still says why.
    assert_eq!(run(&["--external-id", "wrong-id"]), (Some(4), "failed".into()));
    assert_eq!(run(&[]), (Some(4), "failed".into()));
    // The role must exist: the Organization created jalon-audit, not another name.
    let dir = tempfile::tempdir().unwrap();
    let out = jalon(&[
        "collect",
        "--endpoint-url",
        &emu.endpoint,
        "--quiet",
        "-o",
        dir.path().to_str().unwrap(),
        "--accounts",
        file,
        "--region",
        "eu-west-3",
        "--role-name",
        "no-such-role",
        "--external-id",
        "right-id",
    ]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("no account could be read"), "{}", stderr(&out));
    let e = entry(&index(dir.path()), PROD).clone();
    assert_eq!(e["status"], "failed");
    assert!(e["message"].as_str().unwrap().contains("role/no-such-role"), "{e}");
}

#[test]
fn the_organization_is_listed_by_its_management_or_a_delegated_administrator_only() {
    let Some(emu) = Emulator::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    // Not in an Organization: nothing to judge, exit 4, and no index pretends otherwise.
    let out = collect(&emu, dir.path(), &["--org", "--region", "eu-west-3"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("organizations:ListAccounts"), "{}", stderr(&out));
    assert!(!dir.path().join("index.json").exists());

    // A member that is not a delegated administrator: denied, exit 4.
    organization(&emu, "999999999999", &[]);
    let out = collect(&emu, dir.path(), &["--org", "--region", "eu-west-3"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));

    // A delegated administrator lists the whole Organization.
    organization(&emu, "999999999999", &[CALLER]);
    let out = collect(&emu, dir.path(), &["--org", "--region", "eu-west-3"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let idx = index(dir.path());
    let ids: Vec<&str> = idx["accounts"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [PROD, CALLER, STAGING, DATA, "999999999999"]);
    // 1 ListAccounts page per 20 accounts: here one.
    assert_eq!(idx["cost"]["api_calls"]["organizations:ListAccounts"], 1, "{}", idx["cost"]);
}

#[test]
fn regions_come_from_the_file_else_the_flag_else_the_account() {
    let Some(emu) = Emulator::start() else { return };
    let accounts = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        accounts.path(),
        format!("[[account]]\nid = \"{PROD}\"\nregions = [\"eu-west-1\", \"eu-west-3\"]\n\n[[account]]\nid = \"{STAGING}\"\n"),
    )
    .unwrap();
    let file = accounts.path().to_str().unwrap();
    // The flag: staging in eu-central-1; production keeps the file's two.
    let dir = tempfile::tempdir().unwrap();
    let out = collect(&emu, dir.path(), &["--accounts", file, "--region", "eu-central-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let idx = index(dir.path());
    assert_eq!(entry(&idx, PROD)["regions"], json!(["eu-west-1", "eu-west-3"]));
    assert_eq!(entry(&idx, STAGING)["regions"], json!(["eu-central-1"]));
    assert!(idx["cost"]["api_calls"].get("account:ListRegions").is_none(), "regions given: never listed");

    // Neither: the regions the account has enabled, an opted-in one too, never a disabled one.
    emu.control("/_jalon/regions", &json!({STAGING: {"eu-south-1": "ENABLED", "me-south-1": "DISABLED"}}));
    let dir = tempfile::tempdir().unwrap();
    let out = jalon(&[
        "collect",
        "--endpoint-url",
        &emu.endpoint,
        "--quiet",
        "-o",
        dir.path().to_str().unwrap(),
        "--accounts",
        file,
        "--role-name",
        "jalon-audit",
    ]);
    assert!(matches!(out.status.code(), Some(0 | 2)), "{}", stderr(&out));
    let idx = index(dir.path());
    let regions: Vec<&str> =
        entry(&idx, STAGING)["regions"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert!(
        regions.contains(&"eu-south-1") && regions.contains(&"us-east-1") && regions.contains(&"eu-west-3"),
        "{regions:?}"
    );
    assert!(!regions.contains(&"me-south-1"), "{regions:?}");
    assert_eq!(entry(&idx, PROD)["regions"], json!(["eu-west-1", "eu-west-3"]));
    assert_eq!(entry(&idx, STAGING)["cost"]["api_calls"]["account:ListRegions"], 1);
}

#[test]
fn shards_merge_whole_or_not_at_all() {
    let Some(emu) = Emulator::start() else { return };
    organization(&emu, CALLER, &[]);
    let root = tempfile::tempdir().unwrap();
    let shard = |k: u32| root.path().join(format!("shard-{k}"));
    // Two shards: the ids modulo 2 put 111… and 333… in shard 1, 123… and 222… in 0.
    for k in 0..2 {
        let out = collect(&emu, &shard(k), &["--org", "--region", "eu-west-3", "--shard", &format!("{k}/2")]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(index(&shard(k))["shard"], json!({"index": k, "count": 2}));
    }
    let ids_of = |dir: &Path| -> Vec<String> {
        index(dir)["accounts"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().into()).collect()
    };
    assert_eq!(ids_of(&shard(0)), [CALLER, STAGING]);
    assert_eq!(ids_of(&shard(1)), [PROD, DATA]);
    let merged = root.path().join("all");
    let path = |p: &Path| p.to_str().unwrap().to_string();
    let out = jalon(&["merge", &path(&shard(0)), &path(&shard(1)), "-o", &path(&merged)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(ids_of(&merged), [PROD, CALLER, STAGING, DATA]);
    assert!(index(&merged).get("shard").is_none());
    // The merged directory's snapshots are the shards' own bytes.
    for id in [PROD, STAGING] {
        let from = if id == PROD { shard(1) } else { shard(0) };
        assert_eq!(
            std::fs::read(merged.join(format!("{id}.json"))).unwrap(),
            std::fs::read(from.join(format!("{id}.json"))).unwrap()
        );
    }

    // A shard missing, or given twice: refused, nothing judged as the whole.
    let out = jalon(&["merge", &path(&shard(0)), "-o", &path(&root.path().join("x"))]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("shards missing: 1/2"), "{}", stderr(&out));
    let out =
        jalon(&["merge", &path(&shard(0)), &path(&shard(0)), &path(&shard(1)), "-o", &path(&root.path().join("y"))]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("shard 0/2 is also in"), "{}", stderr(&out));
    // A shard from another collection: an earlier night's, or split from another list.
    let shard1_index = shard(1).join("index.json");
    let original = std::fs::read_to_string(&shard1_index).unwrap();
    let mut stale: Value = serde_json::from_str(&original).unwrap();
    stale["collected_at"] = json!("2026-01-01T00:00:00Z");
    std::fs::write(&shard1_index, stale.to_string()).unwrap();
    let out = jalon(&["merge", &path(&shard(0)), &path(&shard(1)), "-o", &path(&root.path().join("w"))]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("not one collection"), "{}", stderr(&out));
    let mut other: Value = serde_json::from_str(&original).unwrap();
    assert_eq!(other["listed_accounts"], 4);
    other["listed_accounts"] = json!(5);
    std::fs::write(&shard1_index, other.to_string()).unwrap();
    let out = jalon(&["merge", &path(&shard(0)), &path(&shard(1)), "-o", &path(&root.path().join("v"))]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("listed different numbers of accounts (4, 5)"), "{}", stderr(&out));
    std::fs::write(&shard1_index, original).unwrap();

    // A snapshot changed after its index was written.
    let victim = shard(0).join(format!("{STAGING}.json"));
    let text = std::fs::read_to_string(&victim).unwrap().replacen("\"regions\"", "\"regions\" ", 1);
    std::fs::write(&victim, text).unwrap();
    let out = jalon(&["merge", &path(&shard(0)), &path(&shard(1)), "-o", &path(&root.path().join("z"))]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("SHA-256"), "{}", stderr(&out));
}

#[test]
fn a_bad_accounts_file_or_flag_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accounts.toml");
    std::fs::write(&file, "[[account]]\nid = \"12345\"\n").unwrap();
    let out_dir = dir.path().join("out");
    let (f, o) = (file.to_str().unwrap(), out_dir.to_str().unwrap());
    let endpoint = "http://127.0.0.1:9"; // never reached: the input is refused first
    for (args, expected) in [
        (vec!["collect", "--endpoint-url", endpoint, "--region", "eu-west-3", "-o", o, "--accounts", f], "--role-name"),
        (
            vec!["collect", "--endpoint-url", endpoint, "--region", "eu-west-3", "-o", o, "--role-name", "r"],
            "--accounts FILE or --org",
        ),
        (
            vec!["collect", "--endpoint-url", endpoint, "-o", o, "--org", "--accounts", f, "--role-name", "r"],
            "cannot be used with",
        ),
        (
            vec!["collect", "--endpoint-url", endpoint, "-o", o, "--org", "--role-name", "a b"],
            "expected an IAM role name",
        ),
        (
            vec!["collect", "--endpoint-url", endpoint, "-o", o, "--org", "--role-name", "r", "--shard", "3/3"],
            "expected K/N",
        ),
    ] {
        let out = jalon(&args);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn a_malformed_accounts_file_names_itself_and_the_entry() {
    let Some(emu) = Emulator::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accounts.toml");
    std::fs::write(&file, "[[account]]\nid = \"111111111111\"\n[[account]]\nid = \"12345\"\n").unwrap();
    let out = collect(&emu, &dir.path().join("out"), &["--accounts", file.to_str().unwrap(), "--region", "eu-west-3"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("accounts.toml") && err.contains("account[1].id: expected 12 digits"), "{err}");
    assert!(!dir.path().join("out/index.json").exists());
}

#[test]
fn an_account_with_its_own_cutover_reads_metric_data_from_it() {
    let Some(emu) = Emulator::start() else { return };
    let work = tempfile::tempdir().unwrap();
    let today = chrono::Utc::now().date_naive();
    let (top, own) = (today - chrono::Duration::days(10), today - chrono::Duration::days(3));
    let config = work.path().join("jalon.toml");
    std::fs::write(&config, format!("cutover = \"{top}\"\n\n[accounts.\"{STAGING}\"]\ncutover = \"{own}\"\n")).unwrap();
    let accounts = work.path().join("accounts.toml");
    std::fs::write(&accounts, format!("[[account]]\nid = \"{PROD}\"\n\n[[account]]\nid = \"{STAGING}\"\n")).unwrap();
    let dir = work.path().join("out");
    let out = collect(
        &emu,
        &dir,
        &["--accounts", accounts.to_str().unwrap(), "--region", "eu-west-3", "--config", config.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let start = |dir: &Path, id| snapshot(dir, id)["metrics"]["windows"][0]["start"].as_str().unwrap().to_string();
    assert!(start(&dir, PROD).starts_with(&top.to_string()), "{}", start(&dir, PROD));
    assert!(start(&dir, STAGING).starts_with(&own.to_string()), "{}", start(&dir, STAGING));

    // --cutover sets every account's.
    let dir = work.path().join("out2");
    let out = collect(
        &emu,
        &dir,
        &[
            "--accounts",
            accounts.to_str().unwrap(),
            "--region",
            "eu-west-3",
            "--config",
            config.to_str().unwrap(),
            "--cutover",
            &top.to_string(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(start(&dir, STAGING).starts_with(&top.to_string()), "{}", start(&dir, STAGING));
}

#[test]
fn the_external_id_is_never_shown() {
    // From the environment: --help names the variable, never its value; and a
    // one-account run with it set is a plain run (it is for --role-name only).
    let out =
        common::jalon_command(&["collect", "--help"]).env("JALON_EXTERNAL_ID", "canary-ext-id-7f3a").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = common::stdout(&out);
    assert!(help.contains("JALON_EXTERNAL_ID") && !help.contains("canary-ext-id-7f3a"), "{help}");
    let out = common::jalon_command(&["collect", "--endpoint-url", "http://127.0.0.1:9", "-o", "/nonexistent/x"])
        .env("JALON_EXTERNAL_ID", "canary-ext-id-7f3a")
        .output()
        .unwrap();
    assert!(!stderr(&out).contains("canary-ext-id-7f3a") && !stderr(&out).contains("--role-name"), "{}", stderr(&out));
}

#[test]
fn an_account_whose_regions_cannot_be_listed_is_failed_and_says_why() {
    let Some(emu) = Emulator::start() else { return };
    let work = tempfile::tempdir().unwrap();
    let accounts = work.path().join("accounts.toml");
    std::fs::write(
        &accounts,
        format!("[[account]]\nid = \"{PROD}\"\n\n[[account]]\nid = \"{STAGING}\"\nregions = [\"eu-west-3\"]\n"),
    )
    .unwrap();
    emu.deny(&["account"]);
    let dir = work.path().join("out");
    let out = collect(&emu, &dir, &["--accounts", accounts.to_str().unwrap()]);
    // Staging's regions are in the file: read. Production's could not be listed.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let idx = index(&dir);
    assert_eq!(entry(&idx, STAGING)["status"], "complete");
    let prod = entry(&idx, PROD);
    assert_eq!(prod["status"], "failed", "{prod}");
    assert!(prod["message"].as_str().unwrap().starts_with("account in "), "{prod}");
    assert!(prod["message"].as_str().unwrap().contains("access denied on ListRegions"), "{prod}");
    let st = statuses(&snapshot(&dir, PROD));
    assert!(st.iter().any(|(s, _, status)| s == "account" && status == "access_denied"), "{st:?}");
}

#[test]
fn excluded_accounts_are_left_out_and_said_so() {
    let Some(emu) = Emulator::start() else { return };
    organization(&emu, CALLER, &[]);
    let dir = tempfile::tempdir().unwrap();
    // The management account, where the role is often not deployed, and one member.
    let out = collect(
        &emu,
        dir.path(),
        &["--org", "--region", "eu-west-3", "--exclude-accounts", &format!("{CALLER},{DATA}")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("excluded by --exclude-accounts: {CALLER}, {DATA}")), "{}", stderr(&out));
    let idx = index(dir.path());
    let ids: Vec<&str> = idx["accounts"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [PROD, STAGING]);
    assert_eq!(idx["excluded_accounts"], json!([CALLER, DATA]));
    assert!(!dir.path().join(format!("{DATA}.json")).exists());
    // The check over the directory says which accounts were left out, and why.
    for format in ["table", "markdown"] {
        let out = jalon(&["check", "--snapshot", dir.path().to_str().unwrap(), "--format", format]);
        assert!(matches!(out.status.code(), Some(0..=2)), "{}", stderr(&out));
        let text = common::stdout(&out);
        assert!(
            text.contains(&format!("xcluded from the collection on purpose: {CALLER}, {DATA}")),
            "{format}: {text}"
        );
    }
    let out = collect(&emu, dir.path(), &["--org", "--region", "eu-west-3", "--exclude-accounts", "12"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("expected a 12-digit account id"), "{}", stderr(&out));
}
