//! The snapshot's JSON layout: pretty-printed (two spaces, one field per line, so a
//! drift between two nights reads as a diff), except arrays of numbers, which stay on
//! one line. A metric series holds thousands of numbers: one per line would make a
//! month of 5-minute windows hundreds of thousands of lines.

use std::io::{self, Write};

use serde_json::ser::Formatter;

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// No element written yet: the first one decides.
    Undecided,
    /// Numbers (and nulls) on the array's line, `[1, 2, null]`.
    Inline,
    /// One element per line, as everything else.
    Block,
}

enum Frame {
    Object { empty: bool },
    Array { layout: Layout, empty: bool },
}

/// serde_json's pretty layout, but for arrays whose first element is a number or null.
#[derive(Default)]
pub struct SnapshotFormatter {
    stack: Vec<Frame>,
    /// An array element is starting (its separator is written once its kind is known).
    pending: bool,
}

impl SnapshotFormatter {
    fn newline<W: ?Sized + Write>(&self, w: &mut W, depth: usize) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    /// Before any value: the separator of a pending array element, now that its kind
    /// (a number or null, or anything else) is known.
    fn value<W: ?Sized + Write>(&mut self, w: &mut W, numeric: bool) -> io::Result<()> {
        if !std::mem::take(&mut self.pending) {
            return Ok(());
        }
        let depth = self.stack.len();
        let Some(Frame::Array { layout, empty }) = self.stack.last_mut() else { return Ok(()) };
        if *layout == Layout::Undecided {
            *layout = if numeric { Layout::Inline } else { Layout::Block };
        }
        let first = std::mem::replace(empty, false);
        match (*layout, first) {
            (Layout::Inline, true) => Ok(()),
            (Layout::Inline, false) => w.write_all(b", "),
            (_, true) => self.newline(w, depth),
            (_, false) => {
                w.write_all(b",")?;
                self.newline(w, depth)
            }
        }
    }
}

// Twelve number writers that differ only in their type: one macro rather than twelve
// copies of the same two lines.
macro_rules! number {
    ($($name:ident: $t:ty),*) => {
        $(fn $name<W: ?Sized + Write>(&mut self, w: &mut W, value: $t) -> io::Result<()> {
            self.value(w, true)?;
            serde_json::ser::CompactFormatter.$name(w, value)
        })*
    };
}

impl Formatter for SnapshotFormatter {
    number!(write_i8: i8, write_i16: i16, write_i32: i32, write_i64: i64, write_i128: i128,
        write_u8: u8, write_u16: u16, write_u32: u32, write_u64: u64, write_u128: u128,
        write_f32: f32, write_f64: f64);

    fn write_null<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value(w, true)?;
        w.write_all(b"null")
    }

    fn write_bool<W: ?Sized + Write>(&mut self, w: &mut W, value: bool) -> io::Result<()> {
        self.value(w, false)?;
        w.write_all(if value { b"true" } else { b"false" })
    }

    fn write_number_str<W: ?Sized + Write>(&mut self, w: &mut W, value: &str) -> io::Result<()> {
        self.value(w, true)?;
        w.write_all(value.as_bytes())
    }

    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value(w, false)?;
        w.write_all(b"\"")
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value(w, false)?;
        self.stack.push(Frame::Array { layout: Layout::Undecided, empty: true });
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if let Some(Frame::Array { layout: Layout::Block, empty: false }) = self.stack.pop() {
            self.newline(w, self.stack.len())?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, _w: &mut W, _first: bool) -> io::Result<()> {
        self.pending = true;
        Ok(())
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value(w, false)?;
        self.stack.push(Frame::Object { empty: true });
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        if let Some(Frame::Object { empty: false }) = self.stack.pop() {
            self.newline(w, self.stack.len())?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if let Some(Frame::Object { empty }) = self.stack.last_mut() {
            *empty = false;
        }
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w, self.stack.len())
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        Ok(())
    }
}

/// `value` in the snapshot's layout.
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    to_writer(&mut out, value).expect("a snapshot always serialises");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// `value` in the snapshot's layout, streamed (the JSON report uses it too: its SLO
/// charts are arrays of numbers).
pub fn to_writer<W: Write, T: serde::Serialize + ?Sized>(out: W, value: &T) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(out, SnapshotFormatter::default());
    value.serialize(&mut ser)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn number_arrays_stay_on_one_line_and_the_rest_is_serde_json_s_pretty_layout() {
        let value = json!({
            "series": {"at": [0, 1, 7], "p95_ms": [210.5, null, 3.0], "empty": []},
            "names": ["a", "b"],
            "nested": [{"x": 1}, {}],
            "text": "with \"quotes\"\n",
            "flag": true,
            "none": null,
            "object": {},
        });
        let text = to_string(&value);
        let mut without_numbers = value.clone();
        without_numbers["series"] = json!({});
        assert!(text.contains("\"at\": [0, 1, 7]"), "{text}");
        assert!(text.contains("\"p95_ms\": [210.5, null, 3.0]"), "{text}");
        assert!(text.contains("\"empty\": []"), "{text}");
        // Everything else is laid out exactly as serde_json's pretty printer does.
        assert_eq!(to_string(&without_numbers), serde_json::to_string_pretty(&without_numbers).unwrap());
        // And it reads back to the same value.
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), value);
    }
}
