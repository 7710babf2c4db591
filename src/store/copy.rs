//! How PostgreSQL receives a commit's rows. A row is written once, field by field in column
//! order, through [`Fields`]: into [`CopyRows`], the binary `COPY` format, for a large commit
//! (the server then neither parses 11,000 parameters a statement nor text forms of dates, times
//! and geometries; a geometry goes as EWKB, which PostGIS's `geometry_recv` reads and checks
//! against the column's type and SRID), or into [`Params`], a multi-row `INSERT`'s parameters,
//! for a small one.
//!
//! The format (PostgreSQL documentation, "COPY", "Binary Format"): a signature and two zero
//! 32-bit words; each row a 16-bit field count, each field a 32-bit length (−1 for NULL) and
//! the type's binary form; a 16-bit −1 at the end. Every number is big-endian.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgArguments, PgTypeInfo};
use sqlx::types::JsonRawValue;
use sqlx::{Arguments, Postgres};
use uuid::Uuid;

/// A row's fields, in column order.
pub trait Fields {
    fn uuid(&mut self, id: Uuid);
    fn int4(&mut self, i: i32);
    fn bool(&mut self, b: bool);
    /// `text` (and `varchar`).
    fn text(&mut self, s: &str);
    fn null_text(&mut self);
    fn null_int4(&mut self);
    /// `bytea`, or a PostGIS geometry as EWKB.
    fn bytes(&mut self, b: &[u8]);
    /// `json`: the text as it is (the server checks its syntax, nothing more).
    fn json(&mut self, json: &JsonRawValue);
    fn opt_date(&mut self, d: Option<NaiveDate>);
    fn opt_timestamptz(&mut self, t: Option<DateTime<Utc>>);

    fn date(&mut self, d: NaiveDate) {
        self.opt_date(Some(d));
    }

    fn timestamptz(&mut self, t: DateTime<Utc>) {
        self.opt_timestamptz(Some(t));
    }
}

/// A multi-row `INSERT`'s parameters; the first value that fails to encode is kept and
/// returned by [`Params::finish`].
#[derive(Default)]
pub struct Params {
    args: PgArguments,
    error: Option<BoxDynError>,
}

impl Params {
    fn add<'t, T>(&mut self, value: T)
    where
        T: sqlx::Encode<'t, Postgres> + sqlx::Type<Postgres>,
    {
        if let Err(e) = self.args.add(value) {
            self.error.get_or_insert(e);
        }
    }

    pub fn finish(self) -> Result<PgArguments, sqlx::Error> {
        match self.error {
            Some(e) => Err(sqlx::Error::Encode(e)),
            None => Ok(self.args),
        }
    }
}

/// JSON text sent as a `json` parameter (sqlx's JSON types are `jsonb`, which the server would
/// parse and convert).
pub struct JsonText<'a>(pub &'a str);

impl sqlx::Type<Postgres> for JsonText<'_> {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_name("json")
    }
}

impl<'q> sqlx::Encode<'q, Postgres> for JsonText<'_> {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <&str as sqlx::Encode<'q, Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl Fields for Params {
    fn uuid(&mut self, id: Uuid) {
        self.add(id);
    }
    fn int4(&mut self, i: i32) {
        self.add(i);
    }
    fn bool(&mut self, b: bool) {
        self.add(b);
    }
    fn text(&mut self, s: &str) {
        self.add(s);
    }
    fn null_text(&mut self) {
        self.add(None::<&str>);
    }
    fn null_int4(&mut self) {
        self.add(None::<i32>);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.add(b);
    }
    fn json(&mut self, json: &JsonRawValue) {
        self.add(JsonText(json.get()));
    }
    fn opt_date(&mut self, d: Option<NaiveDate>) {
        self.add(d);
    }
    fn opt_timestamptz(&mut self, t: Option<DateTime<Utc>>) {
        self.add(t);
    }
}

/// Rows encoded for one `COPY`; [`CopyRows::take`] hands over what is ready so that a large
/// commit is sent in pieces while it is encoded.
pub struct CopyRows {
    buf: Vec<u8>,
}

/// Sent once this many bytes are ready.
pub const CHUNK: usize = 1 << 20;

