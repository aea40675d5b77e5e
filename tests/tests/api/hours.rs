//! Opening hours in queries: `openAt` reads a weekly schedule on Brussels clocks, across
//! the summer-time changes, closed on public holidays where a place's remark says so;
//! `openNow` and `nextOpening` on services and their places.

use passerelle::auth::Role;
use passerelle_tests::{Backend, both_backends, fixture, spawn_app};
use serde_json::json;

async fn open_at_follows_brussels_clocks_and_holidays(backend: Backend) {
    let app = spawn_app(backend).await;
    let synced = fixture::sync_hsds(
        &app,
        "hours",
        "fr",
        &[fixture::hsds_service(
            "h-1",
            ("hours-org", "ASBL Horaires", None),
            "Permanence existante",
            (50.8671, 4.3729),
            "housing",
            "2026-01-01T00:00:00Z",
        )],
    )
    .await;
    let organisation = passerelle::domain::GlobalId::new(
        passerelle::domain::Kind::Organisation,
        synced.organisations["hours-org"],
    )
    .to_string();
    let partner = app.token(Role::Partner, &[synced.organisations["hours-org"]], None);
    let site = app
        .gql_as(
            Some(&partner),
            "mutation($input: CreateSiteInput!) { createSite(input: $input) { site { id } } }",
            json!({ "input": { "organisation": organisation, "site": {
                "streetFr": "Rue Gallait", "houseNumber": "10", "postcode": "1030" } } }),
        )
        .await;
    let site = site.data()["createSite"]["site"]["id"].clone();
    let created = app
        .gql_as(
            Some(&partner),
            "mutation($input: CreateServiceInput!) { createService(input: $input) {
               service { openNow nextOpening sites { openNow nextOpening } } } }",
            json!({ "input": { "organisation": organisation, "service": {
                "nameFr": "Guichet Zéphyrin", "categories": ["housing"],
                "locations": [{ "site": site, "scheduleRemarkFr": "Fermé les jours fériés",
                  "schedule": [{ "weekday": 1, "opens": "09:00", "closes": "17:00" }] }] } } }),
        )
        .await;
    let service = &created.data()["createService"]["service"];
    assert!(service["openNow"].is_boolean(), "{service}");
    assert!(service["nextOpening"].is_string(), "{service}");
    assert_eq!(service["sites"][0]["openNow"], service["openNow"]);

    let open_at = |at: &str| {
        let app = &app;
        let at = at.to_owned();
        async move {
            let found = app
                .gql(
                    "query($at: DateTime) { services(filter: { text: \"zephyrin\", openAt: $at }) { totalCount } }",
                    json!({ "at": at }),
                )
                .await;
            found.data()["services"]["totalCount"].as_i64().unwrap()
        }
    };
    // Monday 09:30 in winter is 08:30 UTC; in summer 07:30 UTC.
    assert_eq!(open_at("2026-03-23T07:30:00Z").await, 0, "08:30 CET");
    assert_eq!(open_at("2026-03-23T08:30:00Z").await, 1, "09:30 CET");
    assert_eq!(open_at("2026-03-30T07:30:00Z").await, 1, "09:30 CEST");
    assert_eq!(open_at("2026-10-26T07:30:00Z").await, 0, "08:30 CET again");
    assert_eq!(open_at("2026-03-24T08:30:00Z").await, 0, "a Tuesday");
    // Easter Monday: closed, as its remark says.
    assert_eq!(open_at("2026-04-06T08:30:00Z").await, 0, "Easter Monday");
    assert_eq!(open_at("2026-04-13T08:30:00Z").await, 1, "the Monday after");
    // The offset is the client's: 09:30 CEST written as such.
    assert_eq!(
        open_at("2026-03-30T09:30:00+02:00").await,
        1,
        "09:30 CEST, with offset"
    );
    // A malformed instant is refused before the operation runs, in a literal or a
    // variable, naming where it is; as is one in any other `DateTime` argument.
    let literal = app
        .gql(
            "query { services(filter: { openAt: \"lundi matin\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(literal.error_code(), Some("GRAPHQL_VALIDATION_FAILED"));
    assert!(literal.body["data"].is_null(), "{:?}", literal.body);
    assert!(
        literal.error_message().contains("filter.openAt"),
        "{}",
        literal.error_message()
    );
    let variable = app
        .gql(
            "query($at: DateTime) { services(filter: { openAt: $at }) { totalCount } }",
            json!({ "at": "2026-03-30 25:00" }),
        )
        .await;
    assert_eq!(variable.error_code(), Some("GRAPHQL_VALIDATION_FAILED"));
    assert!(
        variable.error_message().contains("$at"),
        "{}",
        variable.error_message()
    );
    let admin = app.token(Role::Admin, &[], None);
    let audit = app
        .gql_as(
            Some(&admin),
            "query { auditTrail(filter: { since: \"hier\" }) { pageInfo { hasNextPage } } }",
            json!({}),
        )
        .await;
    assert_eq!(audit.error_code(), Some("GRAPHQL_VALIDATION_FAILED"));
    assert!(
        audit.error_message().contains("filter.since"),
        "{}",
        audit.error_message()
    );
}

both_backends!(open_at_follows_brussels_clocks_and_holidays);
