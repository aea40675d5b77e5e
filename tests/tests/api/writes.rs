//! Partner writes through the GraphQL API: own listings only, every field validated with
//! its path, versions against lost updates, read-your-writes, an audit entry per write.

use entities::audit_entry;
use passerelle::auth::Role;
use passerelle_tests::{Backend, TestApp, both_backends, fixture, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

/// Two organisations with one service each, synced from an HSDS feed; a partner token
/// for the first.
struct World {
    app: TestApp,
    own: String,
    other_service: String,
    partner: String,
    admin: String,
}

async fn world(backend: Backend) -> World {
    let app = spawn_app(backend).await;
    let synced = fixture::sync_hsds(
        &app,
        "partners",
        "fr",
        &["own", "other"].map(|key| {
            fixture::hsds_service(
                &format!("{key}-service"),
                (key, &format!("ASBL Scriptor {key}"), None),
                &format!("Permanence Scriptor {key}"),
                (50.8671, 4.3729),
                "housing",
                "2026-01-01T00:00:00Z",
            )
        }),
    )
    .await;
    let own = synced.organisations["own"];
    let partner = app.token(Role::Partner, &[own], None);
    let admin = app.token(Role::Admin, &[], None);
    World {
        own: passerelle::domain::GlobalId::new(passerelle::domain::Kind::Organisation, own)
            .to_string(),
        other_service: passerelle::domain::GlobalId::new(
            passerelle::domain::Kind::Service,
            synced.services["other-service"],
        )
        .to_string(),
        partner,
        admin,
        app,
    }
}

const CREATE_SITE: &str = "mutation($input: CreateSiteInput!) { createSite(input: $input) {
    result { action version warnings { field reason } } site { id version address } } }";

const CREATE_SERVICE: &str =
    "mutation($input: CreateServiceInput!) { createService(input: $input) {
    result { action version changedFields }
    service { id name version fee status published externalId
      contacts { kind value } internalContacts { value }
      categories { code } languages sites { site { id } schedule { weekday opens closes } } } } }";

const UPDATE_SERVICE: &str =
    "mutation($input: UpdateServiceInput!) { updateService(input: $input) {
    result { action version changedFields notApplied { field source } }
    service { id description version } } }";

async fn public_count(app: &TestApp, text: &str) -> u64 {
    app.gql(
        "query($text: String) { services(filter: { text: $text }) { totalCount } }",
        json!({ "text": text }),
    )
    .await
    .data()["services"]["totalCount"]
        .as_u64()
        .unwrap()
}

async fn audit_entries(app: &TestApp, entity_id: i32) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityId.eq(entity_id))
        .all(&app.state.db.conn)
        .await
        .unwrap()
}

fn number(global: &Value) -> i32 {
    passerelle::domain::GlobalId::parse(global.as_str().unwrap())
        .unwrap()
        .id
}

