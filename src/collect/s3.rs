//! S3: buckets. In each region, ListBuckets filtered to that region's buckets (so each
//! bucket is read through its own region's endpoint), then per bucket the six calls
//! no list returns: Block Public Access (S3-001), default encryption (GDP-003 and the
//! appendix), the bucket policy (only whether it refuses plain HTTP is kept: GDP-004),
//! lifecycle (GDP-005, AUD-002), versioning (GDP-005: noncurrent versions) and object
//! lock (erasure). The account-wide Block Public Access is read once, by the first
//! collected region (S3 Control). Objects are never listed or read.

use aws_sdk_s3::types::{
    BucketVersioningStatus, ExpirationStatus, LifecycleRule as SdkRule, LifecycleRuleFilter, ObjectLockEnabled,
    ServerSideEncryption,
};
use aws_sdk_s3::Client;
use aws_sdk_s3control::config::endpoint::{Endpoint, EndpointFuture, Params, ResolveEndpoint};
use futures::future::BoxFuture;

use crate::collect::{Context, Failure, Part};
use crate::snapshot::{Bucket, LifecycleRule, PublicAccessBlock, Snapshot};

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let mut config =
        aws_sdk_s3::config::Builder::from(cx.sdk()).interceptor(cx.recorder()).retry_partition(cx.retry_partition());
    if cx.sdk().endpoint_url().is_some() {
        // An emulator or a proxy at an address, not a domain: buckets in the path.
        config = config.force_path_style(true);
    }
    let client = Client::from_conf(config.build());
    let mut names = Vec::new();
    let pages = client.list_buckets().bucket_region(cx.region).max_buckets(1000).into_paginator().send();
    cx.pages("ListBuckets", pages, |page| {
        names.extend(page.buckets.unwrap_or_default().into_iter().filter_map(|b| b.name));
    })
    .await?;
    let buckets = cx.for_each(names, |name| bucket(cx, &client, name)).await?;
    let mut part = Snapshot::default();
    part.s3.buckets = buckets.into_iter().flatten().collect();
    if cx.regions.first().is_some_and(|first| first == cx.region) {
        part.s3.account_public_access_block = Some(account_public_access_block(cx).await?);
    }
    Ok(Part::Resources(Box::new(part)))
}

/// The account-wide setting; all off when the account never set it.
async fn account_public_access_block(cx: &Context<'_>) -> Result<PublicAccessBlock, Failure> {
    let mut config = aws_sdk_s3control::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder().for_service("s3control"))
        .retry_partition(cx.retry_partition());
    if let Some(url) = cx.sdk().endpoint_url() {
        // S3 Control puts the account id in the host name (`123456789012.s3-control...`):
        // a given endpoint is taken as it is.
        config = config.endpoint_resolver(GivenEndpoint(url.to_string()));
    }
    let client = aws_sdk_s3control::Client::from_conf(config.build());
    let read = client.get_public_access_block().account_id(cx.account_id).send();
    let found = cx.call_unless_absent("GetPublicAccessBlock", read, |c| c == "NoSuchPublicAccessBlockConfiguration");
    let c = found.await?.and_then(|o| o.public_access_block_configuration);
    Ok(c.map_or_else(PublicAccessBlock::default, |c| {
        settings([c.block_public_acls, c.ignore_public_acls, c.block_public_policy, c.restrict_public_buckets])
    }))
}

#[derive(Debug)]
struct GivenEndpoint(String);

impl ResolveEndpoint for GivenEndpoint {
    fn resolve_endpoint<'a>(&'a self, _params: &'a Params) -> EndpointFuture<'a> {
        EndpointFuture::ready(Ok(Endpoint::builder().url(self.0.clone()).build()))
    }
}

