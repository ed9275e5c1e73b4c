//! Judging every account of a snapshot directory (docs/accounts.md): one account
//! after another with the same policies, config, waivers and attestations, each
//! account's part of every report written as soon as it is judged.

pub mod diff;
pub mod result;
pub mod run;
pub mod scope;
pub mod summary;