async fn a_partner_keeps_its_own_listings_and_only_those(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let site = app
        .gql_as(
            Some(&w.partner),
            CREATE_SITE,
            json!({ "input": { "organisation": w.own, "externalId": "site-1",
                "site": { "streetFr": "Avenue Louis Bertrand", "houseNumber": "43",
                          "postcode": "1030", "municipalityFr": "Schaerbeek",
                          "point": { "lat": 50.8622, "lon": 4.3783 } } } }),
        )
        .await;
    let site = &site.data()["createSite"];
    assert_eq!(site["result"]["action"], "CREATED");
    assert_eq!(site["result"]["warnings"], json!([]));
    let site_id = site["site"]["id"].clone();

    let created = app
        .gql_as(
            Some(&w.partner),
            CREATE_SERVICE,
            json!({ "input": { "organisation": w.own, "externalId": "svc-1", "service": {
                "nameFr": "  Écrivain public Scriptor ", "nameNl": "Openbare schrijver Scriptor",
                "categories": ["general_social_work"], "languages": ["fr", "NL"],
                "fee": "FREE",
                "contacts": [{ "kind": "PHONE", "value": "02/435.51.38" },
                             { "kind": "PHONE", "value": "0470 12 34 56", "internal": true }],
                "locations": [{ "siteExternalId": "site-1",
                                "schedule": [{ "weekday": 2, "opens": "09:00", "closes": "12:00" }] }] } } }),
        )
        .await;
    let created = &created.data()["createService"];
    assert_eq!(created["result"]["action"], "CREATED");
    let service = &created["service"];
    // Read-your-writes: the payload and the next query read the write.
    assert_eq!(service["name"], "Écrivain public Scriptor", "trimmed");
    assert_eq!(service["version"], 1);
    assert_eq!(service["externalId"], "svc-1");
    assert_eq!(service["fee"], "FREE");
    assert_eq!(
        service["contacts"],
        json!([{ "kind": "phone", "value": "+3224355138" }])
    );
    assert_eq!(
        service["internalContacts"],
        json!([{ "value": "+32470123456" }])
    );
    assert_eq!(service["languages"], json!(["fr", "nl"]));
    assert_eq!(service["sites"][0]["site"]["id"], site_id);
    assert_eq!(
        service["sites"][0]["schedule"],
        json!([{ "weekday": 2, "opens": "09:00", "closes": "12:00" }])
    );
    assert_eq!(public_count(app, "ecrivain public scriptor").await, 1);
    let id = service["id"].clone();
    let entries = audit_entries(app, number(&id)).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "created");
    assert_eq!(entries[0].origin, "mutation");
    assert_eq!(entries[0].role, "partner");

    // An update names the version it is based on.
    let change = |version: i64, text: &str| {
        json!({ "input": { "id": id, "version": version,
                           "service": { "descriptionFr": text } } })
    };
    let updated = app
        .gql_as(
            Some(&w.partner),
            UPDATE_SERVICE,
            change(1, "Aide aux courriers."),
        )
        .await;
    let result = &updated.data()["updateService"]["result"];
    assert_eq!(result["action"], "UPDATED");
    assert_eq!(result["version"], 2);
    assert_eq!(result["changedFields"], json!(["description_fr"]));
    assert_eq!(
        updated.data()["updateService"]["service"]["description"],
        "Aide aux courriers."
    );
    let entries = audit_entries(app, number(&id)).await;
    let changes: Value = serde_json::from_str(&entries[1].changes).unwrap();
    assert_eq!(
        changes,
        json!({ "description_fr": [null, "Aide aux courriers."] })
    );

    // A writer who read version 1 does not overwrite version 2.
    let stale = app
        .gql_as(Some(&w.partner), UPDATE_SERVICE, change(1, "Autre texte."))
        .await;
    assert_eq!(stale.error_code(), Some("CONFLICT"), "{:?}", stale.body);
    assert_eq!(stale.body["errors"][0]["extensions"]["currentVersion"], 2);
    assert_eq!(stale.body["data"]["updateService"], Value::Null);
    // The same change again changes nothing and says so.
    let again = app
        .gql_as(
            Some(&w.partner),
            UPDATE_SERVICE,
            change(2, "Aide aux courriers."),
        )
        .await;
    assert_eq!(
        again.data()["updateService"]["result"]["action"],
        "UNCHANGED"
    );
    assert_eq!(again.data()["updateService"]["result"]["version"], 2);
    assert_eq!(audit_entries(app, number(&id)).await.len(), 2);

    // The site moves: the service is found by its new commune, not the old.
    assert_eq!(
        public_count(app, "ecrivain public scriptor schaerbeek").await,
        1
    );
    let moved = app
        .gql_as(
            Some(&w.partner),
            "mutation($input: UpdateSiteInput!) { updateSite(input: $input) {
               result { action version changedFields } } }",
            json!({ "input": { "id": site_id, "version": 1, "site": {
                "streetFr": "Place Eugène Flagey", "houseNumber": "18", "postcode": "1050",
                "municipalityFr": "Ixelles", "point": { "lat": 50.8275, "lon": 4.3725 } } } }),
        )
        .await;
    assert_eq!(
        moved.data()["updateSite"]["result"]["version"],
        2,
        "{:?}",
        moved.body
    );
    assert_eq!(
        public_count(app, "ecrivain public scriptor ixelles").await,
        1
    );
    assert_eq!(
        public_count(app, "ecrivain public scriptor schaerbeek").await,
        0
    );

    // Another organisation's listing: forbidden, unchanged.
    let other = app
        .gql_as(
            Some(&w.partner),
            UPDATE_SERVICE,
            json!({ "input": { "id": w.other_service, "version": 1,
                               "service": { "nameFr": "Zorglubien" } } }),
        )
        .await;
    assert_eq!(other.error_code(), Some("FORBIDDEN"));
    assert_eq!(public_count(app, "permanence scriptor other").await, 1);
    assert_eq!(public_count(app, "zorglubien").await, 0);
    // Without a token: authentication first.
    let anonymous = app.gql(UPDATE_SERVICE, change(2, "x")).await;
    assert_eq!(anonymous.error_code(), Some("UNAUTHENTICATED"));

    // Withheld, then deactivated: gone for the public, kept for the partner.
    let withheld = app
        .gql_as(
            Some(&w.partner),
            "mutation($id: ID!) { publishService(input: { id: $id, version: 2, published: false }) {
               result { action version } service { published } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(withheld.data()["publishService"]["result"]["version"], 3);
    assert_eq!(public_count(app, "ecrivain public scriptor").await, 0);
    let gone = app
        .gql_as(
            Some(&w.partner),
            "mutation($id: ID!) { deactivateService(input: { id: $id, version: 3 }) {
               service { status } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        gone.data()["deactivateService"]["service"]["status"],
        "INACTIVE"
    );
    let actions: Vec<String> = audit_entries(app, number(&id))
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["created", "updated", "unpublished", "deactivated"]
    );

    // The history, newest first: the partner reads its own, not another's.
    const TRAIL: &str = "query($id: ID) { auditTrail(filter: { listing: $id }, first: 2) {
        edges { node { action actor role origin listing changes { field before after } } }
        pageInfo { hasNextPage endCursor } } }";
    let trail = app
        .gql_as(Some(&w.partner), TRAIL, json!({ "id": id }))
        .await;
    let trail = &trail.data()["auditTrail"];
    assert_eq!(trail["edges"][0]["node"]["action"], "deactivated");
    assert_eq!(
        trail["edges"][0]["node"]["changes"],
        json!([{ "field": "status", "before": "\"active\"", "after": "\"inactive\"" }])
    );
    assert_eq!(trail["edges"][1]["node"]["action"], "unpublished");
    assert_eq!(trail["pageInfo"]["hasNextPage"], true);
    let someone_else = app.token(Role::Partner, &[999_999], None);
    let theirs = app
        .gql_as(Some(&someone_else), TRAIL, json!({ "id": id }))
        .await;
    assert_eq!(theirs.data()["auditTrail"]["edges"], json!([]));
    let zone = app.token(Role::ZonePartner, &[], None);
    let refused = app.gql_as(Some(&zone), TRAIL, json!({ "id": id })).await;
    assert_eq!(refused.error_code(), Some("FORBIDDEN"));
    assert_eq!(refused.body["data"]["auditTrail"], Value::Null);
}

