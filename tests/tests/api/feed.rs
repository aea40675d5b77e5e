//! The change feed: a consumer reading `changes` page by page while writes happen, then
//! again after a restart (of the server, or on another server process), misses nothing and
//! sees nothing twice; each caller is told only of what it may see, and of a service
//! leaving its view; a cursor older than the changes kept is refused with a way on.

use std::collections::HashSet;

use passerelle::auth::Role;
use passerelle_tests::{
    Backend, TestApp, both_backends, fixture, gql_at, process::Server, spawn_app, spawn_app_on,
};
use serde_json::{Value, json};

const CHANGES: &str = "query($after: String, $first: Int, $kinds: [ChangeKind!], $entities: [ChangeEntity!], $territory: String) {
  changes(after: $after, first: $first, kinds: $kinds, entities: $entities, territory: $territory) {
    cursor pageInfo { hasNextPage }
    edges { cursor node { sequence kind entity id fields origin node { id ... on Service { name } } } }
  } }";

const CREATE: &str = "mutation($input: CreateServiceInput!) { createService(input: $input) {
    service { id version } } }";

/// A consumer as an integration writes one: it keeps the cursor and asks again.
struct Consumer {
    client: reqwest::Client,
    token: Option<String>,
    cursor: Option<String>,
    seen: Vec<Value>,
}

impl Consumer {
    /// Starts at the directory as it is now (`changesCursor`), asking the server at
    /// `at`.
    async fn start(at: &str, token: Option<String>) -> Consumer {
        let client = reqwest::Client::new();
        let head = gql_at(
            &client,
            at,
            token.as_deref(),
            "{ changesCursor }",
            json!({}),
        )
        .await;
        Consumer {
            client,
            cursor: Some(head.data()["changesCursor"].as_str().unwrap().to_owned()),
            token,
            seen: Vec::new(),
        }
    }

    /// Reads one page of `first` from the server at `at`; whether more were waiting.
    async fn page(&mut self, at: &str, first: i64) -> bool {
        let page = gql_at(
            &self.client,
            at,
            self.token.as_deref(),
            CHANGES,
            json!({ "after": self.cursor, "first": first }),
        )
        .await;
        let changes = &page.data()["changes"];
        for edge in changes["edges"].as_array().unwrap() {
            self.seen.push(edge["node"].clone());
        }
        self.cursor = Some(changes["cursor"].as_str().unwrap().to_owned());
        changes["pageInfo"]["hasNextPage"].as_bool().unwrap()
    }

    /// Reads until nothing is waiting.
    async fn drain(&mut self, at: &str) {
        while self.page(at, 3).await {}
    }

    fn sequences(&self) -> Vec<i64> {
        self.seen
            .iter()
            .map(|c| c["sequence"].as_str().unwrap().parse().unwrap())
            .collect()
    }

