use chrono::Utc;
use entities::{
    accreditation, organisation, organisation_identifier, service, service_at_site, site,
};

use super::*;

pub(crate) fn site(
    id: i32,
    organisation: i32,
    lat: f64,
    lon: f64,
    territories: Vec<i32>,
) -> (site::Model, Vec<i32>) {
    (
        site::Model {
            id,
            organisation_id: organisation,
            street_fr: None,
            street_nl: None,
            house_number: None,
            postcode: None,
            municipality_fr: None,
            municipality_nl: None,
            lat: Some(lat),
            lon: Some(lon),
            version: 1,
            external_id: None,
            pinned: String::new(),
        },
        territories,
    )
}

pub(crate) fn service(
    id: i32,
    organisation: i32,
    text: &str,
    category: i32,
    authority: i32,
    sites: &[i32],
) -> ServiceEntry {
    let now = Utc::now();
    ServiceEntry {
        merged: Vec::new(),
        conflicts: Vec::new(),
        supplied: Vec::new(),
        sources: Vec::new(),
        model: service::Model {
            id,
            organisation_id: organisation,
            name_fr: Some(text.to_owned()),
            name_nl: None,
            name_en: None,
            description_fr: None,
            description_nl: None,
            description_en: None,
            target_public_fr: None,
            target_public_nl: None,
            target_public_en: None,
            fee: crate::domain::Fee::Free,
            referral_required: false,
            status: crate::domain::ServiceStatus::Active,
            published: true,
            search_text: text.to_owned(),
            created_at: now,
            updated_at: now,
            version: 1,
            external_id: None,
            pinned: String::new(),
        },
        categories: vec![category],
        languages: vec!["fr".to_owned()],
        accreditations: vec![accreditation::Model {
            id: id * 10,
            service_id: id,
            authority_id: authority,
            kind: crate::domain::AccreditationKind::Agrement,
            legal_basis: None,
            valid_from: None,
            valid_to: None,
        }],
        locations: sites
            .iter()
            .map(|site| service_at_site::Model {
                id: id * 100 + site,
                service_id: id,
                site_id: *site,
                schedule: "[]".to_owned(),
                schedule_remark_fr: None,
                schedule_remark_nl: None,
                wheelchair_accessible: None,
                accessibility_note_fr: None,
                accessibility_note_nl: None,
            })
            .collect(),
        contacts: Vec::new(),
        territories: Vec::new(),
    }
}

pub(crate) fn organisation(
    id: i32,
    name: &str,
    sites: Vec<(site::Model, Vec<i32>)>,
    services: Vec<ServiceEntry>,
) -> Bundle {
    let now = Utc::now();
    Bundle {
        organisation: organisation::Model {
            id,
            name_fr: Some(name.to_owned()),
            name_nl: None,
            legal_status_fr: None,
            legal_status_nl: None,
            website: None,
            is_demo: false,
            search_text: name.to_owned(),
            created_at: now,
            updated_at: now,
        },
        identifiers: Vec::new(),
        contacts: Vec::new(),
        sites,
        services,
    }
}

/// An identifier of `organisation`.
fn identifier(organisation: i32, scheme: &str, value: &str) -> organisation_identifier::Model {
    organisation_identifier::Model {
        id: organisation * 10,
        organisation_id: organisation,
        scheme: scheme.to_owned(),
        value: value.to_owned(),
    }
}

/// Two organisations; `variant` changes the second one's text, category, place,
/// services and KBO number, so a patch has something to move in every index.
fn second(variant: bool) -> Bundle {
    let mut bundle = second_listing(variant);
    let kbo = if variant { "0987654321" } else { "0123456789" };
    bundle.identifiers = vec![identifier(2, "kbo", kbo)];
    bundle
}

fn second_listing(variant: bool) -> Bundle {
    if variant {
        organisation(
            2,
            "planning familial",
            vec![site(21, 2, 50.80, 4.30, vec![7])],
            vec![service(22, 2, "consultation jeunes", 5, 9, &[21])],
        )
    } else {
        organisation(
            2,
            "maison medicale",
            vec![site(20, 2, 50.85, 4.35, vec![3, 4])],
            vec![
                service(20, 2, "medecine generale", 1, 8, &[20]),
                service(21, 2, "kinesitherapie", 2, 8, &[20]),
            ],
        )
    }
}