async fn every_invalid_field_is_reported_with_its_path_and_nothing_is_written(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let before = audit_entry::Entity::find()
        .count(&app.state.db.conn)
        .await
        .unwrap();
    let refused = app
        .gql_as(
            Some(&w.partner),
            CREATE_SERVICE,
            json!({ "input": { "organisation": w.own, "service": {
                "nameEn": "x".repeat(201),
                "categories": ["housing", "no_such_category"], "languages": ["french"],
                "contacts": [{ "kind": "PHONE", "value": "call us" },
                             { "kind": "EMAIL", "value": "info@" },
                             { "kind": "WEB", "value": "ftp://example.org" }] } } }),
        )
        .await;
    assert_eq!(refused.body["data"]["createService"], Value::Null);
    let mut found: Vec<(String, String)> = refused.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["extensions"]["code"], "VALIDATION_FAILED", "{e}");
            assert_eq!(e["path"], json!(["createService"]));
            (
                e["extensions"]["field"].as_str().unwrap().to_owned(),
                e["extensions"]["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    let expected: Vec<(String, String)> = [
        ("service.categories[1]", "unknown_category"),
        ("service.contacts[0].value", "invalid_phone"),
        ("service.contacts[1].value", "invalid_email"),
        ("service.contacts[2].value", "invalid_url"),
        ("service.languages[0]", "invalid_language"),
        ("service.nameEn", "too_long"),
        ("service.nameFr", "required"),
    ]
    .map(|(f, r)| (f.to_owned(), r.to_owned()))
    .to_vec();
    assert_eq!(found, expected);

    let site = |postcode: &str, lat: f64, lon: f64| {
        json!({ "input": { "organisation": w.own,
            "site": { "postcode": postcode, "point": { "lat": lat, "lon": lon } } } })
    };
    let outside = app
        .gql_as(Some(&w.partner), CREATE_SITE, site("2000", 48.8566, 2.3522))
        .await;
    let fields: Vec<&str> = outside.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["extensions"]["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["site.postcode", "site.point"]);
    // A point in Uccle under a Schaerbeek postcode: written, with a warning.
    let elsewhere = app
        .gql_as(Some(&w.partner), CREATE_SITE, site("1030", 50.8003, 4.3370))
        .await;
    assert_eq!(
        elsewhere.data()["createSite"]["result"]["warnings"],
        json!([{ "field": "site.point", "reason": "point_outside_postcode" }])
    );
    let after = audit_entry::Entity::find()
        .count(&app.state.db.conn)
        .await
        .unwrap();
    assert_eq!(after, before + 1, "only the warned site was written");

    // Hours: each period with its path.
    let site_id = elsewhere.data()["createSite"]["site"]["id"].clone();
    let hours = app
        .gql_as(
            Some(&w.partner),
            CREATE_SERVICE,
            json!({ "input": { "organisation": w.own, "service": { "nameFr": "Horaires",
                "locations": [{ "site": site_id, "schedule": [
                    { "weekday": 1, "opens": "09:00", "closes": "12:00" },
                    { "weekday": 1, "opens": "11:00", "closes": "13:00" },
                    { "weekday": 9, "opens": "25:00", "closes": "10:00" }] }] } } }),
        )
        .await;
    let fields: Vec<&str> = hours.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["extensions"]["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "service.locations[0].schedule[2].weekday",
            "service.locations[0].schedule[2].opens",
            "service.locations[0].schedule[1]",
        ]
    );
}

