//! 2. Purposes and lawful basis (Art. 6).

use super::{cell, Builder};
use crate::gdpr::doc::{fact, missing, Document};
use crate::gdpr::record::declared;

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn purposes(&self, doc: &mut Document) {
        doc.h2("2. Purposes and lawful basis (Art. 6)");
        match self.record().purposes.as_deref() {
            None | Some([]) => doc.para(vec![missing("purpose")]),
            Some(list) => {
                let rows = list
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        vec![
                            fact(declared(&p.name), &format!("purpose[{i}].name")),
                            match p.lawful_basis {
                                Some(b) => cell(b.describe()),
                                None => vec![missing(format!("purpose[{i}].lawful_basis"))],
                            },
                            fact(declared(&p.details), &format!("purpose[{i}].details")),
                        ]
                    })
                    .collect();
                doc.table(&["Purpose", "Lawful basis", "Details"], rows);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn each_purpose_with_its_lawful_basis() {
        let text = Fixture::demo().section(|b, doc| b.purposes(doc));
        assert!(text.contains("| Taking and fulfilling orders | performance of a contract, Art. 6(1)(b) |"), "{text}");
    }

    #[test]
    fn no_purpose_is_missing() {
        let mut demo = Fixture::demo();
        demo.record.purposes = Some(Vec::new());
        let text = demo.section(|b, doc| b.purposes(doc));
        assert!(text.contains("(`purpose`)"), "{text}");
    }
}
