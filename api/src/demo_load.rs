//! Loads the bundled demo dataset (`demo::generate`) through the write path.
//!
//! The dataset is marked as demo data everywhere: `Organisation.isDemo`, the `demo`
//! source in provenance, and a "[démo]" / "[demo]" suffix on organisation names.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entities::{organisation, territory};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use crate::{
    auth::Group,
    demo,
    domain::{AccreditationKind, Fee, Kbo, LanguageCode, Nihii, ServiceStatus},
    geo::{Level, MultiPolygon, Point},
    reference::Reference,
    store::{
        self, AccreditationInput, AnnotationInput, ContactInput, ContactKind, LocationInput,
        Opening, OrganisationInput, Origin, ServiceInput, SiteInput, StoreError,
    },
};

pub const DEMO_SOURCE: &str = "demo";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo record {key}: {message}")]
    Invalid { key: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
}

/// Loads the demo dataset unless demo organisations are already there; returns the
/// number of services loaded.
pub async fn load_if_absent(
    db: &DatabaseConnection,
    reference: &Reference,
) -> Result<usize, DemoError> {
    let present = organisation::Entity::find()
        .filter(organisation::Column::IsDemo.eq(true))
        .count(db)
        .await?;
    if present > 0 {
        return Ok(0);
    }
    let sampler = Sampler::load(db, reference).await?;
    let inputs = demo_inputs(&sampler)?;
    let retrieved_at = Utc::now();
    let txn = db.begin().await?;
    let mut services = 0;
    for (key, input) in &inputs {
        let origin = Origin {
            source: DEMO_SOURCE.to_owned(),
            source_kind: DEMO_SOURCE.to_owned(),
            upstream_id: key.clone(),
            retrieved_at,
        };
        let inserted = store::insert_organisation_in(&txn, reference, input, &origin).await?;
        for (service_id, service) in inserted.service_ids.iter().zip(&input.services) {
            for annotation in demo_annotations(reference, input, service, *service_id, services) {
                store::insert_annotation(&txn, &annotation).await?;
            }
            services += 1;
        }
    }
    txn.commit().await?;
    Ok(services)
}

/// Picks demo points inside the residential quartiers of a commune, from the real
/// geometries (cemeteries, parks and industrial zones are left out).
struct Sampler<'a> {
    reference: &'a Reference,
    quartiers: HashMap<String, Vec<MultiPolygon>>,
}

impl<'a> Sampler<'a> {
    async fn load(
        db: &DatabaseConnection,
        reference: &'a Reference,
    ) -> Result<Sampler<'a>, DemoError> {
        let rows: Vec<(i32, Option<String>, Option<String>)> = territory::Entity::find()
            .select_only()
            .column(territory::Column::Id)
            .column(territory::Column::Geometry)
            .column(territory::Column::Extra)
            .filter(territory::Column::Level.eq(Level::Quartier.as_str()))
            .order_by_asc(territory::Column::Code)
            .into_tuple()
            .all(db)
            .await?;
        let mut quartiers: HashMap<String, Vec<MultiPolygon>> = HashMap::new();
        for (id, geometry, extra) in rows {
            let (Some(territory), Some(geometry)) = (reference.territory(id), geometry) else {
                continue;
            };
            let residential = extra
                .and_then(|e| serde_json::from_str::<serde_json::Value>(&e).ok())
                .is_some_and(|e| e["kind"] == "residential");
            if !residential {
                continue;
            }
            let value: serde_json::Value =
                serde_json::from_str(&geometry).map_err(|e| invalid(&territory.code, e))?;
            let polygon =
                MultiPolygon::from_geojson(&value).map_err(|e| invalid(&territory.code, e))?;
            for parent in &territory.parent_ids {
                if let Some(commune) = reference
                    .territory(*parent)
                    .filter(|t| t.level == Level::Commune)
                {
                    quartiers
                        .entry(commune.code.clone())
                        .or_default()
                        .push(polygon.clone());
                }
            }
        }
        Ok(Sampler {
            reference,
            quartiers,
        })
    }

    fn in_commune(&self, point: Point, code: &str) -> bool {
        self.reference
            .resolve_point(point)
            .iter()
            .any(|t| t.code == code)
    }

    /// A point inside commune `nis`, deterministic for a given `seed`.
    fn place(&self, nis: &str, seed: u64) -> (f64, f64) {
        let code = format!("commune:{nis}");
        let polygons = self
            .quartiers
            .get(&code)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut state = seed;
        let mut next = move || {
            // SplitMix64: enough randomness to spread demo sites over a commune.
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let mut unit = move || (next() >> 11) as f64 / (1u64 << 53) as f64;
        if !polygons.is_empty() {
            for _ in 0..32 {
                let polygon =
                    &polygons[((unit() * polygons.len() as f64) as usize).min(polygons.len() - 1)];
                let bbox = polygon.bbox();
                for _ in 0..16 {
                    let point = Point {
                        lat: bbox.min_lat + unit() * (bbox.max_lat - bbox.min_lat),
                        lon: bbox.min_lon + unit() * (bbox.max_lon - bbox.min_lon),
                    };
                    if polygon.contains(point) && self.in_commune(point, &code) {
                        return (point.lat, point.lon);
                    }
                }
            }
            if let Some(point) = polygons
                .iter()
                .map(MultiPolygon::representative_point)
                .find(|p| self.in_commune(*p, &code))
            {
                return (point.lat, point.lon);
            }
        }
        // Grand-Place: only reached if the bundled territories lacked this commune.
        (50.8467, 4.3525)
    }
}

