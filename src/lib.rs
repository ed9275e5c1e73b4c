//! jalon: is the production AWS stack ready, and can we prove it?
//!
//! Data flow: [`collect`] reads the account into a [`snapshot`]; [`engine`] evaluates
//! it with the Rego policies; [`checklist`] turns outcomes into verdicts per phase
//! (with [`waivers`] and [`attestations`]); [`report`] renders them.

pub mod attestations;
pub mod checklist;
pub mod cli;
pub mod collect;
pub mod config;
mod dates;
pub mod engine;
pub mod error;
pub mod report;
pub mod snapshot;
pub mod waivers;
