//! Judging every account of a snapshot directory (docs/accounts.md): one account
//! after another with the same policies, config, waivers and attestations, each
//! account's part of every report written as soon as it is judged; and `jalon diff`
//! over accounts. The result's types over accounts are [`crate::result::accounts`]
//! and [`crate::result::summary`].

pub mod diff;
pub mod run;
