//! Helpdesk demand signals: a team logs needs and reads its own in full; a remark that
//! looks like personal data, or any invalid field, is refused and nothing is written;
//! summaries of every team's signals (GraphQL and the CSV export) suppress counts below
//! k = 5, and a team's own summary does not.

use entities::demand_signal;
use passerelle::auth::Role;
use passerelle_tests::{Backend, TestApp, both_backends, spawn_empty_app_with};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

const LOG: &str = "mutation($input: DemandSignalInput!) { logDemand(input: $input) { id team outcome remark categories { code } territory { code } } }";

async fn log(app: &TestApp, token: &str, input: Value) -> passerelle_tests::Gql {
    app.gql_as(Some(token), LOG, json!({ "input": input }))
        .await
}

fn need(category: &str, territory: &str, asked_on: &str, outcome: &str) -> Value {
    json!({ "categories": [category], "territory": territory, "askedOn": asked_on, "outcome": outcome })
}

async fn stored(app: &TestApp) -> u64 {
    demand_signal::Entity::find()
        .count(&app.state.db.conn)
        .await
        .unwrap()
}

async fn a_team_logs_needs_and_reads_its_own(backend: Backend) {
    let app = spawn_empty_app_with(backend, |_| {}).await;
    let nord = app.token(Role::BasinTeam, &[], Some("nord"));
    let zone = app.token(Role::ZonePartner, &[], None);
    let logged = log(
        &app,
        &nord,
        json!({ "categories": ["cpas", "debt_mediation"], "territory": "quartier:1", "languages": ["nl"],
                "askedOn": "2026-01-05", "outcome": "WAITING_LIST", "remark": "urgent logement_2025" }),
    )
    .await;
    let signal = &logged.data()["logDemand"];
    assert_eq!(signal["team"], "bassin:nord");
    assert_eq!(signal["outcome"], "WAITING_LIST");
    assert_eq!(signal["remark"], "urgent logement_2025");
    assert_eq!(
        signal["categories"],
        json!([{ "code": "cpas" }, { "code": "debt_mediation" }])
    );
    log(
        &app,
        &zone,
        need("cpas", "quartier:1", "2026-01-06", "NO_SERVICE"),
    )
    .await
    .data();
    let own = app
        .gql_as(
            Some(&nord),
            "{ demandSignals(from: \"2026-01-01\", to: \"2026-01-31\") { team askedOn languages } }",
            json!({}),
        )
        .await;
    assert_eq!(
        own.data()["demandSignals"],
        json!([{ "team": "bassin:nord", "askedOn": "2026-01-05", "languages": ["nl"] }])
    );
    // Pages of one: every signal once.
    log(
        &app,
        &nord,
        need("cpas", "quartier:1", "2026-01-07", "COST"),
    )
    .await
    .data();
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .gql_as(
                Some(&nord),
                "query($after: ID) { demandSignals(from: \"2026-01-01\", to: \"2026-01-31\", first: 1, after: $after) { id } }",
                json!({ "after": after }),
            )
            .await;
        let rows = page.data()["demandSignals"].as_array().unwrap().clone();
        let Some(last) = rows.last() else { break };
        after = last["id"].clone();
        seen.extend(rows);
    }
    assert_eq!(seen.len(), 2);
}

async fn personal_data_and_bad_fields_are_refused(backend: Backend) {
    let app = spawn_empty_app_with(backend, |_| {}).await;
    let nord = app.token(Role::BasinTeam, &[], Some("nord"));
    let base = need("cpas", "quartier:1", "2026-01-05", "NO_SERVICE");
    let with = |field: &str, value: Value| {
        let mut input = base.clone();
        input[field] = value;
        input
    };
    for (input, argument, says) in [
        (
            with("remark", json!("rappeler jean@example.be")),
            "input.remark",
            "e-mail",
        ),
        (
            with("remark", json!("tel 0475 12 34 56")),
            "input.remark",
            "phone",
        ),
        (
            with("remark", json!("nn 85.07.30-033.28")),
            "input.remark",
            "national register",
        ),
        (
            with("remark", json!("madame Dupont")),
            "input.remark",
            "capitals",
        ),
        (
            with("remark", json!("a b c d e f g")),
            "input.remark",
            "code words",
        ),
        (with("categories", json!([])), "input.categories", "1 to 10"),
        (
            with("categories", json!(["housing_x"])),
            "input.categories",
            "unknown",
        ),
        (
            with("territory", json!("quartier:999")),
            "input.territory",
            "",
        ),
        (
            with("askedOn", json!("2999-01-01")),
            "input.askedOn",
            "to today",
        ),
        (
            with("askedOn", json!("05/01/2026")),
            "input.askedOn",
            "not a date",
        ),
        (with("languages", json!(["dutch"])), "input.languages", ""),
        (
            with("outcome", json!("ORIENTED")),
            "input.service",
            "needs the service",
        ),
        (
            with("service", json!("U2VydmljZTox")),
            "input.service",
            "only an ORIENTED",
        ),
        (
            with("orientationRank", json!(3)),
            "input.orientationRank",
            "only an ORIENTED",
        ),
    ] {
        let answer = log(&app, &nord, input.clone()).await;
        assert_eq!(
            answer.error_code(),
            Some("BAD_USER_INPUT"),
            "{input}: {}",
            answer.body
        );
        assert_eq!(
            answer.body["errors"][0]["extensions"]["argument"], argument,
            "{input}"
        );
        assert!(
            answer.error_message().contains(says),
            "{input}: {}",
            answer.body
        );
        assert_eq!(stored(&app).await, 0, "{input}: something was written");
    }
}

