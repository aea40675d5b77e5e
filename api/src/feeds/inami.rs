//! INAMI/RIZIV's list of medical houses paid by capitation ("forfait"), as the CSV a
//! Belgian administration publishes: semicolon-separated, French header, CRLF line ends,
//! NIHII numbers written with dashes, dates dd/mm/yyyy.

use super::format::{iso_to_belgian, national_phone};
use super::model::Org;

const HEADER: &str = "Numéro INAMI;Nom;Rue;Numéro;Code postal;Commune;Téléphone;Date début forfait";

pub(super) fn render(orgs: &[&Org]) -> String {
    let mut rows: Vec<(String, String, Vec<String>)> = orgs
        .iter()
        .filter_map(|org| {
            let d = &org.demo;
            let nihii = d.nihii.as_deref()?;
            let site = d.sites.first()?;
            let commune = org.commune_of(&site.key);
            let (name, street, municipality) = match &d.name_fr {
                Some(fr) => (fr, &site.street_fr, commune.fr),
                None => (d.name_nl.as_ref()?, &site.street_nl, commune.nl),
            };
            let since = d
                .services
                .iter()
                .flat_map(|s| &s.accreditations)
                .find(|a| a.kind == "forfait")
                .map(|a| iso_to_belgian(&a.valid_from))
                .unwrap_or_default();
            let fields = vec![
                dashed_nihii(nihii),
                name.clone(),
                street.clone(),
                site.number.clone(),
                site.postcode.clone(),
                municipality.to_uppercase(),
                d.phones
                    .first()
                    .map(|p| national_phone(p, 0))
                    .unwrap_or_default(),
                since,
            ];
            Some((site.postcode.clone(), name.clone(), fields))
        })
        .collect();
    // The administration sorts by postcode, then name.
    rows.sort();
    let mut out = String::from(HEADER);
    out.push_str("\r\n");
    for (_, _, fields) in rows {
        let line: Vec<String> = fields.iter().map(|f| quoted(f)).collect();
        out.push_str(&line.join(";"));
        out.push_str("\r\n");
    }
    out
}

/// "85158322407" → "8-51583-22-407", the way INAMI prints institution numbers.
pub(super) fn dashed_nihii(nihii: &str) -> String {
    let d: Vec<char> = nihii.chars().collect();
    if d.len() != 11 {
        return nihii.to_owned();
    }
    let part = |a: usize, b: usize| -> String { d[a..b].iter().collect() };
    format!(
        "{}-{}-{}-{}",
        part(0, 1),
        part(1, 6),
        part(6, 8),
        part(8, 11)
    )
}

fn quoted(field: &str) -> String {
    if field.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}
