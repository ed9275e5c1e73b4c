//! Rego that regorus evaluates correctly but at a cost out of all proportion.
//!
//! Reading a rule's value through an import alias (`import data.jalon.lib`, then
//! `lib.functions`) makes regorus evaluate every rule of every package under the
//! aliased path before it answers: seconds on a large account where the full path
//! takes milliseconds (docs/benchmarks.md). Calling a function through an alias
//! (`lib.key(region, name)`) costs nothing extra. The shipped policies
//! never do it (tested); a team's policies get a warning naming the line.

/// One warning per place a rule (or a whole package) is read through an import alias.
pub fn alias_value_reads(source: &str) -> Vec<String> {
    let code = blank_comments_and_strings(source);
    let aliases = data_import_aliases(&code);
    let mut warnings = Vec::new();
    for (line_no, line) in code.lines().enumerate() {
        if line.trim_start().starts_with("import ") {
            continue;
        }
        for (alias, path) in &aliases {
            for (at, _) in line.match_indices(alias.as_str()) {
                let before = line[..at].chars().next_back();
                if before.is_some_and(|c| is_ident(c) || c == '.') {
                    continue;
                }
                let rest = &line[at + alias.len()..];
                // What is read after the alias: `.name` (not a call), or `[...]`.
                let tail = if let Some(field) = rest.strip_prefix('.') {
                    let name: String = field.chars().take_while(|&c| is_ident(c)).collect();
                    let after = field[name.len()..].trim_start();
                    (!name.is_empty() && !after.starts_with('(')).then(|| format!(".{name}"))
                } else {
                    rest.starts_with('[').then(|| "[...]".to_string())
                };
                if let Some(tail) = tail {
                    warnings.push(format!(
                        "line {}: `{alias}{tail}` reads through the import alias `{alias}`, so regorus first \
                         evaluates every rule under {path} (seconds on a large account): write `{path}{tail}`",
                        line_no + 1
                    ));
                }
            }
        }
    }
    warnings
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `import data.a.b` (alias `b`) and `import data.a.b as c` (alias `c`).
fn data_import_aliases(code: &str) -> Vec<(String, String)> {
    code.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["import", path] if path.starts_with("data.") => {
                    Some((path.rsplit('.').next().unwrap_or(path).to_string(), path.to_string()))
                }
                ["import", path, "as", alias] if path.starts_with("data.") => {
                    Some((alias.to_string(), path.to_string()))
                }
                _ => None,
            }
        })
        .collect()
}

/// The source with comments and string literals replaced by spaces (lines kept), so
/// that only code is searched.
fn blank_comments_and_strings(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                out.push(' ');
                while let Some(&next) = chars.peek() {
                    if next == '\n' {
                        break;
                    }
                    chars.next();
                }
            }
            '"' | '`' => {
                out.push(' ');
                while let Some(next) = chars.next() {
                    if next == '\n' {
                        out.push('\n');
                    }
                    if c == '"' && next == '\\' {
                        chars.next();
                    } else if next == c {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_read_through_an_alias_is_named_with_its_line() {
        let source = "package p\n\nimport rego.v1\nimport data.jalon.lib\nimport data.jalon.lib.alarms as alm\n\n\
                      n := count(lib.functions)\nk := alm.canonical_shapes[x]\nall := lib[\"functions\"]\n";
        let warnings = alias_value_reads(source);
        assert_eq!(warnings.len(), 3, "{warnings:#?}");
        assert!(warnings[0].starts_with("line 7: `lib.functions` reads through the import alias `lib`"));
        assert!(warnings[0].ends_with("write `data.jalon.lib.functions`"), "{}", warnings[0]);
        assert!(warnings[1].starts_with("line 8: `alm.canonical_shapes`"));
        assert!(warnings[2].starts_with("line 9: `lib[...]`"));
    }

    #[test]
    fn calls_full_paths_comments_and_strings_are_fine() {
        let source = "package p\n\nimport data.jalon.lib\n\n# lib.functions in a comment\n\
                      k := lib.key(\"a\", \"b\")\nf := data.jalon.lib.functions\nm := \"lib.functions\"\n\
                      r := `lib.functions`\nx := mylib.functions\ny := lib.str (input, \"name\")\n";
        assert_eq!(alias_value_reads(source), Vec::<String>::new());
    }

    #[test]
    fn the_shipped_policies_read_no_rule_through_an_alias() {
        let set = crate::engine::PolicySet::embedded().unwrap();
        for module in &set.modules {
            assert_eq!(alias_value_reads(&module.source), Vec::<String>::new(), "{}", module.name);
        }
    }
}
