//! jalon: is the production AWS stack ready, and can we prove it?
//!
//! Data flow: [`collect`] reads the account into a [`snapshot`]; [`engine`] evaluates
//! it with the Rego policies; [`checklist`] turns outcomes into verdicts per phase
//! (with [`waivers`] and [`attestations`]); [`report`] renders them; [`drift`]
//! compares two results or two snapshots; [`gdpr`] writes the GDPR appendix.

pub mod accounts;
pub mod attestations;
pub mod checklist;
pub mod cli;
pub mod collect;
pub mod config;
mod dates;
pub mod drift;
pub mod engine;
pub mod error;
pub mod files;
pub mod gdpr;
pub mod pipeline;
pub mod render;
pub mod result;
pub mod selection;
pub mod snapshot;
#[cfg(any(test, feature = "bench"))]
pub mod synthetic;
pub mod timings;
pub mod waivers;
