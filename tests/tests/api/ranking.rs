//! Relevance-ranked text search and the orders of `services`, on a small hand-made
//! directory synced by the HSDS connector (French and Dutch sources): a name match before
//! a description match, a typo still found, French and Dutch stems, pages in each order
//! that follow on from one another, and the refusals.

use passerelle_tests::{Backend, TestApp, both_backends, fixture, spawn_empty_app_with};
use serde_json::{Value, json};

const HERE: (f64, f64) = (50.8467, 4.3525);

fn service(id: &str, name: &str, description: &str, category: &str) -> Value {
    let mut service = fixture::hsds_service(
        id,
        (&format!("org-{id}"), &format!("ASBL {id}"), None),
        name,
        HERE,
        category,
        "2026-01-01T00:00:00Z",
    );
    service["description"] = json!(description);
    service
}

async fn directory(backend: Backend) -> TestApp {
    let app = spawn_empty_app_with(backend, |_| {}).await;
    fixture::sync_hsds(
        &app,
        "ranking-fr",
        "fr",
        &[
            service(
                "planning",
                "Centre de planning familial Les Marolles",
                "Contraception, dépistage, accompagnement.",
                "family_planning.centre",
            ),
            service(
                "medical",
                "Maison médicale du Nord",
                "Soins de première ligne; orientation vers un planning familial.",
                "medical_house",
            ),
            service(
                "mental",
                "Service de santé mentale Le Méridien",
                "Consultations psychologiques pour adultes.",
                "mental_health.centre",
            ),
        ],
    )
    .await;
    fixture::sync_hsds(
        &app,
        "ranking-nl",
        "nl",
        &[
            service(
                "addiction",
                "Centrum voor verslaving De Brug",
                "Ambulante begeleiding.",
                "addiction.outpatient",
            ),
            service(
                "debt",
                "Schuldbemiddeling Brussel",
                "Hulp bij schulden en budgetbegeleiding.",
                "debt_mediation",
            ),
        ],
    )
    .await;
    app
}

const SEARCH: &str =
    "query($filter: ServiceFilter, $order: ServiceOrder, $first: Int, $after: String) {
  services(filter: $filter, orderBy: $order, first: $first, after: $after, lang: FR) {
    totalCount
    edges { cursor node { name } }
    pageInfo { hasNextPage endCursor }
  }
}";