/// 2000-01-01, PostgreSQL's epoch for dates and times.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date")
}

impl CopyRows {
    pub fn new() -> Self {
        let mut buf = Vec::with_capacity(CHUNK + 4096);
        buf.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        buf.extend_from_slice(&0i32.to_be_bytes()); // flags: no OIDs
        buf.extend_from_slice(&0i32.to_be_bytes()); // no header extension
        CopyRows { buf }
    }

    /// Starts a row of `fields` fields.
    pub fn row(&mut self, fields: usize) {
        let n = i16::try_from(fields).expect("fewer than 32,768 columns");
        self.buf.extend_from_slice(&n.to_be_bytes());
    }

    fn field(&mut self, bytes: &[u8]) {
        let len = i32::try_from(bytes.len()).expect("a field under 2 GiB");
        self.buf.extend_from_slice(&len.to_be_bytes());
        self.buf.extend_from_slice(bytes);
    }

    fn null(&mut self) {
        self.buf.extend_from_slice(&(-1i32).to_be_bytes());
    }

    /// Whether a piece is ready to send.
    pub fn full(&self) -> bool {
        self.buf.len() >= CHUNK
    }

    /// The bytes encoded so far, leaving the buffer empty.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK + 4096))
    }

    /// The last bytes, with the end marker.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.extend_from_slice(&(-1i16).to_be_bytes());
        self.buf
    }
}

impl Fields for CopyRows {
    fn uuid(&mut self, id: Uuid) {
        self.field(id.as_bytes());
    }

    fn int4(&mut self, i: i32) {
        self.field(&i.to_be_bytes());
    }

    fn bool(&mut self, b: bool) {
        self.field(&[u8::from(b)]);
    }

    /// The UTF-8 bytes.
    fn text(&mut self, s: &str) {
        self.field(s.as_bytes());
    }

    fn null_text(&mut self) {
        self.null();
    }

    fn null_int4(&mut self) {
        self.null();
    }

    fn bytes(&mut self, b: &[u8]) {
        self.field(b);
    }

    /// `json`'s binary form is its text.
    fn json(&mut self, json: &JsonRawValue) {
        self.field(json.get().as_bytes());
    }

    /// Days since 2000-01-01.
    fn opt_date(&mut self, d: Option<NaiveDate>) {
        match d {
            Some(d) => {
                let days = (d - epoch()).num_days();
                self.int4(i32::try_from(days).expect("a date PostgreSQL holds"));
            }
            None => self.null(),
        }
    }

    /// Microseconds since 2000-01-01 00:00 UTC.
    fn opt_timestamptz(&mut self, t: Option<DateTime<Utc>>) {
        match t {
            Some(t) => {
                let since = t - epoch().and_hms_opt(0, 0, 0).expect("midnight").and_utc();
                let micros = since.num_microseconds().expect("a time PostgreSQL holds");
                self.field(&micros.to_be_bytes());
            }
            None => self.null(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_laid_out_as_postgresql_reads_them() {
        let mut rows = CopyRows::new();
        rows.row(4);
        rows.int4(7);
        rows.null();
        rows.date(NaiveDate::from_ymd_opt(2000, 1, 2).unwrap());
        rows.json(&JsonRawValue::from_string("{}".into()).unwrap());
        let bytes = rows.finish();
        let mut expected = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0".to_vec();
        expected.extend_from_slice(&[0, 4]); // four fields
        expected.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 7]); // int4 7
        expected.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]); // NULL
        expected.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 1]); // one day after the epoch
        expected.extend_from_slice(&[0, 0, 0, 2, b'{', b'}']); // json: the text
        expected.extend_from_slice(&[0xff, 0xff]); // the end
        assert_eq!(bytes, expected);
    }

    #[test]
    fn times_count_microseconds_from_2000() {
        let mut rows = CopyRows::new();
        rows.take();
        let t = DateTime::parse_from_rfc3339("1999-12-31T23:59:59.999Z")
            .unwrap()
            .with_timezone(&Utc);
        rows.timestamptz(t);
        assert_eq!(
            rows.take(),
            [&8i32.to_be_bytes()[..], &(-1000i64).to_be_bytes()].concat()
        );
    }
}