/// A few annotations of every kind and group, so each role sees a realistic working
/// space: BruZEL verifications and notes (in Dutch), basin helpdesk tips and notes (in
/// French) on services of their own bassin, some shared and some private.
fn demo_annotations(
    reference: &Reference,
    organisation: &OrganisationInput,
    service: &ServiceInput,
    service_id: i32,
    nth: usize,
) -> Vec<AnnotationInput> {
    let bassin = service
        .locations
        .iter()
        .filter_map(|l| organisation.sites.iter().find(|s| s.key == l.site_key))
        .filter_map(|s| s.point)
        .flat_map(|p| reference.resolve_point(p))
        .find_map(|t| t.code.strip_prefix("bassin:").map(str::to_owned));
    let mut out = Vec::new();
    let mut add = |group: Group, shared: bool, kind: &'static str, body: &str| {
        out.push(AnnotationInput {
            service_id,
            group,
            shared,
            kind,
            body: body.to_owned(),
            author: "demo".to_owned(),
        });
    };
    if nth.is_multiple_of(5) {
        add(
            Group::Zone,
            true,
            "verification",
            "Gegevens nagekeken door BruZEL: adres en openingsuren kloppen.",
        );
    }
    if nth.is_multiple_of(7) {
        add(
            Group::Zone,
            false,
            "note",
            "Interne opvolging BruZEL: wachtlijst van ongeveer drie weken.",
        );
    }
    if let Some(bassin) = bassin {
        if nth.is_multiple_of(4) {
            add(
                Group::Basin(bassin.clone()),
                true,
                "helpdesk_tip",
                "Astuce helpdesk : appeler le matin, l'accueil est plus disponible.",
            );
        }
        if nth.is_multiple_of(6) {
            add(
                Group::Basin(bassin),
                false,
                "note",
                "Note interne du bassin : partenaire du réseau local, concertation trimestrielle.",
            );
        }
    }
    out
}

fn invalid(key: &str, message: impl std::fmt::Display) -> DemoError {
    DemoError::Invalid {
        key: key.to_owned(),
        message: message.to_string(),
    }
}

fn date(key: &str, text: &str) -> Result<NaiveDate, DemoError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| invalid(key, e))
}

fn languages(key: &str, codes: &[String]) -> Result<Vec<LanguageCode>, DemoError> {
    codes
        .iter()
        .map(|c| LanguageCode::parse(c).map_err(|e| invalid(key, e)))
        .collect()
}