/// Writers racing on one version: exactly one wins, the others get `CONFLICT`, and no
/// update is lost on either database.
async fn concurrent_writers_lose_no_update(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let writers = (0..6).map(|n| {
        let (app, token, id) = (app, w.admin.clone(), w.other_service.clone());
        async move {
            app.gql_as(
                Some(&token),
                UPDATE_SERVICE,
                json!({ "input": { "id": id, "version": 1,
                                   "service": { "descriptionFr": format!("Texte {n}") } } }),
            )
            .await
        }
    });
    let answers = futures_util::future::join_all(writers).await;
    let won: Vec<&Value> = answers
        .iter()
        .filter(|a| a.body["errors"].is_null())
        .map(|a| &a.body["data"]["updateService"]["service"]["description"])
        .collect();
    let conflicts = answers
        .iter()
        .filter(|a| a.error_code() == Some("CONFLICT"))
        .count();
    assert_eq!((won.len(), conflicts), (1, 5), "{answers:?}");
    let stored = app
        .gql_as(
            Some(&w.admin),
            "query($id: ID!) { service(id: $id) { description version } }",
            json!({ "id": w.other_service }),
        )
        .await;
    assert_eq!(stored.data()["service"]["description"], *won[0]);
    assert_eq!(stored.data()["service"]["version"], 2);
}

/// A partner's edit of a service an upstream also lists survives the upstream's next
/// sync (the partner wins its own listing by default); the fields the partner did not
/// touch still follow the upstream. Where `sync.priority` trusts the upstream first,
/// the edit is not made and the answer says which field and why.
async fn a_partner_edit_survives_the_next_sync(backend: Backend) {
    let feed = |name: &str, description: &str, category: &str| {
        let mut service = fixture::hsds_service(
            "own-service",
            ("own", "ASBL Scriptor own", None),
            name,
            (50.8671, 4.3729),
            category,
            "2026-01-01T00:00:00Z",
        );
        service["description"] = json!(description);
        // Beside it, a service of the same organisation that the feed never changes.
        let kept = fixture::hsds_service(
            "kept-service",
            ("own", "ASBL Scriptor own", None),
            "Maison d'accueil Scriptor",
            (50.8671, 4.3729),
            "housing",
            "2026-01-01T00:00:00Z",
        );
        vec![service, kept]
    };
    let app = passerelle_tests::spawn_app_with(backend, |c| {
        c.sync
            .priority
            .insert("target_public_fr".to_owned(), vec!["upstream".to_owned()]);
    })
    .await;
    let synced = fixture::sync_hsds(
        &app,
        "upstream",
        "fr",
        &feed("Permanence Scriptor", "Texte amont.", "housing"),
    )
    .await;
    let id = passerelle::domain::GlobalId::new(
        passerelle::domain::Kind::Service,
        synced.services["own-service"],
    )
    .to_string();
    let partner = app.token(Role::Partner, &[synced.organisations["own"]], None);
    let edited = app
        .gql_as(
            Some(&partner),
            UPDATE_SERVICE,
            json!({ "input": { "id": id, "version": 1, "service": {
                "descriptionFr": "Texte du partenaire.", "targetPublicFr": "Adultes" } } }),
        )
        .await;
    let result = &edited.data()["updateService"]["result"];
    assert_eq!(result["changedFields"], json!(["description_fr"]));
    assert_eq!(
        result["notApplied"],
        json!([{ "field": "target_public_fr", "source": "upstream" }])
    );

    fixture::sync_hsds(
        &app,
        "upstream",
        "fr",
        &feed(
            "Permanence Scriptor (Evere)",
            "Texte amont revu.",
            "mental_health",
        ),
    )
    .await;
    let read = app
        .gql_as(
            Some(&partner),
            "query($id: ID!) { service(id: $id) { name description version } }",
            json!({ "id": id }),
        )
        .await;
    let service = &read.data()["service"];
    assert_eq!(service["description"], "Texte du partenaire.", "pinned");
    assert_eq!(
        service["name"], "Permanence Scriptor (Evere)",
        "not pinned: upstream"
    );
    assert_eq!(service["version"], 3, "the sync's write counts too");

    // The trail: the sync's creation, the partner's edit, the sync's update of the
    // name and the categories (lists are fields too), not the pinned description.
    let admin = app.token(Role::Admin, &[], None);
    let trail = app
        .gql_as(
            Some(&admin),
            "query($id: ID) { auditTrail(filter: { listing: $id }) { edges { node {
                actor origin action changes { field after } } } } }",
            json!({ "id": id }),
        )
        .await;
    let entries: Vec<(String, String, Vec<String>)> = trail.data()["auditTrail"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let node = &e["node"];
            (
                node["origin"].as_str().unwrap().to_owned(),
                node["action"].as_str().unwrap().to_owned(),
                node["changes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["field"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        entries[0],
        (
            "sync".to_owned(),
            "updated".to_owned(),
            vec!["categories".to_owned(), "name_fr".to_owned()]
        )
    );
    assert_eq!(entries[1].0, "mutation");
    assert_eq!(
        (entries[2].0.as_str(), entries[2].1.as_str()),
        ("sync", "created")
    );
    assert_eq!(
        trail.data()["auditTrail"]["edges"][0]["node"]["actor"],
        "sync:upstream"
    );
    let kept: Vec<String> = audit_entries(&app, synced.services["kept-service"])
        .await
        .into_iter()
        .filter(|e| e.entity == "service")
        .map(|e| e.action)
        .collect();
    assert_eq!(kept, ["created"], "a service the sync left as it was");
}

const UPSERT: &str = "mutation($input: UpsertListingsInput!) { upsertListings(input: $input) {
    applied created updated unchanged failed
    results { index externalId status version changedFields errors { field reason }
              notApplied { field source } service { id name sites { site { address } } } } } }";

