//! Helpdesk orientation on hand-checked cases: three medical houses synced by the HSDS
//! connector, each need ranked as `docs/orientation.md` says, with the reasons.
//!
//! The places, checked by hand (`resolvePoint`, great-circle distances):
//! - `GRAND_PLACE` (quartier 1, bassin Centre-Ouest): "near-fr", French, free, open access,
//!   weekdays 9:00–17:00, for everyone;
//! - `ANNEESSENS` (quartier 10, Centre-Ouest), 559 m from `GRAND_PLACE`: "next-nl", Dutch,
//!   income-based, Mondays 16:00–20:00, for young people ("jongeren");
//! - `WATERMAEL` (quartier 104, bassin Sud), 6,841 m from `GRAND_PLACE`: "far-nl", Dutch,
//!   free, weekdays 9:00–17:00, no stated public.
//!
//! An inactive medical house and a family-planning centre at `GRAND_PLACE` are never
//! proposed for a medical house.

use passerelle::auth::Role;
use passerelle_tests::{Backend, TestApp, both_backends, fixture, spawn_empty_app_with};
use serde_json::{Value, json};

const GRAND_PLACE: (f64, f64) = (50.8467, 4.3525);
const ANNEESSENS: (f64, f64) = (50.8450, 4.3450);
const WATERMAEL: (f64, f64) = (50.7990, 4.4140);

fn service(id: &str, category: &str, point: (f64, f64), change: impl FnOnce(&mut Value)) -> Value {
    let mut service = fixture::hsds_service(
        id,
        (&format!("org-{id}"), &format!("ASBL {id}"), None),
        &format!("Maison {id}"),
        point,
        category,
        "2026-01-01T00:00:00Z",
    );
    change(&mut service);
    service
}

async fn dataset(backend: Backend) -> (TestApp, fixture::Synced) {
    let app = spawn_empty_app_with(backend, |_| {}).await;
    let services = vec![
        service("near-fr", "medical_house", GRAND_PLACE, |s| {
            s["fees_description"] = json!("Gratuit");
            s["application_process"] = json!("Accès libre");
            s["eligibility_description"] = json!("Tout public");
        }),
        service("next-nl", "medical_house", ANNEESSENS, |s| {
            s["languages"] = json!([{ "id": "l", "code": "nl", "name": "Dutch" }]);
            s["fees_description"] = json!("Selon les revenus");
            s["eligibility_description"] = json!("Jongeren en jongvolwassenen");
            s["service_at_locations"][0]["schedules"] =
                json!([{ "id": "s", "byday": "MO", "opens_at": "16:00", "closes_at": "20:00" }]);
        }),
        service("far-nl", "medical_house", WATERMAEL, |s| {
            s["languages"] = json!([{ "id": "l", "code": "nl", "name": "Dutch" }]);
            s["fees_description"] = json!("Gratuit");
        }),
        service("closed", "medical_house", GRAND_PLACE, |s| {
            s["status"] = json!("inactive");
        }),
        service("planning", "family_planning", GRAND_PLACE, |_| {}),
    ];
    let synced = fixture::sync_hsds(&app, "orient", "fr", &services).await;
    (app, synced)
}

const ORIENT: &str = "query($need: OrientationNeed!, $first: Int, $lang: Lang) {
  orient(need: $need, first: $first, lang: $lang) {
    rank distanceMetres walkingMinutes fails
    service { id }
    reasons { criterion outcome detail explanation }
  }
}";

/// The proposals' upstream ids in rank order, and the answer.
async fn orient(
    app: &TestApp,
    synced: &fixture::Synced,
    token: Option<&str>,
    need: Value,
) -> (Vec<String>, Value) {
    let answer = app
        .gql_as(token, ORIENT, json!({ "need": need, "lang": "FR" }))
        .await;
    let proposals = answer.data()["orient"].clone();
    let names = proposals
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let id = p["service"]["id"].as_str().unwrap();
            synced
                .services
                .iter()
                .find(|(_, row)| {
                    passerelle::domain::GlobalId::new(passerelle::domain::Kind::Service, **row)
                        .to_string()
                        == id
                })
                .map(|(upstream, _)| upstream.clone())
                .unwrap()
        })
        .collect();
    (names, proposals)
}

