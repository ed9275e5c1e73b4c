//! `--format junit` over several accounts: one `<testsuites>`, and in it each
//! account's suites (one per phase, as for one account), written as each account is
//! judged. Suite names, test case names and class names carry the account. The
//! totals of `<testsuites>` are left out (optional in JUnit XML): they are known only
//! at the end, and each suite carries its own.

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::{account_label, AccountPart, AccountsWriter};
use crate::result::summary::RunSummary;
use crate::snapshot::index::LoadedIndex;

#[derive(Default)]
pub struct Writer;

impl AccountsWriter for Writer {
    fn begin(&mut self, _index: &LoadedIndex, out: &mut dyn Write) -> io::Result<()> {
        let mut xml = quick_xml::Writer::new_with_indent(out, b' ', 4);
        xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let mut root = BytesStart::new("testsuites");
        root.push_attribute(("name", "jalon"));
        xml.write_event(Event::Start(root))
    }

    fn account(&mut self, part: &AccountPart, out: &mut dyn Write) -> io::Result<()> {
        let mut xml = quick_xml::Writer::new_with_indent(out, b' ', 4);
        let label = account_label(&part.entry.id, part.entry.name.as_deref());
        crate::render::junit::write_account(&mut xml, part.view, &label)
    }

    fn finish(&mut self, _summary: &RunSummary, out: &mut dyn Write) -> io::Result<()> {
        let mut xml = quick_xml::Writer::new_with_indent(out, b' ', 4);
        xml.write_event(Event::End(BytesEnd::new("testsuites")))?;
        xml.write_indent()
    }
}
