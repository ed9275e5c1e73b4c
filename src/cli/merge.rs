//! `jalon merge`: the snapshot directories of a sharded collection into one.

use std::path::PathBuf;

use clap::Args;

use crate::error::{exit, JalonError};
use crate::snapshot::index::AccountStatus;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shard directories (`collect --shard K/N -o DIR`), every shard of the split once.
    #[arg(value_name = "DIR", required = true)]
    pub inputs: Vec<PathBuf>,
    /// The merged snapshot directory.
    #[arg(long, short, value_name = "DIR")]
    pub output: PathBuf,
}

pub fn run(args: MergeArgs) -> Result<i32, JalonError> {
    let index = crate::snapshot::merge::merge(&args.inputs, &args.output)?;
    let not_complete = index.accounts.iter().filter(|a| a.status != AccountStatus::Complete).count();
    eprintln!(
        "wrote {} ({} accounts from {} shards, {} not complete)",
        args.output.join(crate::snapshot::index::INDEX_FILE).display(),
        index.accounts.len(),
        args.inputs.len(),
        not_complete
    );
    // Merged whole: 0, even with accounts not read whole (their controls are UNKNOWN,
    // and `check` exits 2 for them), so a pipeline's merge step does not stop before
    // the check that reports them. A merge of shards that read no account at all: 2.
    Ok(if index.accounts.is_empty() { exit::INCOMPLETE } else { exit::OK })
}