fn reason<'a>(proposal: &'a Value, criterion: &str) -> &'a Value {
    proposal["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["criterion"] == criterion)
        .unwrap_or_else(|| panic!("no {criterion} in {proposal}"))
}

async fn needs_are_ranked_with_their_reasons(backend: Backend) {
    let (app, synced) = dataset(backend).await;
    let at = json!({ "lat": GRAND_PLACE.0, "lon": GRAND_PLACE.1 });

    // A place alone: nearest first, within the bassin before outside it; nothing fails.
    let (order, proposals) = orient(
        &app,
        &synced,
        None,
        json!({ "categories": ["medical_house"], "place": at }),
    )
    .await;
    assert_eq!(order, ["near-fr", "next-nl", "far-nl"]);
    assert_eq!(proposals[0]["distanceMetres"], 0);
    assert_eq!(proposals[1]["distanceMetres"], 559);
    // 559 m × 1.3 at 75 m a minute: 9.7, so 10 minutes.
    assert_eq!(proposals[1]["walkingMinutes"], 10);
    assert_eq!(proposals[2]["distanceMetres"], 6841);
    let outside = reason(&proposals[2], "BASSIN");
    assert_eq!(outside["outcome"], "FAILED");
    assert_eq!(outside["detail"], "bassin:centre-ouest");
    assert_eq!(outside["explanation"], "Hors du bassin");
    // The bassin is a preference: it never fails a service.
    assert_eq!(proposals[2]["fails"], json!([]));
    assert_eq!(
        proposals
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["rank"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );

    // Dutch and free: only "far-nl" meets both, so it comes first despite 6.8 km; then the
    // two that fail one, the nearest first.
    let (order, proposals) = orient(
        &app,
        &synced,
        None,
        json!({ "categories": ["medical_house"], "place": at, "languages": ["nl"], "freeOnly": true }),
    )
    .await;
    assert_eq!(order, ["far-nl", "near-fr", "next-nl"]);
    assert_eq!(proposals[0]["fails"], json!([]));
    assert_eq!(proposals[1]["fails"], json!(["LANGUAGE"]));
    assert_eq!(reason(&proposals[1], "LANGUAGE")["detail"], "fr");
    assert_eq!(proposals[2]["fails"], json!(["FEE"]));
    let fee = reason(&proposals[2], "FEE");
    assert_eq!(
        (&fee["outcome"], &fee["detail"]),
        (&json!("FAILED"), &json!("income_based"))
    );
    assert_eq!(fee["explanation"], "Payant");

    // Monday 7 December 2026 at 19:00 in Brussels: only "next-nl" is open.
    let (order, proposals) = orient(
        &app,
        &synced,
        None,
        json!({ "categories": ["medical_house"], "place": at, "openAt": "2026-12-07T19:00:00+01:00" }),
    )
    .await;
    assert_eq!(order, ["next-nl", "near-fr", "far-nl"]);
    assert_eq!(reason(&proposals[0], "OPEN_AT")["outcome"], "MET");
    let closed = reason(&proposals[1], "OPEN_AT");
    assert_eq!(closed["outcome"], "FAILED");
    // It opens next on Tuesday at 9:00 (8:00 UTC).
    assert_eq!(closed["detail"], "2026-12-08T08:00:00+00:00");

    // Young people: "next-nl" is for them, "near-fr" for everyone, "far-nl" does not say.
    let (order, proposals) = orient(
        &app,
        &synced,
        None,
        json!({ "categories": ["medical_house"], "place": at, "publics": ["Jongeren"] }),
    )
    .await;
    assert_eq!(order, ["near-fr", "next-nl", "far-nl"]);
    assert_eq!(reason(&proposals[0], "PUBLIC")["outcome"], "MET");
    assert_eq!(reason(&proposals[1], "PUBLIC")["outcome"], "MET");
    assert_eq!(reason(&proposals[2], "PUBLIC")["outcome"], "UNKNOWN");
    // Older people: "next-nl" is for another public and comes last.
    let (order, _) = orient(
        &app,
        &synced,
        None,
        json!({ "categories": ["medical_house"], "place": at, "publics": ["personnes âgées"] }),
    )
    .await;
    assert_eq!(order, ["near-fr", "far-nl", "next-nl"]);

    // No referral: all three are open access.
    let (_, proposals) = orient(
        &app,
        &synced,
        None,
        json!({ "categories": ["medical_house"], "noReferral": true }),
    )
    .await;
    assert!(
        proposals
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["fails"] == json!([]))
    );

    // A territory without a place: its own services first, and its bassin. (Watermael-
    // Boitsfort lies wholly in the Sud; quartier 104 straddles it and Auderghem, and the
    // quartier-to-bassin table puts it in the Sud-Est.)
    let (order, proposals) = orient(
        &app,
        &synced,
        None,
        json!({ "categories": ["medical_house"], "territory": "commune:21017" }),
    )
    .await;
    assert_eq!(order[0], "far-nl");
    assert_eq!(reason(&proposals[0], "TERRITORY")["outcome"], "MET");
    assert_eq!(reason(&proposals[0], "BASSIN")["detail"], "bassin:sud");
    assert_eq!(proposals[0]["distanceMetres"], Value::Null);
    assert_eq!(proposals[1]["fails"], json!(["TERRITORY"]));

    // A basin team of the Sud with no place: its own bassin first.
    let team = app.token(Role::BasinTeam, &[], Some("sud"));
    let (order, _) = orient(
        &app,
        &synced,
        Some(&team),
        json!({ "categories": ["medical_house"] }),
    )
    .await;
    assert_eq!(order[0], "far-nl");
    // The public without a place: by id, no bassin.
    let (order, proposals) = orient(
        &app,
        &synced,
        None,
        json!({ "categories": ["medical_house"] }),
    )
    .await;
    let mut by_id = vec!["near-fr", "next-nl", "far-nl"];
    by_id.sort_by_key(|name| synced.services[*name]);
    assert_eq!(order, by_id);
    assert_eq!(proposals[0]["reasons"], json!([]));

    // In Dutch.
    let answer = app
        .gql(
            ORIENT,
            json!({ "need": { "categories": ["medical_house"], "freeOnly": true }, "lang": "NL", "first": 1 }),
        )
        .await;
    let first = &answer.data()["orient"];
    assert_eq!(first.as_array().unwrap().len(), 1);
    assert_eq!(reason(&first[0], "FEE")["explanation"], "Gratis");
}