fn listing(id: &str, name: &str, postcode: &str) -> Value {
    json!({ "externalId": id,
            "service": { "nameFr": name, "categories": ["housing"],
                         "locations": [{ "siteExternalId": format!("{id}-site"),
                                         "schedule": [{ "weekday": 1, "opens": "09:00", "closes": "17:00" }] }] },
            "sites": [{ "externalId": format!("{id}-site"),
                        "site": { "streetFr": "Rue Gallait", "houseNumber": "10", "postcode": postcode } }] })
}

/// A partner's whole listing by its own ids: created, then unchanged when sent again,
/// updated where it changed; all or nothing by default, the valid items in `PARTIAL`
/// mode; ids are the organisation's own (another partner may use the same).
async fn a_bulk_upsert_is_idempotent_and_all_or_nothing(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let send = |token: &str, organisation: &str, items: Value, mode: &str| {
        let input =
            json!({ "input": { "organisation": organisation, "items": items, "mode": mode } });
        let token = token.to_owned();
        async move { app.gql_as(Some(&token), UPSERT, input).await }
    };
    let items = json!([
        listing("a", "Logement Scriptor A", "1030"),
        listing("b", "Logement Scriptor B", "1030")
    ]);
    let first = send(&w.partner, &w.own, items.clone(), "ALL_OR_NOTHING").await;
    let first = &first.data()["upsertListings"];
    assert_eq!(
        (first["applied"].as_bool(), first["created"].as_i64()),
        (Some(true), Some(2)),
        "{first}"
    );
    assert_eq!(
        first["results"][0]["service"]["sites"][0]["site"]["address"],
        "Rue Gallait 10, 1030"
    );
    let audited = audit_entry::Entity::find()
        .count(&app.state.db.conn)
        .await
        .unwrap();

    let again = send(&w.partner, &w.own, items, "ALL_OR_NOTHING").await;
    let again = &again.data()["upsertListings"];
    assert_eq!(
        (again["applied"].as_bool(), again["unchanged"].as_i64()),
        (Some(false), Some(2)),
        "{again}"
    );
    assert_eq!(
        audit_entry::Entity::find()
            .count(&app.state.db.conn)
            .await
            .unwrap(),
        audited
    );

    // One item invalid: nothing written, the valid one said so.
    let mixed = json!([
        listing("a", "Logement Scriptor A (nouveau)", "1030"),
        listing("c", "Logement Zephyrin", "9000")
    ]);
    let refused = send(&w.partner, &w.own, mixed.clone(), "ALL_OR_NOTHING").await;
    let refused = &refused.data()["upsertListings"];
    assert_eq!(refused["applied"], false);
    assert_eq!(refused["results"][0]["status"], "NOT_APPLIED");
    assert_eq!(refused["results"][1]["status"], "FAILED");
    assert_eq!(
        refused["results"][1]["errors"],
        json!([{ "field": "items[1].sites[0].site.postcode", "reason": "outside_region" }])
    );
    assert_eq!(public_count(app, "logement scriptor nouveau").await, 0);
    assert_eq!(public_count(app, "zephyrin").await, 0);
    // Partial: the valid item is written.
    let partial = send(&w.partner, &w.own, mixed, "PARTIAL").await;
    let partial = &partial.data()["upsertListings"];
    assert_eq!(
        (partial["updated"].as_i64(), partial["failed"].as_i64()),
        (Some(1), Some(1)),
        "{partial}"
    );
    assert_eq!(partial["results"][0]["changedFields"], json!(["name_fr"]));
    assert_eq!(public_count(app, "logement scriptor nouveau").await, 1);
    // An existing item with only what changes and a bad site: the site's error alone
    // (its service is checked as it is, not as if new and nameless).
    let bad_site = json!([{ "externalId": "a", "service": { "languages": ["fr"] },
        "sites": [{ "externalId": "a-site", "site": { "postcode": "9000" } }] }]);
    let refused = send(&w.partner, &w.own, bad_site, "PARTIAL").await;
    assert_eq!(
        refused.data()["upsertListings"]["results"][0]["errors"],
        json!([{ "field": "items[0].sites[0].site.postcode", "reason": "outside_region" }])
    );

    // Another organisation's partner, the same ids: its own listings.
    let other_org = app
        .gql_as(
            Some(&w.admin),
            "{ organisations(filter: { text: \"scriptor other\" }) { edges { node { id } } } }",
            json!({}),
        )
        .await
        .data()["organisations"]["edges"][0]["node"]["id"]
        .clone();
    let other_partner = app.token(Role::Partner, &[number(&other_org)], None);
    let theirs = send(
        &other_partner,
        other_org.as_str().unwrap(),
        json!([listing("a", "Logement Tiers A", "1210")]),
        "ALL_OR_NOTHING",
    )
    .await;
    assert_eq!(theirs.data()["upsertListings"]["created"], 1);
    assert_eq!(
        public_count(app, "logement scriptor nouveau").await,
        1,
        "ours untouched"
    );
    // Not its organisation: refused as a whole.
    let forbidden = send(
        &other_partner,
        &w.own,
        json!([listing("z", "Intrus", "1030")]),
        "PARTIAL",
    )
    .await;
    assert_eq!(forbidden.error_code(), Some("FORBIDDEN"));
    // Withheld by curation: a bulk write that would show it again goes on without
    // doing so, and says why.
    let a = send(
        &w.partner,
        &w.own,
        json!([{ "externalId": "a", "service": {} }]),
        "ALL_OR_NOTHING",
    )
    .await;
    let a = &a.data()["upsertListings"]["results"][0];
    let withheld = app
        .gql_as(
            Some(&w.admin),
            "mutation($id: ID!, $version: Int!) { curateService(input: {
                id: $id, version: $version, published: false }) { result { version } } }",
            json!({ "id": a["service"]["id"], "version": a["version"] }),
        )
        .await;
    assert!(withheld.body["errors"].is_null(), "{:?}", withheld.body);
    let shown = send(
        &w.partner,
        &w.own,
        json!([{ "externalId": "a", "service": { "published": true } }]),
        "ALL_OR_NOTHING",
    )
    .await;
    let shown = &shown.data()["upsertListings"]["results"][0];
    assert_eq!(shown["status"], "UNCHANGED", "{shown}");
    assert_eq!(
        shown["notApplied"],
        json!([{ "field": "published", "source": "curation" }])
    );

    // Too many items: refused before anything is read.
    let many: Vec<Value> = (0..501)
        .map(|n| listing(&format!("n{n}"), "X", "1030"))
        .collect();
    let too_many = send(&w.partner, &w.own, Value::from(many), "PARTIAL").await;
    assert_eq!(too_many.error_code(), Some("BAD_USER_INPUT"));
    assert_eq!(
        too_many.body["errors"][0]["extensions"]["argument"],
        "items"
    );
}

