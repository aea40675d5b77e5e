//! Loads the bundled demo dataset through the same connectors as real data: the demo
//! organisations (`demo::generate`) are rendered as the four upstream feeds
//! (`feeds::generate`), written as `file://` snapshots and synchronised like any source.
//!
//! The dataset is marked as demo data everywhere: `Organisation.isDemo`, `demo-…`
//! sources in provenance, and a "[démo]" / "[demo]" suffix on organisation names.

use std::collections::HashMap;

use entities::{
    contact_point, organisation, service, service_at_site, site_territory, source, source_record,
    territory,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, TransactionTrait,
};

use crate::{
    auth::Group,
    config::{Config, SourceConfig, SourceKind, SyncConfig},
    feeds::{self, FeedOptions, Feeds},
    geo::{Level, MultiPolygon, Point},
    reference::Reference,
    store::{self, AnnotationInput, StoreError},
    sync,
};

/// Fixed, so the demo map is the same on every machine.
const DEMO_SEED: u64 = 2026;

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
    config: &Config,
) -> Result<usize, DemoError> {
    let present = organisation::Entity::find()
        .filter(organisation::Column::IsDemo.eq(true))
        .count(db)
        .await?;
    if present > 0 {
        return Ok(0);
    }
    let sampler = Sampler::load(db, reference).await?;
    let feeds = feeds::generate(
        &FeedOptions {
            organisations: None,
            seed: DEMO_SEED,
        },
        &|nis, seed| sampler.place(nis, seed),
    );
    let dir = std::env::temp_dir().join(format!("passerelle-demo-{}", std::process::id()));
    let written = write_feeds(&dir, &feeds).await;
    let loaded = match written {
        Ok(sources) => sync_demo(db, reference, config, sources).await,
        Err(error) => Err(error),
    };
    let _ = tokio::fs::remove_dir_all(&dir).await;
    loaded
}

/// The demo feeds as `file://` snapshots, and the sources that read them.
async fn write_feeds(dir: &std::path::Path, feeds: &Feeds) -> Result<Vec<SourceConfig>, DemoError> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| invalid("demo feeds", e))?;
    let files = [
        (
            "demo-social-brussels",
            SourceKind::SocialBrussels,
            "social-brussels.json",
            serde_json::Value::from(feeds.social_brussels.clone()).to_string(),
        ),
        (
            "demo-sociale-kaart",
            SourceKind::SocialeKaart,
            "sociale-kaart.json",
            serde_json::Value::from(feeds.sociale_kaart.clone()).to_string(),
        ),
        (
            "demo-hsds",
            SourceKind::Hsds,
            "hsds.json",
            serde_json::Value::from(feeds.hsds_services.clone()).to_string(),
        ),
        (
            "demo-inami",
            SourceKind::Csv,
            "inami.csv",
            feeds.inami_csv.clone(),
        ),
    ];
    let mut sources = Vec::new();
    for (name, kind, file, content) in files {
        let path = dir.join(file);
        tokio::fs::write(&path, content)
            .await
            .map_err(|e| invalid(name, e))?;
        sources.push(SourceConfig {
            name: name.to_owned(),
            kind,
            base_url: format!("file://{}", path.display()),
            auth_header: None,
            schedule_minutes: 0,
            page_size: 100,
            timeout_seconds: 20,
            retries: 0,
            max_requests_per_second: 1000.0,
            authority: (kind == SourceKind::Csv).then(|| "federal".to_owned()),
            csv: (kind == SourceKind::Csv).then(feeds::inami_mapping),
            language: None,
        });
    }
    Ok(sources)
}

async fn sync_demo(
    db: &DatabaseConnection,
    reference: &Reference,
    config: &Config,
    sources: Vec<SourceConfig>,
) -> Result<usize, DemoError> {
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    let demo = Config {
        sources,
        sync: SyncConfig::default(),
        ..config.clone()
    };
    for name in &names {
        let summary = sync::run(db, reference, &demo, name, true, &|_, _| {})
            .await
            .map_err(|e| invalid(name, e))?;
        tracing::debug!(source = %name, created = summary.created, rejected = summary.rejected.len(), "demo source loaded");
    }
    mark_demo(db, reference, &names).await
}

/// Flags what the demo sources created, adds a professional line to every other
/// organisation and annotations of every group, as the demo's working space.
async fn mark_demo(
    db: &DatabaseConnection,
    reference: &Reference,
    names: &[String],
) -> Result<usize, DemoError> {
    let source_ids: Vec<i32> = source::Entity::find()
        .filter(source::Column::Name.is_in(names.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let mut organisation_ids: Vec<i32> = source_record::Entity::find()
        .filter(source_record::Column::SourceId.is_in(source_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.organisation_id)
        .collect();
    organisation_ids.sort_unstable();
    organisation_ids.dedup();
    let txn = db.begin().await?;
    let organisations = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(organisation_ids.iter().copied()))
        .order_by_asc(organisation::Column::Id)
        .all(&txn)
        .await?;
    for (index, org) in organisations.iter().enumerate() {
        let name_fr = org.name_fr.as_ref().map(|n| format!("{n} [démo]"));
        let name_nl = org.name_nl.as_ref().map(|n| format!("{n} [demo]"));
        organisation::ActiveModel {
            id: Set(org.id),
            is_demo: Set(true),
            search_text: Set(store::organisation_search_text(&name_fr, &name_nl)),
            name_fr: Set(name_fr),
            name_nl: Set(name_nl),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        if index.is_multiple_of(2) {
            contact_point::ActiveModel {
                organisation_id: Set(Some(org.id)),
                service_id: Set(None),
                kind: Set("phone".to_owned()),
                value: Set(format!("+3222{:06}", 100_000 + org.id)),
                language: Set(None),
                internal: Set(true),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    let services = service::Entity::find()
        .filter(service::Column::OrganisationId.is_in(organisation_ids.iter().copied()))
        .order_by_asc(service::Column::Id)
        .all(&txn)
        .await?;
    for (nth, service) in services.iter().enumerate() {
        let bassin = site_territory::Entity::find()
            .filter(
                site_territory::Column::SiteId.in_subquery(
                    service_at_site::Entity::find()
                        .select_only()
                        .column(service_at_site::Column::SiteId)
                        .filter(service_at_site::Column::ServiceId.eq(service.id))
                        .into_query(),
                ),
            )
            .all(&txn)
            .await?
            .into_iter()
            .filter_map(|st| reference.territory(st.territory_id))
            .find_map(|t| t.code.strip_prefix("bassin:").map(str::to_owned));
        for annotation in demo_annotations(service.id, bassin, nth) {
            store::insert_annotation(&txn, &annotation).await?;
        }
    }
    txn.commit().await?;
    Ok(services.len())
}

/// Picks demo points inside the residential quartiers of a commune, from the real
/// geometries (cemeteries, parks and industrial zones are left out).
pub struct Sampler<'a> {
    reference: &'a Reference,
    quartiers: HashMap<String, Vec<MultiPolygon>>,
}

impl<'a> Sampler<'a> {
    pub async fn load(
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
    pub fn place(&self, nis: &str, seed: u64) -> (f64, f64) {
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
fn demo_annotations(service_id: i32, bassin: Option<String>, nth: usize) -> Vec<AnnotationInput> {
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