fn first() -> Bundle {
    organisation(
        1,
        "cpas ixelles",
        vec![site(10, 1, 50.83, 4.37, vec![3])],
        vec![service(10, 1, "aide sociale", 1, 9, &[10])],
    )
}

fn same_indexes(a: &Snapshot, b: &Snapshot) {
    fn sorted<K: Clone + Ord + Hash + Eq>(p: &Postings<K>) -> Vec<(K, Vec<i32>)> {
        let mut out: Vec<(K, Vec<i32>)> =
            p.iter().map(|(k, ids)| (k.clone(), ids.to_vec())).collect();
        out.sort();
        out
    }
    assert_eq!(sorted(&a.by_category), sorted(&b.by_category));
    assert_eq!(sorted(&a.by_authority), sorted(&b.by_authority));
    assert_eq!(sorted(&a.by_language), sorted(&b.by_language));
    assert_eq!(sorted(&a.by_territory), sorted(&b.by_territory));
    assert_eq!(sorted(&a.words), sorted(&b.words));
    assert_eq!(sorted(&a.grid), sorted(&b.grid));
    assert_eq!(sorted(&a.by_identifier), sorted(&b.by_identifier));
    assert_eq!(a.service_ids(), b.service_ids());
    assert_eq!(a.organisation_ids(), b.organisation_ids());
    for id in a.service_ids() {
        assert_eq!(
            a.service(*id).map(|s| &s.territories),
            b.service(*id).map(|s| &s.territories)
        );
    }
}

#[test]
fn a_patched_snapshot_has_the_indexes_of_a_fresh_build() {
    let before = Snapshot::build(vec![first(), second(false)], 1);

    let patched = before.with_changes(&[2], vec![second(true)], 2);

    same_indexes(&patched, &Snapshot::build(vec![first(), second(true)], 2));
    assert_eq!(patched.sequence, 2);
    assert!(
        patched.service(20).is_none(),
        "the replaced services are gone"
    );
    assert_eq!(patched.by_category.get(&1), &[10]);
    assert_eq!(patched.words.get(&"medicale".to_owned()), &[] as &[i32]);
    assert_eq!(patched.organisations_identified("kbo", "0987654321"), &[2]);
    assert_eq!(
        patched.organisations_identified("kbo", "0123456789"),
        &[] as &[i32],
        "the old number is gone"
    );
    assert_eq!(before.organisations_identified("kbo", "0123456789"), &[2]);
    // The base snapshot, still held by readers, did not change.
    same_indexes(&before, &Snapshot::build(vec![first(), second(false)], 1));
}

#[test]
fn an_organisation_without_a_bundle_is_removed() {
    let before = Snapshot::build(vec![first(), second(false)], 1);

    let patched = before.with_changes(&[2], Vec::new(), 2);

    same_indexes(&patched, &Snapshot::build(vec![first()], 2));
    assert!(patched.organisation(2).is_none());
    assert!(patched.site(20).is_none());
}

#[test]
fn a_new_organisation_is_added() {
    let before = Snapshot::build(vec![first()], 1);

    let patched = before.with_changes(&[2], vec![second(false)], 2);

    same_indexes(&patched, &Snapshot::build(vec![first(), second(false)], 2));
    assert_eq!(
        patched.organisation(2).map(|o| o.services.clone()),
        Some(vec![20, 21])
    );
}

#[test]
fn services_take_the_territories_of_their_sites_and_the_words_of_their_organisation() {
    let snapshot = Snapshot::build(vec![first(), second(false)], 1);

    assert_eq!(
        snapshot.service(20).map(|s| s.territories.clone()),
        Some(vec![3, 4])
    );
    assert_eq!(snapshot.by_territory.get(&3), &[10, 20, 21]);
    assert_eq!(snapshot.words.get(&"maison".to_owned()), &[20, 21]);
    assert_eq!(
        snapshot.site(20).map(|s| s.services.clone()),
        Some(vec![20, 21])
    );
}

