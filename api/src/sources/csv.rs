//! Tabular snapshots (a federal list, a commune's list of its services): one CSV
//! document, fetched whole, with a declared column mapping (`[sources.csv]`). Each row
//! is one organisation offering one service.

use std::collections::BTreeMap;

use super::{
    fetch::{FetchError, Fetcher},
    record::{
        Code, Fetched, RawAccreditation, RawContact, RawContactKind, RawService, RawSite, Record,
    },
};
use crate::config::{CsvMapping, SourceConfig};

/// How INAMI/RIZIV's list of medical houses paid by capitation is read: semicolon
/// separated, French column names (the bundled demo, the tests and the benchmark read it
/// this way; `docs/sources.md` shows it as configuration).
pub fn inami_mapping() -> CsvMapping {
    CsvMapping {
        delimiter: ';',
        columns: [
            ("nihii", "Numéro INAMI"),
            ("name", "Nom"),
            ("street", "Rue"),
            ("house_number", "Numéro"),
            ("postcode", "Code postal"),
            ("municipality", "Commune"),
            ("phone", "Téléphone"),
            ("valid_from", "Date début forfait"),
        ]
        .into_iter()
        .map(|(field, column)| (field.to_owned(), column.to_owned()))
        .collect(),
        category: Some("medical_house.forfait".to_owned()),
        accreditation_kind: Some("forfait".to_owned()),
    }
}

pub async fn fetch(
    fetcher: &Fetcher,
    source: &SourceConfig,
    progress: &(dyn Fn(usize, Option<usize>) + Sync),
) -> Result<Fetched, FetchError> {
    let text = if fetcher.is_file() {
        fetcher.read_file().await?
    } else {
        fetcher.get_text("").await?
    };
    let Some(mapping) = &source.csv else {
        return Err(FetchError::Config(
            "a csv source needs a [sources.csv] mapping".to_owned(),
        ));
    };
    let records = parse(&text, mapping, source).map_err(|message| FetchError::Malformed {
        url: source.base_url.clone(),
        message,
    })?;
    progress(records.len(), Some(records.len()));
    Ok(Fetched {
        records,
        complete: true,
        listed: None,
        notes: Vec::new(),
    })
}

