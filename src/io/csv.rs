//! CSV written for spreadsheets: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is a formula to Excel, LibreOffice and WPS (CSV injection), so it goes out
//! with a `'` before it, as OWASP advises; numbers (`-3.5`) are left as they are. Every CSV
//! the registry writes goes through [`Writer`]; a CSV import takes the `'` off again
//! ([`restore`]), so that an export read back is the same.

use std::borrow::Cow;
use std::io::Write;

fn dangerous(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The cell as a spreadsheet reads it as text.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if dangerous(s) && s.trim().parse::<f64>().is_err() {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A cell as [`neutralise`] wrote it, back to what it was.
pub fn restore(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if dangerous(rest) && rest.trim().parse::<f64>().is_err() => rest,
        _ => s,
    }
}

/// `csv::Writer` whose every cell is [`neutralise`]d.
pub struct Writer<W: Write>(csv::Writer<W>);

impl<W: Write> Writer<W> {
    pub fn from_writer(w: W) -> Self {
        Writer(csv::Writer::from_writer(w))
    }

    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.0.write_record(
            record
                .into_iter()
                .map(|cell| neutralise(cell.as_ref()).into_owned()),
        )
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }

    pub fn into_inner(self) -> std::io::Result<W> {
        self.0.into_inner().map_err(|e| e.into_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_go_out_as_text_and_come_back() {
        for (cell, out) in [
            (
                "=HYPERLINK(\"http://x\",\"点此\")",
                "'=HYPERLINK(\"http://x\",\"点此\")",
            ),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-3.5", "-3.5"),
            ("+86", "+86"),
            ("建设街", "建设街"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), out, "{cell:?}");
            assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
        }
        // A name an officer wrote with a quote stays as written.
        assert_eq!(restore("'建设街"), "'建设街");
    }
}
