//! KMS: keys. ListKeys returns ids only: one DescribeKey per key (manager, state,
//! spec, origin), and GetKeyRotationStatus only for the keys that can rotate
//! (customer-managed, enabled, symmetric, key material from KMS); the aliases in one
//! paged ListAliases. Key material and policies are never read.

use std::collections::HashMap;

use aws_sdk_kms::types::{KeyManagerType, KeySpec, KeyState, OriginType};
use aws_sdk_kms::Client;
use futures::future::BoxFuture;

use crate::collect::{Context, Failure, Part};
use crate::snapshot::{KmsKey, Snapshot};

pub fn collect<'a>(cx: &'a Context<'a>) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx))
}

async fn run(cx: &Context<'_>) -> Result<Part, Failure> {
    let config = aws_sdk_kms::config::Builder::from(cx.sdk())
        .interceptor(cx.recorder())
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let mut ids = Vec::new();
    let pages = client.list_keys().limit(1000).into_paginator().send();
    cx.pages("ListKeys", pages, |page| {
        ids.extend(page.keys.unwrap_or_default().into_iter().filter_map(|k| k.key_id));
    })
    .await?;
    let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
    let pages = client.list_aliases().limit(100).into_paginator().send();
    cx.pages("ListAliases", pages, |page| {
        for a in page.aliases.unwrap_or_default() {
            if let (Some(target), Some(name)) = (a.target_key_id, a.alias_name) {
                aliases.entry(target).or_default().push(name);
            }
        }
    })
    .await?;
    let keys = cx.for_each(ids, |id| key(cx, &client, id)).await?;
    let mut part = Snapshot::default();
    part.kms.keys = keys
        .into_iter()
        .flatten()
        .map(|mut k| {
            k.aliases = aliases.remove(&k.key_id).unwrap_or_default();
            k
        })
        .collect();
    Ok(Part::Resources(Box::new(part)))
}

/// A key's metadata, and its rotation when it can rotate; None when it was deleted
/// after it was listed.
async fn key(cx: &Context<'_>, client: &Client, id: String) -> Result<Option<KmsKey>, Failure> {
    let described = cx.call_unless_absent("DescribeKey", client.describe_key().key_id(&id).send(), |code| {
        code == "NotFoundException"
    });
    let Some(meta) = described.await?.and_then(|d| d.key_metadata) else { return Ok(None) };
    let can_rotate = meta.key_manager == Some(KeyManagerType::Customer)
        && meta.key_state == Some(KeyState::Enabled)
        && meta.key_spec == Some(KeySpec::SymmetricDefault)
        && meta.origin == Some(OriginType::AwsKms);
    let rotation_enabled = if can_rotate {
        let status = cx.call("GetKeyRotationStatus", client.get_key_rotation_status().key_id(&id).send()).await?;
        Some(status.key_rotation_enabled)
    } else {
        None
    };
    let text = |v: Option<&str>| v.unwrap_or_default().to_string();
    Ok(Some(KmsKey {
        arn: text(meta.arn.as_deref()),
        region: cx.region.to_string(),
        key_manager: text(meta.key_manager.as_ref().map(KeyManagerType::as_str)),
        key_state: text(meta.key_state.as_ref().map(KeyState::as_str)),
        // moto leaves KeySpec out on keys created without one: AWS's default.
        key_spec: meta.key_spec.as_ref().map_or("SYMMETRIC_DEFAULT", KeySpec::as_str).to_string(),
        origin: meta.origin.as_ref().map_or("AWS_KMS", OriginType::as_str).to_string(),
        rotation_enabled,
        aliases: Vec::new(),
        key_id: id,
    }))
}