/// A bucket's settings; None when it was deleted after it was listed.
async fn bucket(cx: &Context<'_>, client: &Client, name: String) -> Result<Option<Bucket>, Failure> {
    let gone = |code: &str| code == "NoSuchBucket";
    // Versioning always answers for an existing bucket: it tells a deleted bucket apart.
    let versioning = client.get_bucket_versioning().bucket(&name).send();
    let Some(versioning) = cx.call_unless_absent("GetBucketVersioning", versioning, gone).await? else {
        return Ok(None);
    };
    let absent = |expected: &'static str| move |code: &str| code == expected || code == "NoSuchBucket";
    let block = client.get_public_access_block().bucket(&name).send();
    let block = cx.call_unless_absent("GetPublicAccessBlock", block, absent("NoSuchPublicAccessBlockConfiguration"));
    let block = block.await?.and_then(|o| o.public_access_block_configuration);
    let encryption = client.get_bucket_encryption().bucket(&name).send();
    let encryption = cx.call_unless_absent(
        "GetBucketEncryption",
        encryption,
        absent("ServerSideEncryptionConfigurationNotFoundError"),
    );
    let default = encryption
        .await?
        .and_then(|o| o.server_side_encryption_configuration)
        .and_then(|c| c.rules.into_iter().find_map(|r| r.apply_server_side_encryption_by_default));
    let policy = client.get_bucket_policy().bucket(&name).send();
    let policy = cx.call_unless_absent("GetBucketPolicy", policy, absent("NoSuchBucketPolicy")).await?;
    let lifecycle = client.get_bucket_lifecycle_configuration().bucket(&name).send();
    let lifecycle =
        cx.call_unless_absent("GetBucketLifecycleConfiguration", lifecycle, absent("NoSuchLifecycleConfiguration"));
    let rules = lifecycle.await?.and_then(|o| o.rules).unwrap_or_default();
    let lock = client.get_object_lock_configuration().bucket(&name).send();
    let lock =
        cx.call_unless_absent("GetObjectLockConfiguration", lock, absent("ObjectLockConfigurationNotFoundError"));
    let lock = lock.await?.and_then(|o| o.object_lock_configuration);
    let retention = lock.as_ref().and_then(|l| l.rule.as_ref()).and_then(|r| r.default_retention.as_ref());
    // Days or years, never both; moto answers `Years: 0` beside days.
    let lock_days = retention.and_then(|r| match (r.days, r.years) {
        (Some(d), _) if d > 0 => Some(i64::from(d)),
        (_, Some(y)) if y > 0 => Some(i64::from(y) * 365),
        _ => None,
    });
    Ok(Some(Bucket {
        arn: format!("arn:aws:s3:::{name}"),
        region: cx.region.to_string(),
        public_access_block: block.map_or_else(PublicAccessBlock::default, |c| {
            settings([c.block_public_acls, c.ignore_public_acls, c.block_public_policy, c.restrict_public_buckets])
        }),
        // Since January 2023 every bucket encrypts new objects with SSE-S3 at least.
        encryption: default.as_ref().map_or("AES256", |d| ServerSideEncryption::as_str(&d.sse_algorithm)).into(),
        kms_key_id: default.and_then(|d| d.kms_master_key_id).filter(|k| !k.is_empty()),
        tls_only: policy.and_then(|p| p.policy).is_some_and(|p| denies_plain_http(&p)),
        versioning: versioning.status.as_ref().map_or("Disabled", BucketVersioningStatus::as_str).into(),
        object_lock: lock.and_then(|l| l.object_lock_enabled) == Some(ObjectLockEnabled::Enabled),
        object_lock_days: lock_days,
        lifecycle_rules: rules.into_iter().map(lifecycle_rule).collect(),
        tags: Default::default(),
        name,
    }))
}

/// The four settings (block and ignore public ACLs, block and restrict public
/// policies), an unset one off: S3's and S3 Control's answers alike (two SDK types).
fn settings([acls, ignore, policy, restrict]: [Option<bool>; 4]) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: acls == Some(true),
        ignore_public_acls: ignore == Some(true),
        block_public_policy: policy == Some(true),
        restrict_public_buckets: restrict == Some(true),
    }
}

fn lifecycle_rule(r: SdkRule) -> LifecycleRule {
    let expiration = r.expiration.as_ref();
    // Rules written before `Filter` existed still carry their prefix here.
    #[allow(deprecated)]
    let legacy_prefix = r.prefix.as_deref();
    LifecycleRule {
        id: r.id.clone().unwrap_or_default(),
        enabled: r.status == ExpirationStatus::Enabled,
        applies_to: applies_to(r.filter.as_ref(), legacy_prefix),
        expiration_days: expiration.and_then(|e| e.days).filter(|d| *d > 0).map(i64::from),
        expiration_date: expiration
            .and_then(|e| e.date.as_ref())
            .and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
            .map(|d| d.chars().take(10).collect()),
        noncurrent_expiration_days: r
            .noncurrent_version_expiration
            .and_then(|n| n.noncurrent_days)
            .filter(|d| *d > 0)
            .map(i64::from),
    }
}

