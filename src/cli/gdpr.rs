//! `jalon gdpr`: the GDPR technical documentation appendix.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::Args;

use crate::cli::check::parse_instant;
use crate::cli::evaluate::EvaluationArgs;
use crate::cli::output::{self, write_file};
use crate::error::{exit, read_text, JalonError};
use crate::gdpr::{self, record::ProcessingRecord, Sources};
use crate::pipeline::Evidence;
use crate::snapshot::sha256_hex;

#[derive(Args, Debug)]
pub struct GdprArgs {
    /// A snapshot from `jalon collect`: the evidence.
    #[arg(long, value_name = "FILE")]
    pub snapshot: PathBuf,
    /// The processing record (TOML): the declared facts. See examples/processing.toml.
    #[arg(long, value_name = "FILE")]
    pub record: PathBuf,
    /// Output file (one format; `-` for stdout) or directory (several formats).
    /// Default: reports/gdpr-appendix.md (and .html).
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Output formats, comma separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "markdown")]
    pub format: Vec<GdprFormat>,
    #[command(flatten)]
    pub evaluation: EvaluationArgs,
    /// Judge as of this day or instant (default: when the snapshot was collected).
    #[arg(long, value_name = "DATE", value_parser = parse_instant)]
    pub as_of: Option<DateTime<Utc>>,
    /// Exit 1 while a declared fact of the processing record is missing (the appendix
    /// is still written, each missing fact marked).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GdprFormat {
    Markdown,
    Html,
}

impl GdprFormat {
    fn file_name(self) -> &'static str {
        match self {
            GdprFormat::Markdown => "gdpr-appendix.md",
            GdprFormat::Html => "gdpr-appendix.html",
        }
    }
}

pub fn run(args: GdprArgs) -> Result<i32, JalonError> {
    let record_text = read_text(&args.record)?;
    let record = ProcessingRecord::parse(&record_text).map_err(|detail| JalonError::input(&args.record, detail))?;
    let mut request = args.evaluation.request(Evidence::Snapshot(args.snapshot.clone()), args.as_of);
    request.keep_resources = true;
    request.inventory = true;
    let evaluation = crate::cli::evaluate::run(&request)?;
    let name = |p: &Path| p.display().to_string();
    let (record_file, snapshot_file) = (name(&args.record), name(&args.snapshot));
    let config_file = evaluation.rules.config_path.as_deref().map(name);
    let (waivers_file, attestations_file) =
        (args.evaluation.waivers.as_deref().map(name), args.evaluation.attestations.as_deref().map(name));
    let record_sha256 = sha256_hex(record_text.as_bytes());
    let catalogue = gdpr::catalogue::Catalogue::embedded()?;
    let doc = gdpr::build(&Sources {
        catalogue: &catalogue,
        record: &record,
        record_file: &record_file,
        record_sha256: &record_sha256,
        snapshot: &evaluation.snapshot,
        snapshot_file: &snapshot_file,
        report: &evaluation.report,
        inventory: evaluation.inventory.as_ref().ok_or_else(|| JalonError::Runtime("no inventory evaluated".into()))?,
        config: &evaluation.rules.config,
        config_file: config_file.as_deref(),
        waivers_file: waivers_file.as_deref(),
        attestations_file: attestations_file.as_deref(),
    });
    let missing = gdpr::missing_facts(&doc);
    // --strict: the appendix is written, and the run fails until the record is whole.
    let code = if args.strict && !missing.is_empty() { exit::FINDINGS } else { exit::OK };
    if !missing.is_empty() {
        eprintln!(
            "{}: {}: {} declared facts missing, marked as such in the appendix: {}",
            if args.strict { "error (--strict)" } else { "warning" },
            record_file,
            missing.len(),
            missing.join(", ")
        );
    }
    let render = |format: GdprFormat| match format {
        GdprFormat::Markdown => gdpr::markdown::render(&doc),
        GdprFormat::Html => gdpr::html::render(&doc),
    };
    let mut formats = args.format.clone();
    formats.dedup();
    if let [format] = formats.as_slice() {
        let path = args.output.clone().unwrap_or_else(|| Path::new("reports").join(format.file_name()));
        if path == Path::new("-") {
            output::print(&render(*format))?;
        } else {
            write_file(&path, &render(*format))?;
            eprintln!("wrote {}", path.display());
        }
        return Ok(code);
    }
    let dir = args.output.clone().unwrap_or_else(|| PathBuf::from("reports"));
    let mut files = crate::files::FileSet::new();
    for format in formats {
        files.stage(&dir.join(format.file_name()), |out| out.write_all(render(format).as_bytes()))?;
    }
    for path in files.commit()? {
        eprintln!("wrote {}", path.display());
    }
    Ok(code)
}
