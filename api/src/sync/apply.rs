//! Writing mapped records: match, upsert, link, merge by priority, record provenance.
//! Every function runs inside the run's transaction.
//!
//! A run writes set-wise. What matching needs (identifiers, addresses, names) is read
//! once into [`Known`] and kept current in memory; ids for new rows come from
//! [`Ids`] before the rows exist, so a new record is only staged ([`Staged`]) and
//! costs no round trip; the merged organisation fields are chosen once per
//! organisation at the end ([`recompute`]). A changed record (one this source gave
//! before) is still rewritten row by row: its old rows have to go first.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use entities::{
    accreditation, conflict, contact_point, organisation, organisation_identifier, provenance,
    service, service_at_site, service_category, service_language, site, site_territory,
    source_record, source_service, source_site,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement, sea_query::OnConflict,
};

use super::map::{Mapped, OrganisationFields};
use crate::domain::ContactKind;
use crate::listing::{self, ServiceState, SiteState};
use crate::{
    config::SourcePriority,
    domain::{Seen, ServiceStatus, WebUrl, normalize_for_search},
    reference::Reference,
    store::{
        self, Change, IDS_PER_STATEMENT, insert_all, organisation_search_text, service_children,
        service_fields, service_model, service_search_text, site_model, site_territories_and_words,
    },
};

pub struct Context<'a> {
    pub reference: &'a Reference,
    pub source_id: i32,
    /// Which source wins each organisation field.
    pub priority: &'a SourcePriority,
    pub retrieved_at: DateTime<Utc>,
    /// Source names by id (a small table, read once per run).
    pub source_names: HashMap<i32, String>,
}

impl Context<'_> {
    /// An audit trail entry of this run on a service.
    fn audit(
        &self,
        organisation_id: i32,
        service_id: i32,
        action: &str,
        changes: &std::collections::BTreeMap<String, [serde_json::Value; 2]>,
    ) -> entities::audit_entry::ActiveModel {
        let source = self
            .source_names
            .get(&self.source_id)
            .map_or("?", String::as_str);
        store::audit_row(
            format!("sync:{source}"),
            "system",
            "sync",
            organisation_id,
            "service",
            service_id,
            action,
            changes,
            None,
        )
    }
}

/// The tables whose new rows get their ids before they are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Table {
    Organisation,
    SourceRecord,
    Site,
    Service,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Organisation => "organisation",
            Table::SourceRecord => "source_record",
            Table::Site => "site",
            Table::Service => "service",
        }
    }
}

/// Ids handed out ahead of the inserts, so that a row and the rows that point at it
/// can be staged together and written in batches.
///
/// On PostgreSQL they come from the table's sequence, a block per round trip, so a
/// concurrent writer draws other numbers. On SQLite they follow the highest id the
/// table has ever used (`AUTOINCREMENT`): the run's transaction is `IMMEDIATE`, so no
/// other connection can insert until it ends.
#[derive(Default)]
pub struct Ids {
    free: HashMap<Table, Vec<i32>>,
    /// SQLite: the last id handed out per table.
    last: HashMap<Table, i32>,
    /// PostgreSQL: the next block size per table; it doubles up to `MAX_ID_BLOCK`.
    block: HashMap<Table, usize>,
}

const MAX_ID_BLOCK: usize = 4096;

impl Ids {
    async fn next<C: ConnectionTrait>(&mut self, db: &C, table: Table) -> Result<i32, DbErr> {
        if let Some(id) = self.free.get_mut(&table).and_then(Vec::pop) {
            return Ok(id);
        }
        if db.get_database_backend() == DatabaseBackend::Postgres {
            let block = self.block.entry(table).or_insert(16);
            let size = *block;
            *block = (size * 2).min(MAX_ID_BLOCK);
            let rows = db
                .query_all_raw(Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    "SELECT nextval(pg_get_serial_sequence($1, 'id'))::integer AS id \
                     FROM generate_series(1, $2)",
                    [
                        table.name().into(),
                        i32::try_from(size).unwrap_or(16).into(),
                    ],
                ))
                .await?;
            let mut ids = rows
                .iter()
                .map(|row| row.try_get::<i32>("", "id"))
                .collect::<Result<Vec<_>, _>>()?;
            ids.reverse();
            let id = ids.pop().ok_or_else(|| {
                DbErr::Custom(format!("no id drawn from {}'s sequence", table.name()))
            })?;
            self.free.insert(table, ids);
            return Ok(id);
        }
        let last = match self.last.get(&table) {
            Some(&last) => last,
            None => {
                // The table name is one of `Table`'s constants, never input.
                let sql = format!(
                    "SELECT MAX(COALESCE((SELECT MAX(id) FROM {t}), 0), \
                     COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{t}'), 0)) AS id",
                    t = table.name()
                );
                db.query_one_raw(Statement::from_string(DatabaseBackend::Sqlite, sql))
                    .await?
                    .map(|row| row.try_get::<i64>("", "id"))
                    .transpose()?
                    .and_then(|id| i32::try_from(id).ok())
                    .unwrap_or(0)
            }
        };
        let id = last
            .checked_add(1)
            .ok_or_else(|| DbErr::Custom(format!("{} ids exhausted", table.name())))?;
        self.last.insert(table, id);
        Ok(id)
    }
}

/// Rows nothing in the run reads back from the database before commit, written in
/// batches across records rather than record by record: a run is one transaction, so
/// batching changes only the number of round trips.
#[derive(Default)]
pub struct Staged {
    organisations: Vec<organisation::ActiveModel>,
    source_records: Vec<source_record::ActiveModel>,
    identifiers: Vec<organisation_identifier::ActiveModel>,
    sites: Vec<site::ActiveModel>,
    services: Vec<service::ActiveModel>,
    children: store::Children,
    provenance: Vec<provenance::ActiveModel>,
    site_territories: Vec<site_territory::ActiveModel>,
    source_sites: Vec<source_site::ActiveModel>,
    source_services: Vec<source_service::ActiveModel>,
    /// What the run changed in services, for the audit trail.
    audit: Vec<entities::audit_entry::ActiveModel>,
}