async fn names(app: &TestApp, filter: Value, order: Value) -> Vec<String> {
    let answer = app
        .gql(
            SEARCH,
            json!({ "filter": filter, "order": order, "first": 50 }),
        )
        .await;
    answer.data()["services"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn text_is_ranked_by_relevance(backend: Backend) {
    let app = directory(backend).await;
    // In a name before in a description, whatever the ids.
    let planning = names(&app, json!({ "text": "planning" }), json!(null)).await;
    assert_eq!(
        planning,
        [
            "Centre de planning familial Les Marolles",
            "Maison médicale du Nord"
        ]
    );
    // A typo (two letters swapped) still finds it, and first.
    let typo = names(&app, json!({ "text": "plannnig familial" }), json!(null)).await;
    assert_eq!(
        typo.first().map(String::as_str),
        Some("Centre de planning familial Les Marolles")
    );
    // French stems: "maisons médicales" finds "Maison médicale".
    let plural = names(&app, json!({ "text": "maisons médicales" }), json!(null)).await;
    assert_eq!(plural, ["Maison médicale du Nord"]);
    // Dutch stems: "verslavingen" finds "verslaving".
    let dutch = names(&app, json!({ "text": "verslavingen" }), json!(null)).await;
    assert_eq!(dutch, ["Centrum voor verslaving De Brug"]);
    // A category's label counts more than a description: "santé mentale" is the mental
    // health centre's category and name, nothing else's.
    let mental = names(&app, json!({ "text": "sante mentale" }), json!(null)).await;
    assert_eq!(mental, ["Service de santé mentale Le Méridien"]);
    // Dutch words find the French listing through its category's Dutch label.
    let gezinsplanning = names(&app, json!({ "text": "gezinsplanning" }), json!(null)).await;
    assert_eq!(gezinsplanning, ["Centre de planning familial Les Marolles"]);
    // Typos are a fallback: a word found as it is does not bring its near misses.
    let exact = names(&app, json!({ "text": "brug" }), json!(null)).await;
    assert_eq!(exact, ["Centrum voor verslaving De Brug"]);
    // Still a filter: every word must be found.
    let none = names(&app, json!({ "text": "planning verslaving" }), json!(null)).await;
    assert!(none.is_empty(), "{none:?}");
}

async fn every_order_pages_on_from_its_cursor(backend: Backend) {
    let app = directory(backend).await;
    let all_by_name = names(&app, json!(null), json!("NAME")).await;
    let mut sorted = all_by_name.clone();
    sorted.sort_by_key(|n| passerelle::domain::normalize_for_search(n));
    assert_eq!(all_by_name, sorted);
    assert_eq!(all_by_name.len(), 5);
    for (filter, order) in [
        (json!(null), json!("NAME")),
        (json!(null), json!("LAST_UPDATE")),
        (json!({ "text": "de" }), json!("RELEVANCE")),
        (json!({ "text": "de" }), json!("NAME")),
        (
            json!({ "near": { "lat": HERE.0, "lon": HERE.1, "radiusMeters": 1000 } }),
            json!("NAME"),
        ),
    ] {
        let whole = names(&app, filter.clone(), order.clone()).await;
        let mut walked = Vec::new();
        let mut after = Value::Null;
        loop {
            let answer = app
                .gql(
                    SEARCH,
                    json!({ "filter": filter, "order": order, "first": 2, "after": after }),
                )
                .await;
            let page = &answer.data()["services"];
            for edge in page["edges"].as_array().unwrap() {
                walked.push(edge["node"]["name"].as_str().unwrap().to_owned());
            }
            if !page["pageInfo"]["hasNextPage"].as_bool().unwrap() {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(walked, whole, "{filter} by {order}");
        assert!(!whole.is_empty(), "{filter} by {order}");
    }
}

async fn an_order_that_cannot_be_followed_is_refused(backend: Backend) {
    let app = directory(backend).await;
    for (filter, order) in [
        (json!(null), json!("DISTANCE")),
        (json!(null), json!("RELEVANCE")),
        (json!({ "text": "de" }), json!("DISTANCE")),
    ] {
        let answer = app
            .gql(SEARCH, json!({ "filter": filter, "order": order }))
            .await;
        assert_eq!(
            answer.error_code(),
            Some("BAD_USER_INPUT"),
            "{}",
            answer.body
        );
        assert_eq!(
            answer.body["errors"][0]["extensions"]["argument"],
            "orderBy"
        );
    }
    // A cursor of one order does not continue another.
    let by_name = app
        .gql(SEARCH, json!({ "order": "NAME", "first": 1 }))
        .await;
    let cursor = by_name.data()["services"]["pageInfo"]["endCursor"].clone();
    let mixed = app
        .gql(
            SEARCH,
            json!({ "order": "LAST_UPDATE", "first": 1, "after": cursor }),
        )
        .await;
    assert_eq!(mixed.error_code(), Some("BAD_USER_INPUT"), "{}", mixed.body);
    assert_eq!(mixed.body["errors"][0]["extensions"]["argument"], "after");
    // Nor a name cursor another language, nor a relevance cursor another text.
    let in_dutch = app
        .gql(
            &SEARCH.replace("lang: FR", "lang: NL"),
            json!({ "order": "NAME", "first": 1, "after": cursor }),
        )
        .await;
    assert_eq!(
        in_dutch.error_code(),
        Some("BAD_USER_INPUT"),
        "{}",
        in_dutch.body
    );
    let ranked = app
        .gql(SEARCH, json!({ "filter": { "text": "de" }, "first": 1 }))
        .await;
    let cursor = ranked.data()["services"]["pageInfo"]["endCursor"].clone();
    let other_text = app
        .gql(
            SEARCH,
            json!({ "filter": { "text": "centre" }, "first": 1, "after": cursor }),
        )
        .await;
    assert_eq!(
        other_text.error_code(),
        Some("BAD_USER_INPUT"),
        "{}",
        other_text.body
    );
}

both_backends!(
    text_is_ranked_by_relevance,
    every_order_pages_on_from_its_cursor,
    an_order_that_cannot_be_followed_is_refused,
);