/// Which objects a rule applies to, "" for all of them.
fn applies_to(filter: Option<&LifecycleRuleFilter>, legacy_prefix: Option<&str>) -> String {
    let mut parts = Vec::new();
    let mut prefix = |p: Option<&str>| {
        if let Some(p) = p.filter(|p| !p.is_empty()) {
            parts.push(format!("prefix {p}"));
        }
    };
    prefix(legacy_prefix);
    if let Some(f) = filter {
        prefix(f.prefix.as_deref());
        let and = f.and.as_ref();
        prefix(and.and_then(|a| a.prefix.as_deref()));
        let tags = f.tag.iter().chain(and.and_then(|a| a.tags.as_ref()).into_iter().flatten());
        parts.extend(tags.map(|t| format!("tag {}={}", t.key, t.value)));
        let larger = f.object_size_greater_than.or(and.and_then(|a| a.object_size_greater_than));
        let smaller = f.object_size_less_than.or(and.and_then(|a| a.object_size_less_than));
        parts.extend(larger.map(|n| format!("larger than {n} bytes")));
        parts.extend(smaller.map(|n| format!("smaller than {n} bytes")));
    }
    parts.join(", ")
}

/// Whether a bucket policy denies every principal any request made without TLS:
/// a Deny statement for `*`, on every S3 action, under `aws:SecureTransport` false
/// (`Bool` or `BoolIfExists`, as a string or a boolean).
pub fn denies_plain_http(policy: &str) -> bool {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(policy) else { return false };
    let statements = match &doc["Statement"] {
        serde_json::Value::Array(list) => list.clone(),
        one @ serde_json::Value::Object(_) => vec![one.clone()],
        _ => return false,
    };
    let any = |v: &serde_json::Value, wanted: &[&str]| match v {
        serde_json::Value::String(s) => wanted.contains(&s.as_str()),
        serde_json::Value::Array(list) => list.iter().any(|x| x.as_str().is_some_and(|s| wanted.contains(&s))),
        _ => false,
    };
    statements.iter().any(|s| {
        let principal = &s["Principal"];
        let everyone = principal == "*" || any(&principal["AWS"], &["*"]);
        let all_actions = any(&s["Action"], &["s3:*", "*"]);
        let condition = &s["Condition"];
        let insecure = ["Bool", "BoolIfExists"].iter().any(|op| {
            let v = &condition[*op]["aws:SecureTransport"];
            v == "false" || v == false || any(v, &["false"])
        });
        s["Effect"] == "Deny" && everyone && all_actions && insecure
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_refuses_plain_http_only_when_it_denies_everyone_everything_without_tls() {
        let deny = |principal: &str, action: &str, value: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Principal":{principal},"Action":{action},"Resource":"*","Condition":{{"Bool":{{"aws:SecureTransport":{value}}}}}}}]}}"#
            )
        };
        assert!(denies_plain_http(&deny(r#""*""#, r#""s3:*""#, r#""false""#)));
        assert!(denies_plain_http(&deny(r#"{"AWS":"*"}"#, r#"["s3:*"]"#, "false")));
        assert!(!denies_plain_http(&deny(r#"{"AWS":"arn:aws:iam::1:root"}"#, r#""s3:*""#, r#""false""#)));
        assert!(!denies_plain_http(&deny(r#""*""#, r#""s3:GetObject""#, r#""false""#)));
        assert!(!denies_plain_http(&deny(r#""*""#, r#""s3:*""#, r#""true""#)));
        assert!(!denies_plain_http(&deny(r#""*""#, r#""s3:*""#, r#""false""#).replace("Deny", "Allow")));
        assert!(!denies_plain_http("not json"));
        assert!(!denies_plain_http(r#"{"Statement":"x"}"#));
    }

    #[test]
    fn a_rule_says_which_objects_it_applies_to() {
        let filter = LifecycleRuleFilter::builder().prefix("logs/").build();
        assert_eq!(applies_to(Some(&filter), None), "prefix logs/");
        assert_eq!(applies_to(Some(&LifecycleRuleFilter::builder().build()), None), "");
        assert_eq!(applies_to(None, Some("tmp/")), "prefix tmp/");
        assert_eq!(applies_to(None, None), "");
    }
}
