//! Just enough RFC 4180 to read the embedded reference tables: quoted fields with doubled
//! quotes and embedded separators or newlines, CRLF or LF line ends, a UTF-8 BOM. The
//! files are edited by hand in spreadsheets, which is where all of these come from.

use super::GeoError;

pub(crate) struct Table {
    file: &'static str,
    header: Vec<String>,
    records: Vec<Record>,
}

struct Record {
    /// 1-based line where the record starts, for error messages.
    line: usize,
    fields: Vec<String>,
}

pub(crate) struct Row<'a> {
    table: &'a Table,
    record: &'a Record,
}

impl Table {
    pub(crate) fn parse(file: &'static str, text: &str) -> Result<Table, GeoError> {
        let mut records = parse_records(file, text.strip_prefix('\u{feff}').unwrap_or(text))?;
        if records.is_empty() {
            return Err(GeoError::Data {
                file,
                message: "no header line".to_owned(),
            });
        }
        let header = records
            .remove(0)
            .fields
            .into_iter()
            .map(|name| name.trim().to_owned())
            .collect();
        Ok(Table {
            file,
            header,
            records,
        })
    }

    pub(crate) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.records.iter().map(|record| Row {
            table: self,
            record,
        })
    }
}

impl Row<'_> {
    /// The trimmed value of column `name`; a short row reads as empty trailing fields, as
    /// spreadsheets write them.
    pub(crate) fn get(&self, name: &str) -> Result<&str, GeoError> {
        let column = self
            .table
            .header
            .iter()
            .position(|column| column == name)
            .ok_or_else(|| self.error(&format!("no column {name:?}")))?;
        Ok(self
            .record
            .fields
            .get(column)
            .map_or("", |field| field.trim()))
    }

    pub(crate) fn error(&self, message: &str) -> GeoError {
        GeoError::Data {
            file: self.table.file,
            message: format!("line {}: {message}", self.record.line),
        }
    }
}

fn parse_records(file: &'static str, text: &str) -> Result<Vec<Record>, GeoError> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut record_line = 1;
    let mut quote_line = 0;
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();

    while let Some(c) = chars.next() {
        if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
            line += 1;
        }
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            // Quotes only open a field at its start; elsewhere they are literal, which is
            // what spreadsheets make of them too.
            '"' if field.is_empty() => {
                in_quotes = true;
                quote_line = line;
            }
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                fields.push(std::mem::take(&mut field));
                push_record(&mut records, record_line, std::mem::take(&mut fields));
                record_line = line;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(GeoError::Data {
            file,
            message: format!("line {quote_line}: unterminated quoted field"),
        });
    }
    fields.push(field);
    push_record(&mut records, record_line, fields);
    Ok(records)
}

/// Blank lines (a trailing newline, an empty line a spreadsheet left) are not records.
fn push_record(records: &mut Vec<Record>, line: usize, fields: Vec<String>) {
    let blank = fields.len() == 1 && fields.iter().all(|field| field.trim().is_empty());
    if !blank {
        records.push(Record { line, fields });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(table: &Table, name: &str) -> Vec<String> {
        table
            .rows()
            .map(|row| row.get(name).expect("column exists").to_owned())
            .collect()
    }

    #[test]
    fn reads_crlf_quotes_and_embedded_separators() {
        let text = "\u{feff}key,name\r\n1,plain\r\n2,\"a, b\"\r\n3,\"say \"\"hi\"\"\"\r\n\r\n4,\"two\r\nlines\"\r\n";

        let table = Table::parse("test.csv", text).expect("valid csv");

        assert_eq!(column(&table, "key"), ["1", "2", "3", "4"]);
        assert_eq!(
            column(&table, "name"),
            ["plain", "a, b", "say \"hi\"", "two\r\nlines"]
        );
    }

    #[test]
    fn reads_lf_files_without_final_newline_and_short_rows() {
        let table = Table::parse("test.csv", "a,b,c\n1,2\n4,5,6").expect("valid csv");

        assert_eq!(column(&table, "c"), ["", "6"]);
    }

    #[test]
    fn reports_unknown_columns_and_unterminated_quotes_with_their_line() {
        let table = Table::parse("test.csv", "a\n1\n").expect("valid csv");
        let row = table.rows().next().expect("one row");
        assert_eq!(
            row.get("b").map_err(|e| e.to_string()),
            Err("embedded data file test.csv: line 2: no column \"b\"".to_owned())
        );

        let error = Table::parse("test.csv", "a\n1\n\"open\n").err();

        assert_eq!(
            error.map(|e| e.to_string()),
            Some("embedded data file test.csv: line 3: unterminated quoted field".to_owned())
        );
    }
}