/// A mutation retried with its `Idempotency-Key` is answered as the first time and
/// written once; the key with another body is refused; a malformed key too; a key
/// expires after `api.idempotency_hours`.
async fn a_retried_mutation_is_written_once(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let post = |key: &str, name: &str| {
        let bearer = format!("Bearer {}", w.partner);
        let body = json!({ "query": CREATE_SERVICE, "variables": { "input": {
            "organisation": w.own, "service": { "nameFr": name } } } });
        let request = app
            .client
            .post(format!("{}/graphql", app.url))
            .header("authorization", bearer)
            .header("idempotency-key", key)
            .json(&body);
        async move {
            let response = request.send().await.unwrap();
            let replayed = response.headers().contains_key("idempotent-replayed");
            let status = response.status().as_u16();
            (status, replayed, response.json::<Value>().await.unwrap())
        }
    };
    let (status, replayed, first) = post("key-1", "Guichet Idempotent").await;
    assert_eq!((status, replayed), (200, false), "{first}");
    let (status, replayed, again) = post("key-1", "Guichet Idempotent").await;
    assert_eq!((status, replayed), (200, true));
    assert_eq!(again, first, "the first answer");
    assert_eq!(
        public_count(app, "guichet idempotent").await,
        1,
        "written once"
    );

    let (status, _, reused) = post("key-1", "Guichet Autre").await;
    assert_eq!(status, 422);
    assert_eq!(
        reused["errors"][0]["extensions"]["code"],
        "IDEMPOTENCY_KEY_REUSED"
    );
    let (status, _, malformed) = post("two words", "Guichet Autre").await;
    assert_eq!(status, 400, "{malformed}");
    assert_eq!(public_count(app, "guichet autre").await, 0);

    // Kept for no time at all: the same key is a new request.
    let url = app.state.config.database.url.expose().to_owned();
    let forgetful = passerelle_tests::spawn_app_on(url, |c| c.api.idempotency_hours = 0).await;
    let send = |key: &str| {
        let request = forgetful
            .client
            .post(format!("{}/graphql", forgetful.url))
            .header("authorization", format!("Bearer {}", w.partner))
            .header("idempotency-key", key)
            .json(&json!({ "query": CREATE_SERVICE, "variables": { "input": {
                "organisation": w.own, "service": { "nameFr": "Guichet Oublieux" } } } }));
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(send("key-2").await, 200);
    assert_eq!(send("key-2").await, 200);
    forgetful.caught_up().await;
    assert_eq!(public_count(&forgetful, "guichet oublieux").await, 2);
}

/// Curation within each group's scope (`docs/roles.md`): zone partners annotate
/// anywhere, basin teams annotate and curate (publication, professional lines) in their
/// bassin only, nobody but the partner edits the listing; each write is audited.
async fn curation_stays_within_each_groups_scope(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    // The services lie in Schaerbeek: bassin Nord-Est.
    let zone = app.token(Role::ZonePartner, &[], None);
    let inside = app.token(Role::BasinTeam, &[], Some("nord-est"));
    let outside = app.token(Role::BasinTeam, &[], Some("sud"));
    const ANNOTATE: &str =
        "mutation($input: AnnotateServiceInput!) { annotateService(input: $input) {
        annotation { kind body visibility } } }";
    let note = |kind: &str, body: &str| json!({ "input": { "service": w.other_service, "kind": kind, "body": body } });
    let noted = app
        .gql_as(
            Some(&zone),
            ANNOTATE,
            note("HELPDESK_TIP", "Appeler le matin."),
        )
        .await;
    assert_eq!(
        noted.data()["annotateService"]["annotation"],
        json!({ "kind": "HELPDESK_TIP", "body": "Appeler le matin.", "visibility": "SHARED" })
    );
    let far = app
        .gql_as(Some(&outside), ANNOTATE, note("NOTE", "Hors bassin"))
        .await;
    assert_eq!(far.error_code(), Some("FORBIDDEN"));
    let empty = app
        .gql_as(Some(&inside), ANNOTATE, note("VERIFICATION", "  "))
        .await;
    assert_eq!(empty.body["errors"][0]["extensions"]["field"], "body");

    const CURATE: &str = "mutation($input: CurateServiceInput!) { curateService(input: $input) {
        result { action version changedFields } service { published internalContacts { value } } } }";
    let curate = json!({ "input": { "id": w.other_service, "version": 1, "published": false,
        "internalContacts": [{ "kind": "PHONE", "value": "02 218 00 00" }] } });
    let curated = app.gql_as(Some(&inside), CURATE, curate.clone()).await;
    let curated = &curated.data()["curateService"];
    assert_eq!(
        curated["result"]["changedFields"],
        json!(["contacts", "published"])
    );
    assert_eq!(
        curated["service"]["internalContacts"],
        json!([{ "value": "+3222180000" }])
    );
    assert_eq!(public_count(app, "permanence scriptor other").await, 0);
    for (token, what) in [
        (&outside, "a team outside its bassin"),
        (&w.partner, "a partner"),
    ] {
        let refused = app.gql_as(Some(token), CURATE, curate.clone()).await;
        assert_eq!(refused.error_code(), Some("FORBIDDEN"), "{what}");
    }
    let edit = app
        .gql_as(
            Some(&inside),
            UPDATE_SERVICE,
            json!({ "input": { "id": w.other_service, "version": 2, "service": { "nameFr": "Renommé" } } }),
        )
        .await;
    assert_eq!(
        edit.error_code(),
        Some("FORBIDDEN"),
        "curators never edit the listing"
    );

    // The listing's public contacts replaced: the curator's professional line stays.
    let public = app
        .gql_as(
            Some(&w.admin),
            "mutation($id: ID!) { updateService(input: { id: $id, version: 2, service: {
                contacts: [{ kind: EMAIL, value: \"accueil@scriptor.example\" }] } }) {
                service { contacts { value } internalContacts { value } } } }",
            json!({ "id": w.other_service }),
        )
        .await;
    let service = &public.data()["updateService"]["service"];
    assert_eq!(
        service["contacts"],
        json!([{ "value": "accueil@scriptor.example" }])
    );
    assert_eq!(
        service["internalContacts"],
        json!([{ "value": "+3222180000" }])
    );

    let trail = app
        .gql_as(
            Some(&w.admin),
            "query($id: ID) { auditTrail(filter: { listing: $id }) { edges { node { action origin role } } } }",
            json!({ "id": w.other_service }),
        )
        .await;
    assert_eq!(
        trail.data()["auditTrail"]["edges"],
        json!([
            { "node": { "action": "updated", "origin": "mutation", "role": "admin" } },
            { "node": { "action": "updated", "origin": "curation", "role": "basin_team" } },
            { "node": { "action": "annotated", "origin": "curation", "role": "zone_partner" } },
            { "node": { "action": "created", "origin": "sync", "role": "system" } },
        ])
    );

    // Withheld by the basin team: the listing's own partner cannot publish it again;
    // a curator (here an administrator) can.
    let other = entities::service::Entity::find_by_id(number(&json!(w.other_service)))
        .one(&app.state.db.conn)
        .await
        .unwrap()
        .unwrap();
    let owner = app.token(Role::Partner, &[other.organisation_id], None);
    const PUBLISH: &str = "mutation($id: ID!) { publishService(input: {
        id: $id, version: 4, published: true }) { result { action } service { published } } }";
    // A text of its own mentioning "published" changes nothing to that.
    let noted = app
        .gql_as(
            Some(&owner),
            UPDATE_SERVICE,
            json!({ "input": { "id": w.other_service, "version": 3, "service": {
                "descriptionFr": "Sur rendez-vous \"published" } } }),
        )
        .await;
    assert_eq!(
        noted.data()["updateService"]["result"]["version"],
        4,
        "{:?}",
        noted.body
    );
    let refused = app
        .gql_as(Some(&owner), PUBLISH, json!({ "id": w.other_service }))
        .await;
    assert_eq!(refused.error_code(), Some("VALIDATION_FAILED"));
    assert_eq!(
        refused.body["errors"][0]["extensions"]["field"],
        "published"
    );
    assert!(
        refused.error_message().contains("basin_team"),
        "{}",
        refused.error_message()
    );
    let published = app
        .gql_as(Some(&w.admin), PUBLISH, json!({ "id": w.other_service }))
        .await;
    assert_eq!(
        published.data()["publishService"],
        json!({ "result": { "action": "UPDATED" }, "service": { "published": true } })
    );
}