#[test]
fn the_grid_finds_the_sites_around_a_point() {
    let snapshot = Snapshot::build(vec![first(), second(false)], 1);
    let point = Point {
        lat: 50.85,
        lon: 4.35,
    };

    let near = snapshot.sites_in(&BBox::around(point, 300.0));
    let mut wide = snapshot.sites_in(&BBox::around(point, 50_000.0));
    wide.sort_unstable();

    assert_eq!(near, vec![20]);
    assert_eq!(wide, vec![10, 20]);
}

/// One organisation whose service two sources list: one service, by either id; an
/// inactive listing's text does not reach the active one.
fn listed_twice(second_status: crate::domain::ServiceStatus) -> Bundle {
    let mut french = service(1, 7, "Permanence Quokka", 3, 1, &[70]);
    french.sources = vec![(1, "a:1".to_owned())];
    let mut dutch = service(2, 7, "Permanence Quokka", 3, 1, &[70]);
    dutch.sources = vec![(2, "b:2".to_owned())];
    dutch.model.status = second_status;
    dutch.model.description_fr = Some("Fermé depuis 2019".to_owned());
    organisation(
        7,
        "Quokka",
        vec![site(70, 7, 50.85, 4.35, vec![5])],
        vec![french, dutch],
    )
}

#[test]
fn a_service_two_sources_list_is_listed_once_before_and_after_a_patch() {
    let built = Snapshot::build(vec![listed_twice(crate::domain::ServiceStatus::Active)], 1);
    assert_eq!(built.service_ids(), &[1]);
    assert_eq!(
        built.service(2).map(|s| s.model.id),
        Some(1),
        "the folded id leads to it"
    );

    let patched = built.with_changes(
        &[7],
        vec![listed_twice(crate::domain::ServiceStatus::Active)],
        2,
    );
    assert_eq!(
        patched.service_ids(),
        built.service_ids(),
        "as a full build"
    );
    assert_eq!(patched.service_count(), 1);
}

#[test]
fn an_inactive_listing_adds_nothing_to_an_active_one() {
    let built = Snapshot::build(
        vec![listed_twice(crate::domain::ServiceStatus::Inactive)],
        1,
    );
    let service = built.service(1).expect("the active one stands");
    assert_eq!(service.merged, vec![2]);
    assert_eq!(
        service.model.description_fr, None,
        "the inactive text stays out"
    );
}

/// Two active listings of one service that disagree on its description; only the
/// second gives a fee.
fn described_twice() -> Bundle {
    let mut bundle = listed_twice(crate::domain::ServiceStatus::Active);
    bundle.services[0].model.description_fr = Some("Accueil sans rendez-vous".to_owned());
    bundle.services[1].model.description_fr = Some("Sur rendez-vous uniquement".to_owned());
    bundle.services[0].model.fee = crate::domain::Fee::Unknown;
    bundle.services[1].model.fee = crate::domain::Fee::Free;
    bundle
}

#[test]
fn a_merged_service_takes_each_field_from_the_most_trusted_source_and_records_disagreements() {
    let by_name = Snapshot::build(vec![described_twice()], 1);
    let service = by_name.service(1).expect("one service");
    assert_eq!(
        service.model.description_fr.as_deref(),
        Some("Accueil sans rendez-vous"),
        "no priority configured: the sources in name order"
    );
    assert_eq!(
        service.model.fee,
        crate::domain::Fee::Free,
        "the only source that gives a fee"
    );
    assert_eq!(service.conflicts.len(), 1, "{:?}", service.conflicts);
    let conflict = &service.conflicts[0];
    assert_eq!(conflict.field, "description_fr");
    assert_eq!(conflict.chosen_source, "a");
    assert_eq!(conflict.values.len(), 2);
    assert!(service.shows(1, "description") && !service.shows(2, "description"));
    assert!(service.shows(2, "fee") && !service.shows(1, "fee"));
    assert!(
        service.shows(2, "categories"),
        "both give categories: a union"
    );

    let mut config = crate::config::Config::default();
    config.sync.priority.insert(
        "description_fr".to_owned(),
        vec!["b".to_owned(), "a".to_owned()],
    );
    let ranked = Snapshot::build_with(
        vec![described_twice()],
        1,
        Arc::new(merge::MergeRules::new(&config)),
    );
    let service = ranked.service(1).expect("one service");
    assert_eq!(
        service.model.description_fr.as_deref(),
        Some("Sur rendez-vous uniquement")
    );
    assert_eq!(service.model.id, 1, "the lead keeps its id");
    assert_eq!(service.conflicts[0].chosen_source, "b");
    assert!(service.shows(2, "description") && !service.shows(1, "description"));
}