    /// (kind, id) of each change about a service.
    fn services(&self) -> Vec<(String, String)> {
        self.seen
            .iter()
            .filter(|c| c["entity"] == "SERVICE")
            .map(|c| {
                (
                    c["kind"].as_str().unwrap().to_owned(),
                    c["id"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

/// An organisation synced from an upstream, and a partner token for it.
async fn partner_world(app: &TestApp) -> (String, String) {
    let synced = fixture::sync_hsds(
        app,
        "feed",
        "fr",
        &[fixture::hsds_service(
            "feed-1",
            ("feed-org", "ASBL Flux", None),
            "Permanence Flux",
            (50.8671, 4.3729),
            "housing",
            "2026-01-01T00:00:00Z",
        )],
    )
    .await;
    let id = synced.organisations["feed-org"];
    let organisation =
        passerelle::domain::GlobalId::new(passerelle::domain::Kind::Organisation, id).to_string();
    (organisation, app.token(Role::Partner, &[id], None))
}

/// A service created by `partner` through the server at `at`.
async fn create(at: &str, partner: &str, organisation: &str, name: &str) -> String {
    let created = gql_at(
        &reqwest::Client::new(),
        at,
        Some(partner),
        CREATE,
        json!({ "input": { "organisation": organisation, "service": {
            "nameFr": name, "categories": ["housing"] } } }),
    )
    .await;
    created.data()["createService"]["service"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Pages read while services are written, then the rest after the server restarts on
/// the same database: every creation once, in order, nothing twice.
async fn a_consumer_misses_nothing_across_writes_and_restarts(backend: Backend) {
    let mut app = spawn_app(backend).await;
    let (organisation, partner) = partner_world(&app).await;
    let admin = app.token(Role::Admin, &[], None);
    let mut consumer = Consumer::start(&app.url, Some(admin)).await;

    let mut written = Vec::new();
    for n in 0..7 {
        written.push(create(&app.url, &partner, &organisation, &format!("Flux {n}")).await);
        if n % 2 == 1 {
            consumer.page(&app.url, 2).await;
        }
    }
    // The server stops; a new one starts on the same database; the consumer goes on.
    let url = app.state.config.database.url.expose().to_owned();
    app.shutdown();
    let restarted = spawn_app_on(url, |_| {}).await;
    written.push(create(&restarted.url, &partner, &organisation, "Flux après").await);
    consumer.drain(&restarted.url).await;

    let sequences = consumer.sequences();
    assert!(
        sequences.windows(2).all(|w| w[0] < w[1]),
        "in order, never twice: {sequences:?}"
    );
    let created: Vec<String> = consumer
        .services()
        .into_iter()
        .filter(|(kind, _)| kind == "CREATED")
        .map(|(_, id)| id)
        .collect();
    assert_eq!(created, written);
    let first = consumer
        .seen
        .iter()
        .find(|c| c["kind"] == "CREATED")
        .unwrap();
    assert_eq!(first["origin"], "mutation");
    assert_eq!(first["node"]["name"], "Flux 0");
    assert!(
        first["fields"]
            .as_array()
            .unwrap()
            .contains(&json!("name_fr"))
    );
    // Nothing more: the cursor stays where it was.
    let before = consumer.cursor.clone();
    assert!(!consumer.page(&restarted.url, 5).await);
    assert_eq!(consumer.cursor, before);
    assert_eq!(consumer.seen.len(), sequences.len());
}

/// Each caller is told of what it sees: a service withheld from the public shows as
/// removed for public and professional consumers, as updated for its partner; a listing
/// a caller never saw is never mentioned to it; annotations only to their groups.
async fn each_caller_is_told_only_of_what_it_sees(backend: Backend) {
    let app = spawn_app(backend).await;
    let (organisation, partner) = partner_world(&app).await;
    let mut public = Consumer::start(&app.url, None).await;
    let zone = app.token(Role::ZonePartner, &[], None);
    let mut professional = Consumer::start(&app.url, Some(zone.clone())).await;
    let mut owner = Consumer::start(&app.url, Some(partner.clone())).await;

    let shown = create(&app.url, &partner, &organisation, "Flux visible").await;
    let hidden = app
        .gql_as(
            Some(&partner),
            CREATE,
            json!({ "input": { "organisation": organisation, "service": {
                "nameFr": "Flux en préparation", "categories": ["housing"], "published": false } } }),
        )
        .await;
    let hidden = hidden.data()["createService"]["service"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let withheld = app
        .gql_as(
            Some(&partner),
            "mutation($id: ID!) { publishService(input: { id: $id, version: 1, published: false }) {
               service { published } } }",
            json!({ "id": shown }),
        )
        .await;
    assert_eq!(
        withheld.data()["publishService"]["service"]["published"],
        false
    );
    let note = app
        .gql_as(
            Some(&zone),
            "mutation($id: ID!) { annotateService(input: { service: $id, kind: NOTE,
               body: \"Vu sur place\", shared: false }) { annotation { body } } }",
            json!({ "id": hidden }),
        )
        .await;
    assert!(note.body["errors"].is_null(), "{:?}", note.body);

    public.drain(&app.url).await;
    professional.drain(&app.url).await;
    assert_eq!(
        public.services(),
        [
            ("CREATED".to_owned(), shown.clone()),
            ("REMOVED".to_owned(), shown.clone())
        ]
    );
    let removed = public
        .seen
        .iter()
        .rfind(|c| c["entity"] == "SERVICE")
        .unwrap();
    assert_eq!(
        removed["node"],
        Value::Null,
        "no longer the public's to read"
    );
    assert!(public.seen.iter().all(|c| c["entity"] != "ANNOTATION"));
    // A zone partner sees published services only, whatever their status: the one
    // withheld from the start is not its to know; its own note is.
    assert_eq!(
        professional.services(),
        [
            ("CREATED".to_owned(), shown.clone()),
            ("REMOVED".to_owned(), shown)
        ]
    );
    assert_eq!(
        professional
            .seen
            .iter()
            .filter(|c| c["entity"] == "ANNOTATION")
            .count(),
        1
    );
    // The partner reads its own listings, published or not.
    owner.drain(&app.url).await;
    let kinds: HashSet<(String, String)> = owner.services().into_iter().collect();
    assert_eq!(
        kinds,
        HashSet::from([
            ("CREATED".to_owned(), shown_id(&public)),
            ("CREATED".to_owned(), hidden),
            ("UPDATED".to_owned(), shown_id(&public)),
        ])
    );
}

/// (kind, entity) of each change.
fn kinds(consumer: &Consumer) -> Vec<(String, String)> {
    consumer
        .seen
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["entity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pair(kind: &str, entity: &str) -> (String, String) {
    (kind.to_owned(), entity.to_owned())
}

/// An organisation and its site are seen through their services: when its only public
/// service is withheld, the public is told that the organisation and the site left its
/// view too, and that they came back when it is published again; the partner, who sees
/// its own organisation anyway, and the administrator, who sees everything, are told
/// of the service only.
async fn organisations_and_sites_leave_the_view_with_their_services(backend: Backend) {
    let app = spawn_app(backend).await;
    let synced = fixture::sync_hsds(
        &app,
        "feed",
        "fr",
        &[fixture::hsds_service(
            "alone-1",
            ("alone-org", "ASBL Seule", None),
            "Permanence seule",
            (50.8671, 4.3729),
            "housing",
            "2026-01-01T00:00:00Z",
        )],
    )
    .await;
    let organisation = synced.organisations["alone-org"];
    let service = synced.services["alone-1"];
    let mut public = Consumer::start(&app.url, None).await;
    let mut owner = Consumer::start(
        &app.url,
        Some(app.token(Role::Partner, &[organisation], None)),
    )
    .await;
    let mut admin = Consumer::start(&app.url, Some(app.token(Role::Admin, &[], None))).await;

    let publish = |published| passerelle::store::Curation::Publish {
        service_id: service,
        published,
    };
    fixture::curate(&app, &[publish(false)]).await;
    public.drain(&app.url).await;
    assert_eq!(
        kinds(&public),
        [
            pair("REMOVED", "SERVICE"),
            pair("REMOVED", "ORGANISATION"),
            pair("REMOVED", "SITE")
        ]
    );
    assert!(
        public.seen.iter().all(|c| c["node"].is_null()),
        "{:?}",
        public.seen
    );
    fixture::curate(&app, &[publish(true)]).await;
    public.drain(&app.url).await;
    assert_eq!(
        kinds(&public)[3..],
        [
            pair("CREATED", "SERVICE"),
            pair("CREATED", "ORGANISATION"),
            pair("CREATED", "SITE")
        ]
    );
    let organisation_id =
        passerelle::domain::GlobalId::new(passerelle::domain::Kind::Organisation, organisation)
            .to_string();
    assert_eq!(public.seen[4]["id"], organisation_id.as_str());
    assert_eq!(
        public.seen[4]["node"]["id"],
        organisation_id.as_str(),
        "readable again"
    );

    for consumer in [&mut owner, &mut admin] {
        consumer.drain(&app.url).await;
        assert_eq!(
            kinds(consumer),
            [pair("UPDATED", "SERVICE"), pair("UPDATED", "SERVICE")]
        );
    }
}

/// A site created with no service is no one's to see but its partner's: the public is
/// told of it once, when its first public service opens there, whenever it reads.
async fn a_site_is_created_once_for_the_public(backend: Backend) {
    let app = spawn_app(backend).await;
    let (organisation, partner) = partner_world(&app).await;
    let mut public = Consumer::start(&app.url, None).await;
    let site = app
        .gql_as(
            Some(&partner),
            "mutation($input: CreateSiteInput!) { createSite(input: $input) { site { id } } }",
            json!({ "input": { "organisation": organisation, "site": {
                "streetFr": "Rue Royale", "houseNumber": "2", "postcode": "1000",
                "municipalityFr": "Bruxelles", "point": { "lat": 50.8466, "lon": 4.3628 } } } }),
        )
        .await;
    let site = site.data()["createSite"]["site"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut early = Consumer::start(&app.url, None).await;
    early.cursor = public.cursor.clone();
    early.drain(&app.url).await;
    assert_eq!(kinds(&early), [], "nothing the public sees yet");
    let service = gql_at(
        &reqwest::Client::new(),
        &app.url,
        Some(&partner),
        CREATE,
        json!({ "input": { "organisation": organisation, "service": {
            "nameFr": "Permanence royale", "categories": ["housing"],
            "locations": [{ "site": site }] } } }),
    )
    .await;
    assert!(service.body["errors"].is_null(), "{:?}", service.body);
    for consumer in [&mut public, &mut early] {
        consumer.drain(&app.url).await;
        assert_eq!(
            kinds(consumer),
            [pair("CREATED", "SERVICE"), pair("CREATED", "SITE")]
        );
        assert_eq!(consumer.seen[1]["id"], site.as_str());
    }
}

/// A consumer following a territory is told when a site, and the services there, leave
/// it; one following the territory they moved to is told of them.
async fn a_listing_moving_away_leaves_the_followed_territory(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, partner) = partner_world(&app).await;
    let site = app
        .gql(
            "{ services(filter: { text: \"permanence flux\" }) { edges { node { id sites { site { id version } } } } } }",
            json!({}),
        )
        .await;
    let node = &site.data()["services"]["edges"][0]["node"];
    let service = node["id"].as_str().unwrap().to_owned();
    let site = node["sites"][0]["site"].clone();
    let follow = |territory: &str| {
        let app = &app;
        let territory = territory.to_owned();
        async move {
            let mut consumer = Consumer::start(&app.url, None).await;
            let page = app
                .gql(
                    CHANGES,
                    json!({ "after": consumer.cursor, "territory": territory }),
                )
                .await;
            assert_eq!(page.data()["changes"]["edges"], json!([]));
            consumer.cursor = Some(
                page.data()["changes"]["cursor"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
            (consumer, territory)
        }
    };
    let (mut schaerbeek, from) = follow("commune:21015").await;
    let (mut ixelles, to) = follow("commune:21009").await;
    let moved = app
        .gql_as(
            Some(&partner),
            "mutation($input: UpdateSiteInput!) { updateSite(input: $input) { result { version } } }",
            json!({ "input": { "id": site["id"], "version": site["version"], "site": {
                "streetFr": "Place Eugène Flagey", "houseNumber": "18", "postcode": "1050",
                "municipalityFr": "Ixelles", "point": { "lat": 50.8275, "lon": 4.3725 } } } }),
        )
        .await;
    assert!(moved.body["errors"].is_null(), "{:?}", moved.body);
    app.caught_up().await;
    for (consumer, territory, kind) in [
        (&mut schaerbeek, &from, "REMOVED"),
        (&mut ixelles, &to, "UPDATED"),
    ] {
        let page = app
            .gql(
                CHANGES,
                json!({ "after": consumer.cursor, "territory": territory }),
            )
            .await;
        let edges = page.data()["changes"]["edges"].as_array().unwrap();
        let told: Vec<(&str, &str, &str)> = edges
            .iter()
            .map(|e| {
                (
                    e["node"]["kind"].as_str().unwrap(),
                    e["node"]["entity"].as_str().unwrap(),
                    e["node"]["id"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            told,
            [
                (kind, "SITE", site["id"].as_str().unwrap()),
                (kind, "SERVICE", service.as_str())
            ],
            "{territory}"
        );
    }
}

/// The id of the one service the public consumer was told of.
fn shown_id(public: &Consumer) -> String {
    public.services()[0].1.clone()
}

/// Filters: kinds, entities, a territory; a malformed cursor; an expired one, with the
/// cursor to go on from.
async fn filters_and_cursors_are_checked(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.token(Role::Admin, &[], None);
    // From before the sync that lists the organisation, its site in Schaerbeek and a
    // service there.
    let start = Consumer::start(&app.url, Some(admin.clone())).await.cursor;
    let (organisation, partner) = partner_world(&app).await;
    create(&app.url, &partner, &organisation, "Flux filtré").await;
    let ask = |variables: Value| {
        let admin = admin.clone();
        let app = &app;
        async move { app.gql_as(Some(&admin), CHANGES, variables).await }
    };
    let created =
        ask(json!({ "after": start, "kinds": ["CREATED"], "entities": ["SERVICE"] })).await;
    assert_eq!(
        created.data()["changes"]["edges"].as_array().unwrap().len(),
        2,
        "the synced service and the partner's"
    );
    // Schaerbeek (the fixture's point): found; Uccle: not.
    let there = ask(json!({ "after": start, "territory": "commune:21015" })).await;
    assert!(
        !there.data()["changes"]["edges"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let elsewhere = ask(json!({ "after": start, "territory": "commune:21016" })).await;
    assert_eq!(elsewhere.data()["changes"]["edges"], json!([]));
    let unknown = ask(json!({ "territory": "commune:99999" })).await;
    assert_eq!(unknown.error_code(), Some("BAD_USER_INPUT"));
    let malformed = ask(json!({ "after": "not-a-cursor" })).await;
    assert_eq!(malformed.error_code(), Some("BAD_USER_INPUT"));
    assert_eq!(
        malformed.body["errors"][0]["extensions"]["argument"],
        "after"
    );
    let wrong_kind = ask(json!({ "kinds": ["EXPLODED"] })).await;
    assert!(wrong_kind.body["errors"].is_array());

    // Pruned: everything but the newest change is older than the retention.
    let later = chrono::Utc::now() + chrono::Duration::days(40);
    let pruned = passerelle::feed::prune(&app.state.db.conn, chrono::Duration::days(30), later)
        .await
        .unwrap();
    assert!(pruned > 0);
    let expired = ask(json!({ "after": start })).await;
    assert_eq!(expired.error_code(), Some("CURSOR_EXPIRED"));
    assert_eq!(expired.body["data"]["changes"], Value::Null);
    let oldest = expired.body["errors"][0]["extensions"]["oldestCursor"].clone();
    let resumed = ask(json!({ "after": oldest })).await;
    assert!(resumed.body["errors"].is_null(), "{:?}", resumed.body);
}

both_backends!(
    a_consumer_misses_nothing_across_writes_and_restarts,
    each_caller_is_told_only_of_what_it_sees,
    filters_and_cursors_are_checked,
    organisations_and_sites_leave_the_view_with_their_services,
    a_listing_moving_away_leaves_the_followed_territory,
    a_site_is_created_once_for_the_public,
);

/// Two server processes on one PostgreSQL database: a consumer asking either, in
/// turn, while both are written to, reads every change once and in order; one is
/// killed and started again meanwhile, and the consumer goes on from its cursor.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_serve_one_feed() {
    let app = spawn_app(Backend::Postgres).await;
    let (organisation, partner) = partner_world(&app).await;
    let database = app.state.config.database.url.expose().to_owned();
    let mut servers = vec![
        Server::start(&database).await,
        Server::start(&database).await,
    ];
    let admin = app.token(Role::Admin, &[], None);
    let mut consumer = Consumer::start(&servers[0].url, Some(admin)).await;
    let mut written = Vec::new();
    for n in 0..8 {
        if n == 4 {
            servers.remove(0).kill();
            servers.insert(0, Server::start(&database).await);
        }
        let (writer, reader) = (&servers[n % 2], &servers[(n + 1) % 2]);
        written.push(
            create(
                &writer.url,
                &partner,
                &organisation,
                &format!("Processus {n}"),
            )
            .await,
        );
        consumer.page(&reader.url, 1).await;
    }
    // Each server answers from what it has caught up with; the consumer asks both
    // until neither has more, so what it read comes from both.
    let mut waited = 0;
    while consumer
        .services()
        .iter()
        .filter(|(kind, _)| kind == "CREATED")
        .count()
        < written.len()
    {
        assert!(
            waited < 100,
            "the servers never caught up: {:?}",
            consumer.seen
        );
        for server in &servers {
            consumer.drain(&server.url).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    let created: Vec<String> = consumer
        .services()
        .into_iter()
        .filter(|(kind, _)| kind == "CREATED")
        .map(|(_, id)| id)
        .collect();
    assert_eq!(created, written);
    let sequences = consumer.sequences();
    assert!(sequences.windows(2).all(|w| w[0] < w[1]), "{sequences:?}");
}
