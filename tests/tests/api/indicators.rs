//! Territory indicators: `passerelle import indicators FILE` reads an observatory's CSV
//! (either separator, decimal commas, a byte-order mark, bare quartier and NIS codes),
//! writes it in one transaction, replaces a value of the same territory, indicator and
//! year, and shows it on `Territory.indicators`; a file with an unknown territory, mixed
//! units, a unit other than the stored one, a value that is not a number, a missing
//! column or a repeated line is refused whole, each problem naming its line and column,
//! and nothing is written.

use entities::territory_indicator;
use passerelle::indicators::{ImportError, import};
use passerelle_tests::{Backend, TestApp, both_backends, process, spawn_empty_app_with};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

const INDICATORS: &str = "query($code: String!) {
  territory(code: $code) { indicators { key year value unit source } }
}";

async fn indicators(app: &TestApp, code: &str) -> Value {
    app.gql(INDICATORS, json!({ "code": code })).await.data()["territory"]["indicators"].clone()
}

async fn stored(app: &TestApp) -> u64 {
    territory_indicator::Entity::find()
        .count(&app.state.db.conn)
        .await
        .unwrap()
}

fn file(text: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let path = std::env::temp_dir().join(format!(
        "indicators-test-{}-{}.csv",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, text).unwrap();
    path
}

async fn cli(app: &TestApp, text: &str) -> std::process::Output {
    let path = file(text);
    let output = process::run(
        app.state.config.database.url.expose(),
        "",
        &["import", "indicators", path.to_str().unwrap()],
    )
    .await;
    let _ = std::fs::remove_file(path);
    output
}

async fn an_observatory_export_is_imported_and_shown(backend: Backend) {
    let app = spawn_empty_app_with(backend, |_| {}).await;
    // As an observatory exports it: `;`, decimal commas, a byte-order mark, bare codes,
    // a secret cell, a column passerelle does not read.
    let output = cli(
        &app,
        "\u{feff}Territory;Name;Indicator;Year;Value;Unit;Source\n\
         87;Reyers;population;2023;11.482;inhabitants;IBSA, Monitoring des Quartiers\n\
         87;Reyers;poverty_risk_rate;2021;31,5;%;Observatoire de la Santé et du Social\n\
         21015;Schaerbeek;poverty_risk_rate;2021;33,1;%;Observatoire de la Santé et du Social\n\
         88;Helmet;poverty_risk_rate;2021;n.d.;%;Observatoire de la Santé et du Social\n",
    )
    .await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("3 value(s) written (0 replaced), 1 line(s) without a value skipped"),
        "{stdout}"
    );
    assert_eq!(
        indicators(&app, "quartier:87").await,
        json!([
            { "key": "population", "year": 2023, "value": 11482.0, "unit": "inhabitants", "source": "IBSA, Monitoring des Quartiers" },
            { "key": "poverty_risk_rate", "year": 2021, "value": 31.5, "unit": "%", "source": "Observatoire de la Santé et du Social" },
        ])
    );
    assert_eq!(indicators(&app, "quartier:88").await, json!([]));
    assert_eq!(
        indicators(&app, "commune:21015").await[0]["value"],
        json!(33.1)
    );

    // Another year is added; the same year is replaced.
    let again = import(
        &app.state.db.conn,
        &app.state.reference,
        "territory,indicator,year,value,unit,source\n\
         quartier:87,population,2024,11600,inhabitants,IBSA\n\
         quartier:87,poverty_risk_rate,2021,30.9,%,OSS\n",
    )
    .await
    .unwrap();
    assert_eq!((again.values, again.replaced), (2, 1));
    let now = indicators(&app, "quartier:87").await;
    let years: Vec<(&str, i64, f64)> = now
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap(),
                i["year"].as_i64().unwrap(),
                i["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        years,
        vec![
            ("population", 2024, 11600.0),
            ("population", 2023, 11482.0),
            ("poverty_risk_rate", 2021, 30.9),
        ]
    );
    // `keys` picks.
    let picked = app
        .gql(
            "{ territory(code: \"quartier:87\") { indicators(keys: [\"poverty_risk_rate\"]) { value } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        picked.data()["territory"]["indicators"],
        json!([{ "value": 30.9 }])
    );
}