/// Quartier 1 in January: 3 + 2 `NO_SERVICE` needs for `cpas` (two teams: 5 in all), 6
/// for `mental_health`; in February 2 for `cpas` (nord only); in March 7 `ORIENTED` and 2
/// `TOO_FAR` for `home_care`.
async fn signals(app: &TestApp) -> (String, String) {
    let nord = app.token(Role::BasinTeam, &[], Some("nord"));
    let zone = app.token(Role::ZonePartner, &[], None);
    let service = app
        .gql(
            "{ services(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let service = service.data()["services"]["edges"][0]["node"]["id"].clone();
    let mut inputs: Vec<(&str, Value)> = Vec::new();
    for _ in 0..3 {
        inputs.push((
            "nord",
            need("cpas", "quartier:1", "2026-01-10", "NO_SERVICE"),
        ));
    }
    for _ in 0..2 {
        inputs.push((
            "zone",
            need("cpas", "quartier:1", "2026-01-12", "NO_SERVICE"),
        ));
    }
    for _ in 0..6 {
        inputs.push((
            "nord",
            need("mental_health", "quartier:1", "2026-01-20", "NO_SERVICE"),
        ));
    }
    for _ in 0..2 {
        inputs.push((
            "nord",
            need("cpas", "quartier:1", "2026-02-03", "NO_SERVICE"),
        ));
    }
    for _ in 0..7 {
        let mut oriented = need("home_care", "quartier:1", "2026-03-03", "ORIENTED");
        oriented["service"] = service.clone();
        inputs.push(("nord", oriented));
    }
    for _ in 0..2 {
        inputs.push((
            "nord",
            need("home_care", "quartier:1", "2026-03-04", "TOO_FAR"),
        ));
    }
    for (team, input) in inputs {
        let token = if team == "nord" { &nord } else { &zone };
        log(app, token, input).await.data();
    }
    (nord, zone)
}

const SUMMARY: &str = "query($scope: DemandScope) {
  demandSummary(territory: \"bassin:centre-ouest\", from: \"2026-01-01\", to: \"2026-03-31\", scope: $scope) {
    territory { code } category { code } month total unmet suppressed counts { outcome count }
  }
}";

fn cell<'a>(cells: &'a Value, category: &str, month: &str) -> &'a Value {
    cells
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"]["code"] == category && c["month"] == month)
        .unwrap_or_else(|| panic!("no {category} {month} in {cells}"))
}

