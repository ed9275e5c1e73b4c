//! 3. Data subjects and data categories, with the data-classification tags seen.

use std::collections::BTreeMap;

use super::{cell, code_cell, count_kinds, yes_no, Builder};
use crate::gdpr::doc::{code, em, fact, missing, strong, t, Document, Inline};
use crate::gdpr::record::declared;

impl<'a> Builder<'a> {
    pub(in crate::gdpr) fn subjects_and_categories(&self, doc: &mut Document) {
        doc.h2("3. Data subjects and data categories");
        let rec = self.record();
        let mut line = vec![t("Data subjects (declared): ")];
        match rec.data_subjects.as_deref() {
            None | Some([]) => line.push(missing("data_subjects")),
            Some(list) => line.push(t(list.join("; "))),
        }
        line.push(t("."));
        doc.para(line);
        let tag = &self.src.config.scope.data_class_tag;
        let by_class = self.resources_by_class();
        match rec.data_categories.as_deref() {
            None | Some([]) => doc.para(vec![t("Data categories (declared): "), missing("data_category")]),
            Some(list) => {
                let rows = list
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let class = declared(&c.data_class);
                        let seen = match class {
                            None => {
                                vec![em(format!("no `{tag}` value declared for this category"))]
                            }
                            Some(class) => match by_class.iter().find(|(k, _)| k.eq_ignore_ascii_case(class)) {
                                Some((_, resources)) => cell(count_kinds(resources)),
                                None => vec![strong("Check"), t(format!(": no resource is tagged {tag}={class}"))],
                            },
                        };
                        vec![
                            fact(declared(&c.name), &format!("data_category[{i}].name")),
                            fact(declared(&c.examples), &format!("data_category[{i}].examples")),
                            match c.special {
                                Some(true) => {
                                    vec![strong("yes"), t(" (Art. 9 or 10: an Art. 9(2) condition is needed)")]
                                }
                                Some(false) => cell("no"),
                                None => vec![missing(format!("data_category[{i}].special"))],
                            },
                            match class {
                                Some(class) => code_cell(format!("{tag}={class}")),
                                None => vec![missing(format!("data_category[{i}].data_class"))],
                            },
                            seen,
                        ]
                    })
                    .collect();
                doc.table(
                    &[
                        "Category (declared)",
                        "Examples",
                        "Special category",
                        "Tag",
                        "Resources carrying the tag (evidence)",
                    ],
                    rows,
                );
            }
        }
        doc.h3("Data-classification tags seen");
        let rows: Vec<Vec<Vec<Inline>>> = by_class
            .iter()
            .map(|(class, resources)| {
                vec![
                    code_cell(format!("{tag}={class}")),
                    yes_no(self.is_personal_class(class)),
                    cell(count_kinds(resources)),
                ]
            })
            .collect();
        if rows.is_empty() {
            doc.para(vec![t(format!("No resource carries a `{tag}` tag."))]);
        } else {
            doc.table(&["Tag", "Personal data (scope.personal_data_classes)", "Resources"], rows);
        }
        let untagged: Vec<(&str, &str)> = self
            .src
            .inventory
            .data_classes
            .iter()
            .filter(|c| c.data_class.is_none())
            .map(|c| (c.kind.as_str(), c.arn.as_str()))
            .collect();
        if !untagged.is_empty() {
            doc.para(vec![
                t("Not classified (no "),
                code(tag.as_str()),
                t(format!(" tag): {}. They are not counted as personal-data stores below; ", count_kinds(&untagged))),
                t("if they hold personal data, tag them."),
            ]);
        }
        doc.bullets(self.control_lines(&["GDP-001"]));
    }

    /// Data class -> (kind, arn) of every resource tagged with it.
    fn resources_by_class(&self) -> BTreeMap<&'a str, Vec<(&'a str, &'a str)>> {
        let mut map: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for c in &self.src.inventory.data_classes {
            if let Some(class) = c.data_class.as_deref() {
                map.entry(class).or_default().push((c.kind.as_str(), c.arn.as_str()));
            }
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use crate::gdpr::sections::fixtures::Fixture;

    #[test]
    fn the_tags_seen_are_the_classes_the_policies_read() {
        let text = Fixture::demo().section(|b, doc| b.subjects_and_categories(doc));
        assert!(
            text.contains(
                "| `data-class=personal` | yes | 1 DB instance, 1 DynamoDB table, 1 ElastiCache replication group, 1 Lambda function, 1 S3 bucket, 2 log groups |"
            ),
            "{text}"
        );
        assert!(text.contains(
            "Not classified (no `data-class` tag): 2 Lambda functions, 1 SQS queue, 18 log groups, 2 secrets."
        ));
        // Each declared category finds the resources carrying its class.
        assert_eq!(
            text.matches(
                "| `data-class=personal` | 1 DB instance, 1 DynamoDB table, 1 ElastiCache replication group, 1 Lambda function, 1 S3 bucket, 2 log groups |"
            )
            .count(),
            3
        );
    }

    #[test]
    fn a_class_is_personal_as_the_policies_say_not_as_spelled() {
        // The policies read personal_data_classes as written, lower, UPPER or Title case:
        // `Personal` is personal, `pErSoNaL` is not. The appendix says what they say.
        let dir = tempfile::tempdir().unwrap();
        let mut snapshot: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string("examples/demo-snapshot.json").unwrap()).unwrap();
        snapshot["rds"]["instances"][0]["tags"]["data-class"] = "Personal".into();
        snapshot["logs"]["log_groups"][0]["tags"]["data-class"] = "pErSoNaL".into();
        let path = dir.path().join("snapshot.json");
        std::fs::write(&path, serde_json::to_string(&snapshot).unwrap()).unwrap();
        let text = Fixture::of(&path, None).section(|b, doc| b.subjects_and_categories(doc));
        assert!(text.contains("| `data-class=Personal` | yes | 1 DB instance |"), "{text}");
        assert!(text.contains("| `data-class=pErSoNaL` | no | 1 log group |"), "{text}");
    }
}