#[test]
fn values_written_differently_are_no_disagreement() {
    let mut bundle = described_twice();
    bundle.services[1].model.description_fr = Some("ACCUEIL sans  rendez-vous".to_owned());
    let built = Snapshot::build(vec![bundle], 1);
    assert_eq!(built.service(1).map(|s| s.conflicts.len()), Some(0));
}

/// A listing of the whole organisation (social.brussels, De Sociale Kaart) and the
/// listings of its services (an HSDS feed): the whole joins a listing named after the
/// organisation and its commune, never one service among several.
#[test]
fn a_whole_organisation_listing_joins_its_namesake_not_one_of_its_services() {
    let listed = |id: i32, source: &str, name: &str, category: i32| {
        let mut s = service(id, 9, name, category, 1, &[90]);
        s.sources = vec![(if source == "a" { 1 } else { 2 }, format!("{source}:{id}"))];
        s
    };
    let mut place = site(90, 9, 50.83, 4.37, vec![5]);
    place.0.municipality_fr = Some("Ixelles".to_owned());
    let cpas = organisation(
        9,
        "CPAS d'Ixelles",
        vec![place.clone()],
        vec![
            listed(1, "a", "CPAS d'Ixelles", 3),
            listed(2, "b", "Télévigilance – CPAS d'Ixelles", 3),
            listed(3, "b", "Aide médicale – CPAS d'Ixelles", 3),
        ],
    );
    let built = Snapshot::build(vec![cpas], 1);
    assert_eq!(
        built.service_ids(),
        &[1, 2, 3],
        "the whole is neither service"
    );

    let house = organisation(
        9,
        "Maison médicale Le Saule",
        vec![place],
        vec![
            listed(1, "a", "Maison médicale Le Saule", 3),
            listed(2, "b", "Maison médicale Le Saule – Ixelles", 3),
            listed(
                3,
                "b",
                "Psychologue de première ligne – Maison médicale Le Saule",
                3,
            ),
        ],
    );
    let built = Snapshot::build(vec![house], 1);
    assert_eq!(built.service_ids(), &[1, 3]);
    let merged = built.service(1).expect("the house");
    assert_eq!(merged.merged, vec![2]);
    assert!(
        merged.conflicts.is_empty(),
        "a name with its commune added is the same name: {:?}",
        merged.conflicts
    );
}

/// An exact name wins over a close one, whatever the order of the rows; and a close
/// name among several is no match.
#[test]
fn the_same_name_joins_before_a_close_one() {
    let listed = |id: i32, source: i32, name: &str| {
        let mut s = service(id, 9, name, 3, 1, &[90]);
        s.sources = vec![(source, format!("s{source}:{id}"))];
        s
    };
    let bundle = organisation(
        9,
        "Quokka",
        vec![site(90, 9, 50.83, 4.37, vec![5])],
        vec![
            listed(1, 1, "Planning familial Quokka"),
            listed(2, 2, "Centre de planning familial Quokka"),
            listed(3, 2, "Planning familial Quokka"),
        ],
    );
    let built = Snapshot::build(vec![bundle], 1);
    assert_eq!(built.service_ids(), &[1, 2]);
    assert_eq!(built.service(3).map(|s| s.model.id), Some(1));
}