fn count(cell: &Value, outcome: &str) -> Value {
    cell["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["outcome"] == outcome)
        .unwrap()["count"]
        .clone()
}

async fn small_counts_are_suppressed_outside_the_team(backend: Backend) {
    let app = passerelle_tests::spawn_app(backend).await;
    let (nord, zone) = signals(&app).await;
    let admin = app.token(Role::Admin, &[], None);

    // Every team's, as a council (an administrator's token) sees them.
    let all = app
        .gql_as(Some(&admin), SUMMARY, json!({ "scope": "ALL" }))
        .await;
    let cells = &all.data()["demandSummary"];
    let january = cell(cells, "cpas", "2026-01");
    assert_eq!(january["territory"]["code"], "quartier:1");
    assert_eq!(
        (count(january, "NO_SERVICE"), &january["total"]),
        (json!(5), &json!(5))
    );
    assert_eq!(january["suppressed"], false);
    assert_eq!(cell(cells, "mental_health", "2026-01")["unmet"], 6);
    let february = cell(cells, "cpas", "2026-02");
    assert_eq!(count(february, "NO_SERVICE"), Value::Null);
    assert_eq!(
        (&february["total"], &february["unmet"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(february["suppressed"], true);
    // 7 oriented are shown; 2 too far are not, nor the totals they would reveal.
    let march = cell(cells, "home_care", "2026-03");
    assert_eq!(count(march, "ORIENTED"), 7);
    assert_eq!(count(march, "TOO_FAR"), Value::Null);
    assert_eq!(
        (&march["total"], &march["unmet"]),
        (&Value::Null, &Value::Null)
    );
    // A basin team reading every team's: the same, and more. January's 5 are nord's 3
    // and the zone's 2; nord, seeing its 3 in full, would learn the zone's 2.
    let as_team = app
        .gql_as(Some(&nord), SUMMARY, json!({ "scope": "ALL" }))
        .await;
    let team_cells = &as_team.data()["demandSummary"];
    let january_for_nord = cell(team_cells, "cpas", "2026-01");
    assert_eq!(count(january_for_nord, "NO_SERVICE"), Value::Null);
    assert_eq!(january_for_nord["suppressed"], true);
    // Its own 6 alone make the mental-health cell: nothing of another team to reveal.
    assert_eq!(cell(team_cells, "mental_health", "2026-01")["unmet"], 6);
    // Periods are whole months: a day less does not isolate a day's signals.
    let shifted = app
        .gql_as(
            Some(&admin),
            &SUMMARY
                .replace("2026-01-01", "2026-01-11")
                .replace("2026-03-31", "2026-03-03"),
            json!({ "scope": "ALL" }),
        )
        .await;
    assert_eq!(shifted.data()["demandSummary"], *cells);

    // Its own, in full: nord's 3 in January (not the zone's 2), its 2 in February.
    let own = app
        .gql_as(Some(&nord), SUMMARY, json!({ "scope": "OWN" }))
        .await;
    let own = &own.data()["demandSummary"];
    assert_eq!(count(cell(own, "cpas", "2026-01"), "NO_SERVICE"), 3);
    let february = cell(own, "cpas", "2026-02");
    assert_eq!(
        (count(february, "NO_SERVICE"), &february["suppressed"]),
        (json!(2), &json!(false))
    );
    assert_eq!(cell(own, "home_care", "2026-03")["unmet"], 2);
    let zone_own = app
        .gql_as(Some(&zone), SUMMARY, json!({ "scope": "OWN" }))
        .await;
    assert_eq!(
        zone_own.data()["demandSummary"].as_array().unwrap().len(),
        1
    );

    // The CSV export: the same cells, the same suppression.
    let csv = |token: &str, scope: &str| {
        let request = app
            .client
            .get(format!(
                "{}/exports/demand.csv?territory=bassin:centre-ouest&from=2026-01-01&to=2026-03-31&scope={scope}",
                app.url
            ))
            .bearer_auth(token);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            assert_eq!(
                response.headers()["content-type"],
                "text/csv; charset=utf-8"
            );
            response.text().await.unwrap()
        }
    };
    let text = csv(&admin, "all").await;
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "territory,territory_name_fr,territory_name_nl,category,month,oriented,no_service,too_far,waiting_list,language,cost,total,unmet,suppressed"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows.contains(&"quartier:1,Grand-Place,Grote Markt,cpas,2026-01,0,5,0,0,0,0,5,5,false"),
        "{text}"
    );
    assert!(
        rows.contains(&"quartier:1,Grand-Place,Grote Markt,cpas,2026-02,0,,0,0,0,0,,,true"),
        "{text}"
    );
    assert!(
        rows.contains(&"quartier:1,Grand-Place,Grote Markt,home_care,2026-03,7,0,,0,0,0,,,true"),
        "{text}"
    );
    let own_csv = csv(&nord, "own").await;
    assert!(
        own_csv.contains("quartier:1,Grand-Place,Grote Markt,cpas,2026-02,0,2,0,0,0,0,2,2,false"),
        "{own_csv}"
    );
    // Without a token, or for a partner: refused.
    let anonymous = app
        .client
        .get(format!(
            "{}/exports/demand.csv?territory=region:bru&from=2026-01-01&to=2026-03-31",
            app.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let partner = app.token(Role::Partner, &[1], None);
    assert_eq!(csv_status(&app, &partner).await, 403);

    // The GeoJSON export: quartier 1's boundary with the same cells.
    let map: Value = app
        .client
        .get(format!(
            "{}/exports/demand.geojson?territory=bassin:centre-ouest&from=2026-01-01&to=2026-03-31",
            app.url
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let feature = &map["features"][0];
    assert_eq!(feature["id"], "quartier:1");
    assert_eq!(feature["geometry"]["type"], "MultiPolygon");
    let cells = feature["properties"]["cells"].as_array().unwrap();
    let february = cells
        .iter()
        .find(|c| c["category"] == "cpas" && c["month"] == "2026-02")
        .unwrap();
    assert_eq!(february["counts"]["no_service"], Value::Null);
    assert_eq!(february["suppressed"], true);
    // The council's cells carry the coverage of the category's basic-offer entries.
    let crossed = app
        .gql_as(
            Some(&admin),
            "{ demandSummary(territory: \"quartier:1\", from: \"2026-01-01\", to: \"2026-01-31\") { category { code } coverage { offer { scale } status } } }",
            json!({}),
        )
        .await;
    let mental = crossed.data()["demandSummary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"]["code"] == "mental_health")
        .unwrap()
        .clone();
    assert_eq!(mental["coverage"][0]["offer"]["scale"], "QUARTIER");
    assert!(mental["coverage"][0]["status"].is_string(), "{mental}");
}

async fn csv_status(app: &TestApp, token: &str) -> u16 {
    app.client
        .get(format!(
            "{}/exports/demand.csv?territory=region:bru&from=2026-01-01&to=2026-03-31",
            app.url
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

both_backends!(
    a_team_logs_needs_and_reads_its_own,
    personal_data_and_bad_fields_are_refused,
    small_counts_are_suppressed_outside_the_team,
);