fn demo_inputs(sampler: &Sampler<'_>) -> Result<Vec<(String, OrganisationInput)>, DemoError> {
    let organisations = demo::generate(&|nis, seed| sampler.place(nis, seed));
    organisations
        .into_iter()
        .enumerate()
        .map(|(index, org)| {
            let key = org.key.clone();
            let sites = org
                .sites
                .iter()
                .map(|s| {
                    Ok(SiteInput {
                        key: s.key.clone(),
                        street_fr: Some(s.street_fr.clone()),
                        street_nl: Some(s.street_nl.clone()),
                        house_number: Some(s.number.clone()),
                        postcode: Some(s.postcode.clone()),
                        municipality_fr: Some(s.municipality_fr.clone()),
                        municipality_nl: Some(s.municipality_nl.clone()),
                        point: Some(Point::new(s.lat, s.lon).map_err(|e| invalid(&s.key, e))?),
                    })
                })
                .collect::<Result<Vec<_>, DemoError>>()?;
            let services = org
                .services
                .iter()
                .map(|s| {
                    Ok(ServiceInput {
                        upstream_id: s.key.clone(),
                        name_fr: s.name_fr.clone(),
                        name_nl: s.name_nl.clone(),
                        name_en: s.name_en.clone(),
                        description_fr: s.description_fr.clone(),
                        description_nl: s.description_nl.clone(),
                        description_en: s.description_en.clone(),
                        target_public_fr: s.target_public_fr.clone(),
                        target_public_nl: s.target_public_nl.clone(),
                        target_public_en: None,
                        categories: s.categories.clone(),
                        languages: languages(&s.key, &s.languages)?,
                        fee: Fee::parse(&s.fee).map_err(|e| invalid(&s.key, e))?,
                        referral_required: s.referral_required,
                        status: ServiceStatus::parse(&s.status).map_err(|e| invalid(&s.key, e))?,
                        published: s.published,
                        locations: s
                            .site_keys
                            .iter()
                            .map(|site_key| LocationInput {
                                site_key: site_key.clone(),
                                schedule: s
                                    .schedule
                                    .iter()
                                    .map(|o| Opening {
                                        weekday: o.weekday,
                                        opens: o.opens.clone(),
                                        closes: o.closes.clone(),
                                    })
                                    .collect(),
                                schedule_remark_fr: s.schedule_remark_fr.clone(),
                                schedule_remark_nl: s.schedule_remark_nl.clone(),
                                wheelchair_accessible: s.wheelchair_accessible,
                                accessibility_note_fr: s.accessibility_note_fr.clone(),
                                accessibility_note_nl: s.accessibility_note_nl.clone(),
                            })
                            .collect(),
                        accreditations: s
                            .accreditations
                            .iter()
                            .map(|a| {
                                Ok(AccreditationInput {
                                    authority: a.authority.clone(),
                                    kind: AccreditationKind::parse(&a.kind)
                                        .map_err(|e| invalid(&s.key, e))?,
                                    legal_basis: Some(a.legal_basis.clone()),
                                    valid_from: Some(date(&s.key, &a.valid_from)?),
                                    valid_to: a
                                        .valid_to
                                        .as_deref()
                                        .map(|d| date(&s.key, d))
                                        .transpose()?,
                                })
                            })
                            .collect::<Result<Vec<_>, DemoError>>()?,
                        contacts: Vec::new(),
                    })
                })
                .collect::<Result<Vec<_>, DemoError>>()?;
            let mut contacts: Vec<ContactInput> = org
                .phones
                .iter()
                .map(|p| ContactInput {
                    kind: ContactKind::Phone,
                    value: p.clone(),
                    language: None,
                    internal: false,
                })
                .collect();
            contacts.extend(org.emails.iter().map(|e| ContactInput {
                kind: ContactKind::Email,
                value: e.clone(),
                language: None,
                internal: false,
            }));
            // A direct line for professionals, never shown to the public.
            if let Some(first) = org.phones.first().filter(|_| index.is_multiple_of(2)) {
                let mut direct = first.clone();
                direct.pop();
                direct.push('9');
                contacts.push(ContactInput {
                    kind: ContactKind::Phone,
                    value: direct,
                    language: None,
                    internal: true,
                });
            }
            let input = OrganisationInput {
                name_fr: org.name_fr.as_ref().map(|n| format!("{n} [démo]")),
                name_nl: org.name_nl.as_ref().map(|n| format!("{n} [demo]")),
                legal_status_fr: Some(org.legal_status_fr.clone()),
                legal_status_nl: Some(org.legal_status_nl.clone()),
                website: org.website.clone(),
                kbo: org
                    .kbo
                    .as_deref()
                    .map(|k| Kbo::parse(k).map_err(|e| invalid(&key, e)))
                    .transpose()?,
                nihii: org
                    .nihii
                    .as_deref()
                    .map(|n| Nihii::parse(n).map_err(|e| invalid(&key, e)))
                    .transpose()?,
                is_demo: true,
                contacts,
                sites,
                services,
            };
            Ok((key, input))
        })
        .collect()
}