async fn a_bad_file_is_refused_whole(backend: Backend) {
    let app = spawn_empty_app_with(backend, |_| {}).await;
    import(
        &app.state.db.conn,
        &app.state.reference,
        "territory,indicator,year,value,unit,source\nquartier:87,median_income,2021,19500,EUR,Statbel\n",
    )
    .await
    .unwrap();
    let before = stored(&app).await;
    let header = "territory,indicator,year,value,unit,source\n";
    let good = "quartier:1,population,2023,4000,inhabitants,IBSA\n";
    for (body, line, field, says) in [
        (
            "quartier:999,population,2023,10,inhabitants,IBSA\n",
            3,
            "territory",
            "unknown territory \"quartier:999\"",
        ),
        (
            "21099,population,2023,10,inhabitants,IBSA\n",
            3,
            "territory",
            "unknown territory \"21099\"",
        ),
        (
            "quartier:2,population,2023,many,inhabitants,IBSA\n",
            3,
            "value",
            "\"many\" is not a number",
        ),
        (
            "quartier:2,population,23rd,10,inhabitants,IBSA\n",
            3,
            "year",
            "is not a year",
        ),
        (
            "quartier:2,Population Totale,2023,10,inhabitants,IBSA\n",
            3,
            "indicator",
            "is not a key",
        ),
        (
            "quartier:2,population,2023,10,people,IBSA\n",
            3,
            "unit",
            "population is counted in inhabitants",
        ),
        (
            "quartier:2,population,2023,-5,inhabitants,IBSA\n",
            3,
            "value",
            "a whole number",
        ),
        (
            "quartier:2,population,2023,10.5,inhabitants,IBSA\n",
            3,
            "value",
            "a whole number",
        ),
        // Blank lines count: the line is the file's.
        (
            "\n\nquartier:999,population,2023,10,inhabitants,IBSA\n",
            5,
            "territory",
            "unknown territory",
        ),
        (
            "quartier:2,population,2023,10,inhabitants,\n",
            3,
            "source",
            "empty",
        ),
        (
            "quartier:1,population,2023,4100,inhabitants,IBSA\n",
            3,
            "territory",
            "already on line 2",
        ),
        (
            "quartier:2,share_65_plus,2023,12,%,IBSA\nquartier:3,share_65_plus,2023,0.12,ratio,IBSA\n",
            4,
            "unit",
            "one unit per indicator",
        ),
        // The stored unit is EUR.
        (
            "quartier:2,median_income,2021,19,kEUR,Statbel\n",
            3,
            "unit",
            "stored in \"EUR\"",
        ),
    ] {
        let text = format!("{header}{good}{body}");
        let Err(ImportError::Refused(problems)) =
            import(&app.state.db.conn, &app.state.reference, &text).await
        else {
            panic!("accepted: {body}");
        };
        assert!(
            problems
                .iter()
                .any(|p| p.line == line && p.field == field && p.message.contains(says)),
            "{body}: {problems:?}"
        );
        assert_eq!(stored(&app).await, before, "{body}: something was written");
    }
    // A missing column, named.
    let Err(ImportError::Refused(problems)) = import(
        &app.state.db.conn,
        &app.state.reference,
        "territory,indicator,year,value,source\nquartier:1,population,2023,4000,IBSA\n",
    )
    .await
    else {
        panic!("a file without units was accepted");
    };
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.line, p.field))
            .collect::<Vec<_>>(),
        vec![(1, "unit")]
    );

    // From the command line: a non-zero exit, one readable line per problem.
    let output = cli(
        &app,
        "territory,indicator,year,value,unit,source\nquartier:999,population,2023,10,inhabitants,IBSA\nquartier:1,population,2023,lots,inhabitants,IBSA\n",
    )
    .await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 2, territory: unknown territory \"quartier:999\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 3, value: \"lots\" is not a number"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 problem(s); nothing was written"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stored(&app).await, before);
    let missing = process::run(
        app.state.config.database.url.expose(),
        "",
        &["import", "indicators", "/nonexistent/indicators.csv"],
    )
    .await;
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("/nonexistent/indicators.csv: No such file"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

both_backends!(
    an_observatory_export_is_imported_and_shown,
    a_bad_file_is_refused_whole
);