fn parse(text: &str, mapping: &CsvMapping, source: &SourceConfig) -> Result<Vec<Record>, String> {
    let delimiter =
        u8::try_from(mapping.delimiter).map_err(|_| "the delimiter must be ASCII".to_owned())?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let mut columns: BTreeMap<&str, usize> = BTreeMap::new();
    // A header as written, else one that differs only in case, accents, spacing or
    // underscores ("NUMERO_INAMI " for "Numéro INAMI"): exports change them.
    let loose = |h: &str| crate::domain::normalize_for_search(&h.replace('_', " "));
    for (field, header) in &mapping.columns {
        let index = headers
            .iter()
            .position(|h| h == header)
            .or_else(|| headers.iter().position(|h| loose(h) == loose(header)))
            .ok_or_else(|| format!("column {header:?} (for {field}) is not in the header"))?;
        columns.insert(field.as_str(), index);
    }
    let language = source.language.as_deref().unwrap_or("fr");
    let mut records = Vec::new();
    for (row_number, row) in reader.records().enumerate() {
        let row = row.map_err(|e| format!("row {}: {e}", row_number + 2))?;
        let get = |field: &str| {
            columns
                .get(field)
                .and_then(|i| row.get(*i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let in_language = |fr: &str, nl: &str, generic: &str| -> (Option<String>, Option<String>) {
            let generic = get(generic);
            match language {
                "nl" => (get(fr), get(nl).or(generic)),
                _ => (get(fr).or(generic), get(nl)),
            }
        };
        let (name_fr, name_nl) = in_language("name_fr", "name_nl", "name");
        let (street_fr, street_nl) = in_language("street_fr", "street_nl", "street");
        let (municipality_fr, municipality_nl) =
            in_language("municipality_fr", "municipality_nl", "municipality");
        let upstream_id = get("id")
            .or_else(|| get("nihii"))
            .or_else(|| get("kbo"))
            .unwrap_or_else(|| format!("row-{}", row_number + 2));
        let mut contacts = Vec::new();
        for (field, kind) in [
            ("phone", RawContactKind::Phone),
            ("email", RawContactKind::Email),
        ] {
            if let Some(value) = get(field) {
                contacts.push(RawContact {
                    kind,
                    value,
                    language: None,
                });
            }
        }
        let parse_f64 =
            |field: &str| get(field).and_then(|v| v.replace(',', ".").parse::<f64>().ok());
        let mut codes = Vec::new();
        if let Some(category) = get("category") {
            codes.push(Code {
                scheme: format!("csv.{}", source.name),
                code: category.clone(),
                label: Some(category),
                label_nl: None,
            });
        } else if let Some(category) = &mapping.category {
            codes.push(Code {
                scheme: "csv.passerelle".to_owned(),
                code: category.clone(),
                label: None,
                label_nl: None,
            });
        }
        let accreditations = mapping
            .accreditation_kind
            .as_ref()
            .map(|kind| RawAccreditation {
                authority: get("authority"),
                kind: Some(kind.clone()),
                valid_from: get("valid_from"),
                valid_to: get("valid_to"),
                ..RawAccreditation::default()
            })
            .into_iter()
            .collect();
        records.push(Record {
            upstream_id: upstream_id.clone(),
            name_fr: name_fr.clone(),
            name_nl: name_nl.clone(),
            websites: get("website").into_iter().collect(),
            kbo: get("kbo").into_iter().collect(),
            nihii: get("nihii").into_iter().collect(),
            contacts,
            sites: vec![RawSite {
                key: "main".to_owned(),
                street_fr,
                street_nl,
                house_number: get("house_number"),
                postcode: get("postcode"),
                municipality_fr,
                municipality_nl,
                lat: parse_f64("lat"),
                lon: parse_f64("lon"),
                lambert72: None,
            }],
            services: vec![RawService {
                upstream_id,
                codes,
                accreditations,
                languages: get("languages")
                    .map(|l| {
                        l.split([',', ' ', '/'])
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
                ..RawService::default()
            }],
            raw: serde_json::Value::Object(
                headers
                    .iter()
                    .zip(row.iter())
                    .map(|(h, v)| (h.to_owned(), serde_json::Value::from(v)))
                    .collect(),
            ),
            ..Record::default()
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SourceKind;

    fn source() -> SourceConfig {
        SourceConfig {
            authority: Some("federal".to_owned()),
            csv: Some(inami_mapping()),
            ..SourceConfig::new("inami", SourceKind::Csv, "file:///dev/null")
        }
    }

    #[test]
    fn headers_are_found_whatever_their_case_accents_or_underscores() {
        let text = "NUMERO_INAMI ; nom ;RUE;Numéro;code postal;COMMUNE;Téléphone;date début forfait\n\
                    81234567890;Maison médicale Le Noyer;Avenue Rogier;12;1030;Schaerbeek;02/241.00.00;01/04/2015\n";
        let mapping = inami_mapping();
        let records = parse(text, &mapping, &source()).expect("the loose headers are found");
        assert_eq!(
            records[0].name_fr.as_deref(),
            Some("Maison médicale Le Noyer")
        );
        assert_eq!(records[0].nihii, vec!["81234567890"]);
    }

    #[test]
    fn rows_become_organisations_with_a_forfait_service() {
        let text = "Numéro INAMI;Nom;Rue;Numéro;Code postal;Commune;Téléphone;Date début forfait\n\
                    81234567890;Maison médicale Le Noyer;Rue du Noyer;12;1030;Schaerbeek;02/241.00.00;01/04/2015\n";
        let source = source();
        let records = parse(text, source.csv.as_ref().expect("mapping"), &source).expect("parses");
        assert_eq!(records.len(), 1);
        let record = &records[0];
        assert_eq!(record.upstream_id, "81234567890");
        assert_eq!(record.name_fr.as_deref(), Some("Maison médicale Le Noyer"));
        assert_eq!(record.services[0].codes[0].code, "medical_house.forfait");
        assert_eq!(
            record.services[0].accreditations[0].valid_from.as_deref(),
            Some("01/04/2015")
        );
    }

    #[test]
    fn a_missing_column_is_reported() {
        let source = source();
        let error = parse(
            "Nom;Rue\nX;Y\n",
            source.csv.as_ref().expect("mapping"),
            &source,
        )
        .expect_err("the INAMI number column is missing");
        assert!(error.contains("is not in the header"), "{error}");
    }
}