async fn a_bad_need_names_its_argument(backend: Backend) {
    let (app, _) = dataset(backend).await;
    for (need, first, argument) in [
        (json!({ "categories": [] }), json!(null), "need.categories"),
        (
            json!({ "categories": ["no_such"] }),
            json!(null),
            "need.categories",
        ),
        (
            json!({ "categories": ["cpas"], "place": { "lat": 200, "lon": 4.3 } }),
            json!(null),
            "need.place",
        ),
        (
            json!({ "categories": ["cpas"], "territory": "quartier:999" }),
            json!(null),
            "need.territory",
        ),
        (
            json!({ "categories": ["cpas"], "languages": ["dutch"] }),
            json!(null),
            "need.languages",
        ),
        (
            json!({ "categories": ["cpas"], "publics": [] }),
            json!(null),
            "need.publics",
        ),
        (
            json!({ "categories": ["cpas"], "publics": ["x".repeat(101)] }),
            json!(null),
            "need.publics",
        ),
        (json!({ "categories": ["cpas"] }), json!(0), "first"),
        (json!({ "categories": ["cpas"] }), json!(51), "first"),
    ] {
        let answer = app
            .gql(ORIENT, json!({ "need": need, "first": first }))
            .await;
        assert_eq!(
            answer.error_code(),
            Some("BAD_USER_INPUT"),
            "{}",
            answer.body
        );
        assert_eq!(
            answer.body["errors"][0]["extensions"]["argument"], argument,
            "{}",
            answer.body
        );
    }
}

both_backends!(
    needs_are_ranked_with_their_reasons,
    a_bad_need_names_its_argument
);