impl Staged {
    /// Rows waiting.
    pub(crate) fn len(&self) -> usize {
        let c = &self.children;
        self.organisations.len()
            + self.source_records.len()
            + self.identifiers.len()
            + self.sites.len()
            + self.services.len()
            + c.categories.len()
            + c.languages.len()
            + c.locations.len()
            + c.accreditations.len()
            + c.contacts.len()
            + self.provenance.len()
            + self.site_territories.len()
            + self.source_sites.len()
            + self.source_services.len()
    }

    /// Writes every waiting row, parents before the rows that point at them.
    pub async fn flush<C: ConnectionTrait>(&mut self, db: &C) -> Result<(), DbErr> {
        let Staged {
            organisations,
            source_records,
            identifiers,
            sites,
            services,
            children,
            provenance,
            site_territories,
            source_sites,
            source_services,
            audit,
        } = std::mem::take(self);
        insert_all(db, organisations).await?;
        insert_all(db, source_records).await?;
        insert_all(db, identifiers).await?;
        insert_all(db, sites).await?;
        insert_all(db, services).await?;
        insert_all(db, source_sites).await?;
        insert_all(db, source_services).await?;
        insert_all(db, site_territories).await?;
        insert_all(db, children.categories).await?;
        insert_all(db, children.languages).await?;
        insert_all(db, children.locations).await?;
        insert_all(db, children.accreditations).await?;
        insert_all(db, children.contacts).await?;
        insert_all(db, provenance).await?;
        insert_all(db, audit).await
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new record, written (its organisation is in `Run::touched`).
    Created,
    /// A changed record, written (its organisation is in `Run::touched`).
    Updated,
    Unchanged,
}

fn identifiers(mapped: &Mapped) -> Vec<(&'static str, String)> {
    mapped
        .input
        .kbo
        .iter()
        .map(|k| ("kbo", k.digits().to_owned()))
        .chain(mapped.input.nihii.iter().map(|n| ("nihii", n.to_string())))
        .collect()
}

/// What a run carries from one record to the next.
pub struct Run {
    pub staged: Staged,
    pub known: Known,
    pub ids: Ids,
    /// Organisations whose merged fields are chosen again at the end of the run.
    pub touched: BTreeSet<i32>,
    /// What the run changed, for the change log (recorded when it ends).
    pub changes: Vec<Change>,
}

impl Run {
    pub async fn start<C: ConnectionTrait>(db: &C) -> Result<Run, DbErr> {
        Ok(Run {
            staged: Staged::default(),
            known: Known::load(db).await?,
            ids: Ids::default(),
            touched: BTreeSet::new(),
            changes: Vec::new(),
        })
    }