/// A partner declares its organisation's KBO/BCE and NIHII numbers: check digits and
/// lengths verified with the field named; a number another organisation holds is
/// refused (it would take that organisation's upstream records); audited.
async fn organisation_identifiers_are_checked_and_never_taken(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    const SET: &str = "mutation($input: SetOrganisationIdentifiersInput!) {
        setOrganisationIdentifiers(input: $input) {
          result { action changedFields } organisation { identifiers { scheme value } } } }";
    let set = |kbo: Value, nihii: Value| json!({ "input": { "organisation": w.own, "kbo": kbo, "nihii": nihii } });
    let bad = app
        .gql_as(
            Some(&w.partner),
            SET,
            set(json!("0403.170.702"), json!("12-34")),
        )
        .await;
    let reasons: Vec<(&str, &str)> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["extensions"]["field"].as_str().unwrap(),
                e["extensions"]["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [("kbo", "invalid_kbo"), ("nihii", "invalid_nihii")]
    );

    let good = app
        .gql_as(
            Some(&w.partner),
            SET,
            set(json!("0403.170.701"), json!("1-23456-78-901")),
        )
        .await;
    let payload = &good.data()["setOrganisationIdentifiers"];
    assert_eq!(payload["result"]["changedFields"], json!(["kbo", "nihii"]));
    assert_eq!(
        payload["organisation"]["identifiers"],
        json!([{ "scheme": "kbo", "value": "0403170701" }, { "scheme": "nihii", "value": "12345678901" }])
    );
    // The same again: unchanged.
    let again = app
        .gql_as(Some(&w.partner), SET, set(json!("0403170701"), Value::Null))
        .await;
    assert_eq!(
        again.data()["setOrganisationIdentifiers"]["result"]["changedFields"],
        json!(["nihii"])
    );

    // Another partner's organisation may not claim it.
    let other = app
        .gql_as(
            Some(&w.admin),
            "{ organisations(filter: { text: \"scriptor other\" }) { edges { node { id } } } }",
            json!({}),
        )
        .await
        .data()["organisations"]["edges"][0]["node"]["id"]
        .clone();
    let other_partner = app.token(Role::Partner, &[number(&other)], None);
    let taken = app
        .gql_as(
            Some(&other_partner),
            SET,
            json!({ "input": { "organisation": other, "kbo": "0403170701" } }),
        )
        .await;
    assert_eq!(taken.body["errors"][0]["extensions"]["reason"], "taken");
    let forbidden = app
        .gql_as(
            Some(&other_partner),
            SET,
            set(json!("0876543270"), Value::Null),
        )
        .await;
    assert_eq!(forbidden.error_code(), Some("FORBIDDEN"));
}

both_backends!(
    organisation_identifiers_are_checked_and_never_taken,
    curation_stays_within_each_groups_scope,
    a_retried_mutation_is_written_once,
    a_bulk_upsert_is_idempotent_and_all_or_nothing,
    a_partner_edit_survives_the_next_sync,
    a_partner_keeps_its_own_listings_and_only_those,
    every_invalid_field_is_reported_with_its_path_and_nothing_is_written,
    concurrent_writers_lose_no_update,
);