    /// What the run did to a service: an audit trail entry and a change for the log.
    fn service_changed(
        &mut self,
        ctx: &Context<'_>,
        organisation_id: i32,
        id: i32,
        action: &'static str,
        changes: &std::collections::BTreeMap<String, [serde_json::Value; 2]>,
        seen: (Option<Seen>, Seen),
    ) {
        self.staged
            .audit
            .push(ctx.audit(organisation_id, id, action, changes));
        self.changes.push(Change::service(
            organisation_id,
            id,
            action,
            Change::service_fields(changes),
            "sync",
            seen,
        ));
    }
}

/// A site as the name-and-address match sees it.
struct SiteFacts {
    organisation_id: i32,
    postcode: String,
    number: String,
    /// Folded street names, in either language.
    streets: Vec<String>,
}

/// What matching a record to a known organisation needs, read once per run and kept
/// current as the run stages rows: identifiers, sites by postcode and folded house
/// number, and organisation names. A name counts if the organisation carries it or if
/// a record of this run gave it (its merged name is chosen only at the end).
#[derive(Default)]
pub struct Known {
    identifiers: HashMap<(String, String), i32>,
    /// Organisations with a KBO/BCE number.
    with_kbo: HashSet<i32>,
    sites: HashMap<i32, SiteFacts>,
    /// Site ids by (postcode, folded number); an id whose site moved or went is
    /// skipped when its facts no longer agree.
    addresses: HashMap<(String, String), Vec<i32>>,
    names: HashMap<i32, Vec<String>>,
}

impl Known {
    async fn load<C: ConnectionTrait>(db: &C) -> Result<Known, DbErr> {
        let mut known = Known::default();
        let identifiers: Vec<(String, String, i32)> = organisation_identifier::Entity::find()
            .select_only()
            .column(organisation_identifier::Column::Scheme)
            .column(organisation_identifier::Column::Value)
            .column(organisation_identifier::Column::OrganisationId)
            .into_tuple()
            .all(db)
            .await?;
        for (scheme, value, organisation_id) in identifiers {
            known.claim(&scheme, value, organisation_id);
        }
        type SiteRow = (
            i32,
            i32,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let sites: Vec<SiteRow> = site::Entity::find()
            .select_only()
            .column(site::Column::Id)
            .column(site::Column::OrganisationId)
            .column(site::Column::Postcode)
            .column(site::Column::HouseNumber)
            .column(site::Column::StreetFr)
            .column(site::Column::StreetNl)
            .into_tuple()
            .all(db)
            .await?;
        for (id, organisation_id, postcode, number, street_fr, street_nl) in sites {
            known.add_site(
                id,
                organisation_id,
                postcode.as_deref(),
                number.as_deref(),
                [street_fr.as_deref(), street_nl.as_deref()],
            );
        }
        let names: Vec<(i32, Option<String>, Option<String>)> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .column(organisation::Column::NameFr)
            .column(organisation::Column::NameNl)
            .into_tuple()
            .all(db)
            .await?;
        for (id, name_fr, name_nl) in names {
            known.add_names(id, [name_fr.as_deref(), name_nl.as_deref()]);
        }
        Ok(known)
    }

    /// Records that `organisation_id` carries this identifier, unless another
    /// organisation already does; true when the identifier is new.
    fn claim(&mut self, scheme: &str, value: String, organisation_id: i32) -> bool {
        use std::collections::hash_map::Entry;
        match self.identifiers.entry((scheme.to_owned(), value)) {
            Entry::Occupied(_) => false,
            Entry::Vacant(entry) => {
                entry.insert(organisation_id);
                if scheme == "kbo" {
                    self.with_kbo.insert(organisation_id);
                }
                true
            }
        }
    }

    fn add_site(
        &mut self,
        id: i32,
        organisation_id: i32,
        postcode: Option<&str>,
        number: Option<&str>,
        streets: [Option<&str>; 2],
    ) {
        let (Some(postcode), Some(number)) = (postcode, number) else {
            self.sites.remove(&id);
            return;
        };
        let facts = SiteFacts {
            organisation_id,
            postcode: postcode.to_owned(),
            number: normalize_for_search(number),
            streets: streets
                .into_iter()
                .flatten()
                .map(normalize_for_search)
                .collect(),
        };
        self.addresses
            .entry((facts.postcode.clone(), facts.number.clone()))
            .or_default()
            .push(id);
        self.sites.insert(id, facts);
    }

    fn add_input_site(&mut self, id: i32, organisation_id: i32, input: &store::SiteInput) {
        let postcode = store::blank_to_none(&input.postcode);
        let number = store::blank_to_none(&input.house_number);
        let streets = [
            store::blank_to_none(&input.street_fr),
            store::blank_to_none(&input.street_nl),
        ];
        self.add_site(
            id,
            organisation_id,
            postcode.as_deref(),
            number.as_deref(),
            [streets[0].as_deref(), streets[1].as_deref()],
        );
    }

    fn add_names(&mut self, organisation_id: i32, names: [Option<&str>; 2]) {
        let known = self.names.entry(organisation_id).or_default();
        for name in names.into_iter().flatten().map(normalize_for_search) {
            if !name.is_empty() && !known.contains(&name) {
                known.push(name);
            }
        }
    }

    /// The organisation this record describes, if it is already known: the same
    /// KBO/BCE or NIHII number, or — only on strong evidence — the same name at the same
    /// address. Two organisations with different KBO numbers are never taken for one.
    fn organisation_of(&self, mapped: &Mapped) -> Option<i32> {
        for (scheme, value) in identifiers(mapped) {
            if let Some(&id) = self.identifiers.get(&(scheme.to_owned(), value)) {
                return Some(id);
            }
        }
        let names: HashSet<String> = [&mapped.input.name_fr, &mapped.input.name_nl]
            .into_iter()
            .flatten()
            .map(|n| normalize_for_search(n))
            .filter(|n| !n.is_empty())
            .collect();
        for input_site in &mapped.input.sites {
            let (Some(postcode), Some(number)) = (&input_site.postcode, &input_site.house_number)
            else {
                continue;
            };
            let streets: HashSet<String> = [&input_site.street_fr, &input_site.street_nl]
                .into_iter()
                .flatten()
                .map(|s| normalize_for_search(s))
                .collect();
            if streets.is_empty() {
                continue;
            }
            let number = normalize_for_search(number);
            let mut ids = self
                .addresses
                .get(&(postcode.clone(), number.clone()))
                .cloned()
                .unwrap_or_default();
            ids.sort_unstable();
            ids.dedup();
            for id in ids {
                let Some(facts) = self.sites.get(&id) else {
                    continue;
                };
                if facts.postcode != *postcode
                    || facts.number != number
                    || !facts.streets.iter().any(|s| streets.contains(s))
                {
                    continue;
                }
                let other = facts.organisation_id;
                let same_name = self
                    .names
                    .get(&other)
                    .is_some_and(|known| known.iter().any(|n| names.contains(n)));
                if !same_name {
                    continue;
                }
                if self.with_kbo.contains(&other) && mapped.input.kbo.is_some() {
                    // Both have an enterprise number and they differ: two organisations.
                    continue;
                }
                return Some(other);
            }
        }
        None
    }
}

/// Writes one record. `existing` is this source's previous version of it.
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    ctx: &Context<'_>,
    mapped: &Mapped,
    hash: &str,
    raw: &str,
    existing: Option<&source_record::Model>,
    run: &mut Run,
) -> Result<Outcome, DbErr> {
    if let Some(existing) = existing
        && existing.active
        && existing.content_hash == hash
    {
        return Ok(Outcome::Unchanged);
    }
    if existing.is_some() {
        // The rewrite below deletes and updates rows in place: everything staged so
        // far must be in the database first.
        run.staged.flush(db).await?;
    }
    let now = Utc::now();
    let input = &mapped.input;
    let organisation_id = match existing {
        Some(record) => record.organisation_id,
        None => match run.known.organisation_of(mapped) {
            Some(id) => id,
            None => {
                let id = run.ids.next(db, Table::Organisation).await?;
                run.staged.organisations.push(organisation::ActiveModel {
                    id: Set(id),
                    name_fr: Set(input.name_fr.clone()),
                    name_nl: Set(input.name_nl.clone()),
                    legal_status_fr: Set(None),
                    legal_status_nl: Set(None),
                    website: Set(None),
                    is_demo: Set(false),
                    search_text: Set(organisation_search_text(&input.name_fr, &input.name_nl)),
                    created_at: Set(now),
                    updated_at: Set(now),
                });
                let named = [("name_fr", &input.name_fr), ("name_nl", &input.name_nl)];
                run.changes.push(Change::of(
                    "organisation",
                    id,
                    id,
                    "created",
                    named
                        .iter()
                        .filter(|(_, value)| value.is_some())
                        .map(|(field, _)| (*field).to_owned()),
                    "sync",
                ));
                id
            }
        },
    };
    run.known.add_names(
        organisation_id,
        [input.name_fr.as_deref(), input.name_nl.as_deref()],
    );
    let fields = serde_json::to_string(&mapped.fields).unwrap_or_else(|_| "{}".to_owned());
    let record_id = match existing {
        Some(record) => {
            source_record::ActiveModel {
                id: Set(record.id),
                content_hash: Set(hash.to_owned()),
                active: Set(true),
                fields: Set(fields),
                raw: Set(raw.to_owned()),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(db)
            .await?;
            record.id
        }
        None => {
            let id = run.ids.next(db, Table::SourceRecord).await?;
            run.staged.source_records.push(source_record::ActiveModel {
                id: Set(id),
                source_id: Set(ctx.source_id),
                upstream_id: Set(mapped.upstream_id.clone()),
                organisation_id: Set(organisation_id),
                content_hash: Set(hash.to_owned()),
                active: Set(true),
                fields: Set(fields),
                raw: Set(raw.to_owned()),
                updated_at: Set(now),
            });
            id
        }
    };

    for (scheme, value) in identifiers(mapped) {
        if run.known.claim(scheme, value.clone(), organisation_id) {
            run.staged
                .identifiers
                .push(organisation_identifier::ActiveModel {
                    organisation_id: Set(organisation_id),
                    scheme: Set(scheme.to_owned()),
                    value: Set(value),
                    ..Default::default()
                });
        }
    }

    // Sites: update in place (ids stay stable), add new ones, drop those gone upstream.
    // A record seen for the first time has no links yet.
    let linked_sites: HashMap<String, i32> = match existing {
        None => HashMap::new(),
        Some(_) => source_site::Entity::find()
            .filter(source_site::Column::SourceRecordId.eq(record_id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.upstream_key, l.site_id))
            .collect(),
    };
    let mut site_ids: HashMap<&str, i32> = HashMap::new();
    let mut site_words: HashMap<&str, String> = HashMap::new();
    for upstream_site in &input.sites {
        // A site a partner wrote keeps the fields it pinned (`write`).
        let current = match linked_sites.get(&upstream_site.key) {
            Some(&id) => locked_site(db, id).await?,
            None => None,
        };
        let mut effective = upstream_site.clone();
        if let Some(current) = &current {
            keep_pinned_site(&mut effective, current);
        }
        let input_site = &effective;
        let mut model = site_model(organisation_id, input_site);
        let after = SiteState::of_input(input_site);
        let site_id = match linked_sites.get(&input_site.key) {
            Some(&id) => {
                let before = current.as_ref().map(SiteState::of);
                let changed = listing::changes(before.as_ref(), &after);
                if before.is_some() && !changed.is_empty() {
                    run.changes.push(Change::of(
                        "site",
                        organisation_id,
                        id,
                        "updated",
                        changed.into_keys(),
                        "sync",
                    ));
                }
                model.id = Set(id);
                if let Some(current) = &current {
                    model.version = Set(current.version + 1);
                }
                model.update(db).await?;
                site_territory::Entity::delete_many()
                    .filter(site_territory::Column::SiteId.eq(id))
                    .exec(db)
                    .await?;
                id
            }
            None => {
                let id = run.ids.next(db, Table::Site).await?;
                run.changes.push(Change::of(
                    "site",
                    organisation_id,
                    id,
                    "created",
                    listing::changes(None, &after).into_keys(),
                    "sync",
                ));
                model.id = Set(id);
                run.staged.sites.push(model);
                run.staged.source_sites.push(source_site::ActiveModel {
                    source_record_id: Set(record_id),
                    upstream_key: Set(input_site.key.clone()),
                    site_id: Set(id),
                });
                id
            }
        };
        run.known
            .add_input_site(site_id, organisation_id, input_site);
        let (words, territories) = site_territories_and_words(ctx.reference, site_id, input_site);
        run.staged.site_territories.extend(territories);
        site_ids.insert(upstream_site.key.as_str(), site_id);
        site_words.insert(upstream_site.key.as_str(), words);
    }
    let linked_services: HashMap<String, i32> = match existing {
        None => HashMap::new(),
        Some(_) => source_service::Entity::find()
            .filter(source_service::Column::SourceRecordId.eq(record_id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| (l.upstream_id, l.service_id))
            .collect(),
    };
    // Locked on PostgreSQL until the run commits, so that a partner's write cannot slip
    // between their reading and the update; read before gone sites are deleted (their
    // locations go with them), so that the audit trail sees those locations leave.
    let linked_ids: Vec<i32> = linked_services.values().copied().collect();
    let mut stored = listing::load_services(db, ctx.reference, &linked_ids, true).await?;
    // Sites gone upstream are deleted where they may be.
    let gone: Vec<i32> = linked_sites
        .iter()
        .filter(|(key, _)| !site_ids.contains_key(key.as_str()))
        .map(|(_, id)| *id)
        .collect();
    let gone = deletable_sites(db, record_id, gone).await?;
    if !gone.is_empty() {
        for id in &gone {
            run.known.sites.remove(id);
            run.changes.push(Change::of(
                "site",
                organisation_id,
                *id,
                "deleted",
                Vec::new(),
                "sync",
            ));
        }
        site::Entity::delete_many()
            .filter(site::Column::Id.is_in(gone))
            .exec(db)
            .await?;
    }

    // Services: the same, except that a service gone upstream becomes inactive.
    let mut written = HashSet::new();
    for input_service in &input.services {
        // A service a partner wrote keeps the fields it pinned (`write`).
        let (current, before) = linked_services
            .get(&input_service.upstream_id)
            .and_then(|id| stored.remove(id))
            .unzip();
        let pinned: Vec<&str> = current
            .as_ref()
            .map(|c| c.pinned.split_whitespace().collect())
            .unwrap_or_default();
        let mut upstream = input_service.clone();
        if let Some(current) = &current {
            keep_pinned_texts(&mut upstream, current, &pinned);
        }
        let text = service_search_text(ctx.reference, &upstream, &site_words);
        let mut model = service_model(organisation_id, &upstream, text, now);
        let mut after =
            ServiceState::upstream(ctx.reference, &upstream, &site_ids, before.as_ref());
        // A status the partner pinned stays (the row keeps it below).
        if let Some(before) = &before
            && pinned.contains(&"status")
        {
            after.status.clone_from(&before.status);
        }
        let mut changes = listing::changes(before.as_ref(), &after);
        changes.retain(|field, _| !pinned.contains(&field.as_str()));
        let service_id = match linked_services.get(&input_service.upstream_id) {
            Some(&id) => {
                model.id = Set(id);
                model.created_at = sea_orm::ActiveValue::NotSet;
                // Publication is curation (`store::curate`), not an upstream's to reset.
                model.published = sea_orm::ActiveValue::NotSet;
                if let Some(current) = &current {
                    model.version = Set(current.version + 1);
                    if pinned.contains(&"fee") {
                        model.fee = sea_orm::ActiveValue::NotSet;
                    }
                    if pinned.contains(&"referral_required") {
                        model.referral_required = sea_orm::ActiveValue::NotSet;
                    }
                    if pinned.contains(&"status") {
                        model.status = sea_orm::ActiveValue::NotSet;
                    }
                }
                model.update(db).await?;
                clear_children(db, id, &pinned).await?;
                if !changes.is_empty() {
                    let seen = (before.as_ref().map(ServiceState::seen), after.seen());
                    run.service_changed(ctx, organisation_id, id, "updated", &changes, seen);
                }
                id
            }
            None => {
                let id = run.ids.next(db, Table::Service).await?;
                model.id = Set(id);
                run.staged.services.push(model);
                run.service_changed(
                    ctx,
                    organisation_id,
                    id,
                    "created",
                    &changes,
                    (None, after.seen()),
                );
                run.staged
                    .source_services
                    .push(source_service::ActiveModel {
                        source_record_id: Set(record_id),
                        upstream_id: Set(input_service.upstream_id.clone()),
                        service_id: Set(id),
                    });
                id
            }
        };
        written.insert(service_id);
        let staged = &mut run.staged;
        let children = service_children(ctx.reference, service_id, input_service, &site_ids);
        if !pinned.contains(&"categories") {
            staged.children.categories.extend(children.categories);
        }
        if !pinned.contains(&"languages") {
            staged.children.languages.extend(children.languages);
        }
        if !pinned.contains(&"locations") {
            staged.children.locations.extend(children.locations);
        }
        staged
            .children
            .accreditations
            .extend(children.accreditations);
        if !pinned.contains(&"contacts") {
            staged.children.contacts.extend(children.contacts);
        }
        staged.provenance.push(provenance_row(
            ctx,
            "service",
            service_id,
            store::present_fields(&service_fields(input_service)),
            &input_service.upstream_id,
        ));
    }
    if !mapped.partial {
        let withdrawn: Vec<i32> = linked_services
            .values()
            .copied()
            .filter(|id| !written.contains(id))
            .collect();
        set_inactive(db, ctx, &withdrawn, run).await?;
    }
    run.touched.insert(organisation_id);
    Ok(if existing.is_some() {
        Outcome::Updated
    } else {
        Outcome::Created
    })
}

/// Of the sites a record no longer lists, those a sync may delete: not one a partner
/// wrote (pinned), nor one where a service other than the record's own is delivered, or
/// one of its own whose locations a partner pinned.
async fn deletable_sites<C: ConnectionTrait>(
    db: &C,
    record_id: i32,
    gone: Vec<i32>,
) -> Result<Vec<i32>, DbErr> {
    if gone.is_empty() {
        return Ok(gone);
    }
    let pinned: HashSet<i32> = site::Entity::find()
        .select_only()
        .column(site::Column::Id)
        .filter(site::Column::Id.is_in(gone.iter().copied()))
        .filter(site::Column::Pinned.ne(""))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let own: HashSet<i32> = source_service::Entity::find()
        .select_only()
        .column(source_service::Column::ServiceId)
        .filter(source_service::Column::SourceRecordId.eq(record_id))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let located: Vec<(i32, i32)> = service_at_site::Entity::find()
        .select_only()
        .column(service_at_site::Column::SiteId)
        .column(service_at_site::Column::ServiceId)
        .filter(service_at_site::Column::SiteId.is_in(gone.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let pinned_locations: HashSet<i32> = service::Entity::find()
        .select_only()
        .column(service::Column::Id)
        .filter(service::Column::Id.is_in(located.iter().map(|(_, s)| *s)))
        .filter(service::Column::Pinned.like("%locations%"))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let kept: HashSet<i32> = located
        .iter()
        .filter(|(_, service)| !own.contains(service) || pinned_locations.contains(service))
        .map(|(site, _)| *site)
        .chain(pinned)
        .collect();
    Ok(gone.into_iter().filter(|id| !kept.contains(id)).collect())
}

/// A site row about to be rewritten by a sync, locked as [`locked_service`].
async fn locked_site<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<site::Model>, DbErr> {
    let query = site::Entity::find_by_id(id);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        query.lock_exclusive().one(db).await
    } else {
        query.one(db).await
    }
}

/// The upstream's site with the fields a partner pinned put back.
fn keep_pinned_site(input: &mut store::SiteInput, current: &site::Model) {
    let pinned: Vec<&str> = current.pinned.split_whitespace().collect();
    let texts: [(&str, &mut Option<String>, &Option<String>); 6] = [
        ("street_fr", &mut input.street_fr, &current.street_fr),
        ("street_nl", &mut input.street_nl, &current.street_nl),
        (
            "house_number",
            &mut input.house_number,
            &current.house_number,
        ),
        ("postcode", &mut input.postcode, &current.postcode),
        (
            "municipality_fr",
            &mut input.municipality_fr,
            &current.municipality_fr,
        ),
        (
            "municipality_nl",
            &mut input.municipality_nl,
            &current.municipality_nl,
        ),
    ];
    for (field, slot, kept) in texts {
        if pinned.contains(&field) {
            slot.clone_from(kept);
        }
    }
    if pinned.contains(&"lat") || pinned.contains(&"lon") {
        input.point = current
            .lat
            .zip(current.lon)
            .map(|(lat, lon)| crate::geo::Point { lat, lon });
    }
}

/// The upstream's service with the texts a partner pinned put back.
fn keep_pinned_texts(input: &mut store::ServiceInput, current: &service::Model, pinned: &[&str]) {
    input.name_fr = keep(pinned, "name_fr", &input.name_fr, current);
    input.name_nl = keep(pinned, "name_nl", &input.name_nl, current);
    input.name_en = keep(pinned, "name_en", &input.name_en, current);
    input.description_fr = keep(pinned, "description_fr", &input.description_fr, current);
    input.description_nl = keep(pinned, "description_nl", &input.description_nl, current);
    input.description_en = keep(pinned, "description_en", &input.description_en, current);
    input.target_public_fr = keep(pinned, "target_public_fr", &input.target_public_fr, current);
    input.target_public_nl = keep(pinned, "target_public_nl", &input.target_public_nl, current);
    input.target_public_en = keep(pinned, "target_public_en", &input.target_public_en, current);
}

/// The stored text when `field` is pinned, else the upstream's.
fn keep(
    pinned: &[&str],
    field: &str,
    upstream: &Option<String>,
    current: &service::Model,
) -> Option<String> {
    match current.text(field) {
        Some(kept) if pinned.contains(&field) => kept.clone(),
        _ => upstream.clone(),
    }
}

/// Deletes a service's children before a sync writes them again, except those a
/// partner pinned.
async fn clear_children<C: ConnectionTrait>(
    db: &C,
    service_id: i32,
    pinned: &[&str],
) -> Result<(), DbErr> {
    if !pinned.contains(&"categories") {
        service_category::Entity::delete_many()
            .filter(service_category::Column::ServiceId.eq(service_id))
            .exec(db)
            .await?;
    }
    if !pinned.contains(&"languages") {
        service_language::Entity::delete_many()
            .filter(service_language::Column::ServiceId.eq(service_id))
            .exec(db)
            .await?;
    }
    if !pinned.contains(&"locations") {
        service_at_site::Entity::delete_many()
            .filter(service_at_site::Column::ServiceId.eq(service_id))
            .exec(db)
            .await?;
    }
    accreditation::Entity::delete_many()
        .filter(accreditation::Column::ServiceId.eq(service_id))
        .exec(db)
        .await?;
    // Professional lines are curation: the upstream's contacts are rewritten, not them.
    if !pinned.contains(&"contacts") {
        contact_point::Entity::delete_many()
            .filter(contact_point::Column::ServiceId.eq(service_id))
            .filter(contact_point::Column::Internal.eq(false))
            .exec(db)
            .await?;
    }
    provenance::Entity::delete_many()
        .filter(provenance::Column::Entity.eq("service"))
        .filter(provenance::Column::EntityId.eq(service_id))
        .exec(db)
        .await?;
    Ok(())
}

fn provenance_row(
    ctx: &Context<'_>,
    entity: &str,
    entity_id: i32,
    fields: String,
    upstream_id: &str,
) -> provenance::ActiveModel {
    provenance::ActiveModel {
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        fields: Set(fields),
        source_id: Set(ctx.source_id),
        upstream_id: Set(upstream_id.to_owned()),
        retrieved_at: Set(ctx.retrieved_at),
        ..Default::default()
    }
}

/// Services gone upstream become inactive (a status a partner set stays), each with an
/// audit entry.
async fn set_inactive<C: ConnectionTrait>(
    db: &C,
    ctx: &Context<'_>,
    service_ids: &[i32],
    run: &mut Run,
) -> Result<(), DbErr> {
    for chunk in service_ids.chunks(IDS_PER_STATEMENT) {
        let active: Vec<(i32, i32, ServiceStatus, bool)> = service::Entity::find()
            .select_only()
            .column(service::Column::Id)
            .column(service::Column::OrganisationId)
            .column(service::Column::Status)
            .column(service::Column::Published)
            .filter(service::Column::Id.is_in(chunk.iter().copied()))
            .filter(service::Column::Status.ne(ServiceStatus::Inactive))
            .filter(service::Column::Pinned.not_like("%status%"))
            .into_tuple()
            .all(db)
            .await?;
        for (id, organisation_id, status, published) in active {
            let mut changes = std::collections::BTreeMap::new();
            changes.insert(
                "status".to_owned(),
                [
                    serde_json::Value::from(status.as_str()),
                    serde_json::Value::from(ServiceStatus::Inactive.as_str()),
                ],
            );
            let seen = (
                Some(Seen::of(published, status)),
                Seen::of(published, ServiceStatus::Inactive),
            );
            run.service_changed(ctx, organisation_id, id, "deactivated", &changes, seen);
        }
    }
    for chunk in service_ids.chunks(IDS_PER_STATEMENT) {
        service::Entity::update_many()
            .col_expr(
                service::Column::Status,
                sea_orm::sea_query::Expr::value(ServiceStatus::Inactive),
            )
            .col_expr(
                service::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .col_expr(
                service::Column::Version,
                sea_orm::sea_query::ExprTrait::add(
                    sea_orm::sea_query::Expr::col(service::Column::Version),
                    1,
                ),
            )
            .filter(service::Column::Id.is_in(chunk.iter().copied()))
            // A status a partner set stays.
            .filter(service::Column::Pinned.not_like("%status%"))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Records that a complete run no longer saw: their services become inactive (never
/// deleted), and their organisations' merged values are chosen again without them.
pub async fn deactivate<C: ConnectionTrait>(
    db: &C,
    ctx: &Context<'_>,
    records: &[&source_record::Model],
    run: &mut Run,
) -> Result<(), DbErr> {
    let ids: Vec<i32> = records.iter().map(|r| r.id).collect();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        source_record::Entity::update_many()
            .col_expr(
                source_record::Column::Active,
                sea_orm::sea_query::Expr::value(false),
            )
            .col_expr(
                source_record::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(source_record::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
        let services: Vec<i32> = source_service::Entity::find()
            .select_only()
            .column(source_service::Column::ServiceId)
            .filter(source_service::Column::SourceRecordId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        set_inactive(db, ctx, &services, run).await?;
    }
    run.touched
        .extend(records.iter().map(|r| r.organisation_id));
    Ok(())
}

/// What one organisation's records say, merged.
struct Merged {
    organisation: Option<organisation::ActiveModel>,
    /// The fields it changes (`contacts` among them when they are replaced).
    changed: Vec<&'static str>,
    conflicts: Vec<conflict::ActiveModel>,
    provenance: Vec<provenance::ActiveModel>,
    /// The public contacts, when they differ from the stored ones.
    contacts: Option<Vec<contact_point::ActiveModel>>,
}

/// A source record as the merge reads it: its source's name, id, upstream id, fields.
type RecordFields = (String, i32, String, OrganisationFields);

/// A public contact: kind, value, language.
type PublicContact = (ContactKind, String, Option<String>);

/// Chooses each field of the touched organisations from the most trusted source that
/// gives it, records disagreements, and rewrites an organisation only where something
/// changed. An organisation without active records keeps what it has. Staged rows are
/// written first: the merge reads them.
pub async fn recompute<C: ConnectionTrait>(
    db: &C,
    ctx: &Context<'_>,
    run: &mut Run,
) -> Result<(), DbErr> {
    run.staged.flush(db).await?;
    let touched: Vec<i32> = std::mem::take(&mut run.touched).into_iter().collect();
    for chunk in touched.chunks(IDS_PER_STATEMENT) {
        let rows: Vec<(i32, String, i32, String)> = source_record::Entity::find()
            .select_only()
            .column(source_record::Column::SourceId)
            .column(source_record::Column::UpstreamId)
            .column(source_record::Column::OrganisationId)
            .column(source_record::Column::Fields)
            .filter(source_record::Column::OrganisationId.is_in(chunk.iter().copied()))
            .filter(source_record::Column::Active.eq(true))
            .order_by_asc(source_record::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        let mut records: HashMap<i32, Vec<RecordFields>> = HashMap::new();
        for (source_id, upstream_id, organisation_id, fields) in rows {
            let name = ctx
                .source_names
                .get(&source_id)
                .cloned()
                .unwrap_or_default();
            let fields: OrganisationFields = serde_json::from_str(&fields).unwrap_or_default();
            records.entry(organisation_id).or_default().push((
                name,
                source_id,
                upstream_id,
                fields,
            ));
        }
        let merged_ids: Vec<i32> = chunk
            .iter()
            .copied()
            .filter(|id| records.contains_key(id))
            .collect();
        if merged_ids.is_empty() {
            continue;
        }
        let current: HashMap<i32, organisation::Model> = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(merged_ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let mut stored_contacts: HashMap<i32, Vec<PublicContact>> = HashMap::new();
        let contact_rows: Vec<(Option<i32>, ContactKind, String, Option<String>)> =
            contact_point::Entity::find()
                .select_only()
                .column(contact_point::Column::OrganisationId)
                .column(contact_point::Column::Kind)
                .column(contact_point::Column::Value)
                .column(contact_point::Column::Language)
                .filter(contact_point::Column::OrganisationId.is_in(merged_ids.iter().copied()))
                .filter(contact_point::Column::Internal.eq(false))
                .order_by_asc(contact_point::Column::Id)
                .into_tuple()
                .all(db)
                .await?;
        for (organisation_id, kind, value, language) in contact_rows {
            if let Some(id) = organisation_id {
                stored_contacts
                    .entry(id)
                    .or_default()
                    .push((kind, value, language));
            }
        }

        let mut organisations = Vec::new();
        let mut conflicts = Vec::new();
        let mut provenance_rows = Vec::new();
        let mut contacts_replaced = Vec::new();
        let mut contacts = Vec::new();
        for id in &merged_ids {
            let (Some(current), Some(records)) = (current.get(id), records.get_mut(id)) else {
                continue;
            };
            let stored = stored_contacts.remove(id).unwrap_or_default();
            let merged = merge(ctx, current, records, &stored);
            if !merged.changed.is_empty() {
                run.changes.push(Change::of(
                    "organisation",
                    *id,
                    *id,
                    "updated",
                    merged.changed.iter().map(|f| (*f).to_owned()),
                    "sync",
                ));
            }
            organisations.extend(merged.organisation);
            conflicts.extend(merged.conflicts);
            provenance_rows.extend(merged.provenance);
            if let Some(new) = merged.contacts {
                contacts_replaced.push(*id);
                contacts.extend(new);
            }
        }

        conflict::Entity::delete_many()
            .filter(conflict::Column::OrganisationId.is_in(merged_ids.iter().copied()))
            .exec(db)
            .await?;
        insert_all(db, conflicts).await?;
        provenance::Entity::delete_many()
            .filter(provenance::Column::Entity.eq("organisation"))
            .filter(provenance::Column::EntityId.is_in(merged_ids.iter().copied()))
            .exec(db)
            .await?;
        insert_all(db, provenance_rows).await?;
        if !contacts_replaced.is_empty() {
            contact_point::Entity::delete_many()
                .filter(contact_point::Column::OrganisationId.is_in(contacts_replaced))
                .filter(contact_point::Column::Internal.eq(false))
                .exec(db)
                .await?;
            insert_all(db, contacts).await?;
        }
        // Changed organisations are rewritten in batches: an insert that meets its own
        // id takes the update path.
        let mut organisations = organisations.into_iter().peekable();
        while organisations.peek().is_some() {
            let batch: Vec<_> = organisations
                .by_ref()
                .take(store::ROWS_PER_INSERT)
                .collect();
            organisation::Entity::insert_many(batch)
                .on_conflict(
                    OnConflict::column(organisation::Column::Id)
                        .update_columns([
                            organisation::Column::NameFr,
                            organisation::Column::NameNl,
                            organisation::Column::LegalStatusFr,
                            organisation::Column::LegalStatusNl,
                            organisation::Column::Website,
                            organisation::Column::SearchText,
                            organisation::Column::UpdatedAt,
                        ])
                        .to_owned(),
                )
                .exec_without_returning(db)
                .await?;
        }
    }
    Ok(())
}

/// The merge of one organisation's active records (not empty), most trusted first.
fn merge(
    ctx: &Context<'_>,
    current: &organisation::Model,
    records: &mut [RecordFields],
    stored_contacts: &[PublicContact],
) -> Merged {
    let organisation_id = current.id;
    records.sort_by(|a, b| {
        (ctx.priority.rank("", &a.0), &a.0).cmp(&(ctx.priority.rank("", &b.0), &b.0))
    });

    type Getter = fn(&OrganisationFields) -> Option<&String>;
    let getters: [(&str, Getter); 5] = [
        ("name_fr", |f| f.name_fr.as_ref()),
        ("name_nl", |f| f.name_nl.as_ref()),
        ("legal_status_fr", |f| f.legal_status_fr.as_ref()),
        ("legal_status_nl", |f| f.legal_status_nl.as_ref()),
        ("website", |f| f.website.as_ref()),
    ];
    let mut chosen: HashMap<&str, Option<String>> = HashMap::new();
    // The chosen fields per record (source and upstream id), in field order.
    let mut chosen_from: Vec<((i32, &String), Vec<&str>)> = Vec::new();
    let mut conflicts = Vec::new();
    for (field, get) in getters {
        let mut candidates: Vec<(&String, i32, &String, &String)> = records
            .iter()
            .filter_map(|(name, source_id, upstream_id, fields)| {
                get(fields).map(|v| (name, *source_id, upstream_id, v))
            })
            .collect();
        candidates.sort_by(|a, b| {
            (ctx.priority.rank(field, a.0), a.0).cmp(&(ctx.priority.rank(field, b.0), b.0))
        });
        chosen.insert(field, candidates.first().map(|c| c.3.clone()));
        if let Some(&(_, source_id, upstream_id, _)) = candidates.first() {
            match chosen_from
                .iter_mut()
                .find(|(record, _)| *record == (source_id, upstream_id))
            {
                Some((_, fields)) => fields.push(field),
                None => chosen_from.push(((source_id, upstream_id), vec![field])),
            }
        }
        // Values that differ only in writing (case, accents, `http` or `https`, `www.`)
        // are not a disagreement.
        let distinct: HashSet<String> = candidates
            .iter()
            .map(|c| match field {
                "website" => WebUrl::parse(c.3).map_or_else(|_| c.3.clone(), |u| u.key()),
                _ => normalize_for_search(c.3),
            })
            .collect();
        if distinct.len() > 1 {
            // By source; a source that gives two values (two records of one
            // organisation) by source and record.
            let mut values = serde_json::Map::new();
            for (source, _, upstream_id, value) in &candidates {
                let key = match values.get(source.as_str()) {
                    Some(given) if given.as_str() != Some(value.as_str()) => {
                        format!("{source}:{upstream_id}")
                    }
                    _ => (*source).clone(),
                };
                values.insert(key, serde_json::Value::from(value.as_str()));
            }
            conflicts.push(conflict::ActiveModel {
                organisation_id: Set(organisation_id),
                field: Set(field.to_owned()),
                values: Set(serde_json::Value::Object(values).to_string()),
                chosen_source: Set(candidates[0].0.clone()),
                detected_at: Set(Utc::now()),
                ..Default::default()
            });
        }
    }
    let provenance_rows = chosen_from
        .into_iter()
        .map(
            |((source_id, upstream_id), fields)| provenance::ActiveModel {
                source_id: Set(source_id),
                ..provenance_row(
                    ctx,
                    "organisation",
                    organisation_id,
                    fields.join(" "),
                    upstream_id,
                )
            },
        )
        .collect();
    let pick = |field: &str| chosen.get(field).cloned().flatten();
    let (name_fr, name_nl) = (pick("name_fr"), pick("name_nl"));
    let mut changed_fields: Vec<&'static str> = [
        ("name_fr", &current.name_fr),
        ("name_nl", &current.name_nl),
        ("legal_status_fr", &current.legal_status_fr),
        ("legal_status_nl", &current.legal_status_nl),
        ("website", &current.website),
    ]
    .into_iter()
    .filter(|(field, stored)| **stored != pick(field))
    .map(|(field, _)| field)
    .collect();
    let changed = !changed_fields.is_empty();
    let organisation =
        (changed && (name_fr.is_some() || name_nl.is_some())).then(|| organisation::ActiveModel {
            id: Set(organisation_id),
            search_text: Set(organisation_search_text(&name_fr, &name_nl)),
            name_fr: Set(name_fr),
            name_nl: Set(name_nl),
            legal_status_fr: Set(pick("legal_status_fr")),
            legal_status_nl: Set(pick("legal_status_nl")),
            website: Set(pick("website")),
            is_demo: Set(current.is_demo),
            created_at: Set(current.created_at),
            updated_at: Set(Utc::now()),
        });

    // Public contacts: every source's, most trusted first, without repeats (an e-mail
    // address in other capitals is a repeat).
    let mut contacts: Vec<PublicContact> = Vec::new();
    for (_, _, _, fields) in records.iter() {
        for contact in &fields.contacts {
            if !contacts
                .iter()
                .any(|c| c.0 == contact.0 && c.1.to_lowercase() == contact.1.to_lowercase())
            {
                contacts.push(contact.clone());
            }
        }
    }
    if stored_contacts != contacts.as_slice() {
        changed_fields.push("contacts");
    }
    let contacts = (stored_contacts != contacts.as_slice()).then(|| {
        contacts
            .into_iter()
            .map(|(kind, value, language)| contact_point::ActiveModel {
                organisation_id: Set(Some(organisation_id)),
                service_id: Set(None),
                kind: Set(kind),
                value: Set(value),
                language: Set(language),
                internal: Set(false),
                ..Default::default()
            })
            .collect()
    });
    if organisation.is_none() {
        changed_fields.retain(|field| *field == "contacts");
    }
    Merged {
        organisation,
        changed: changed_fields,
        conflicts,
        provenance: provenance_rows,
        contacts,
    }
}
