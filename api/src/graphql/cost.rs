//! Depth and complexity of an operation, computed by us before async-graphql runs it, so
//! a refusal carries our own code (`DEPTH_LIMIT_EXCEEDED`, `COMPLEXITY_LIMIT_EXCEEDED`)
//! and no extension sits on every field's resolution.
//!
//! The numbers are async-graphql's (a test compares them over a corpus): a field costs
//! 1 plus its children, except the fields of `CUSTOM`, whose cost the schema declares
//! with the same functions; `__typename` costs nothing; spreads are counted where they
//! are used, inline fragments take their type condition; every operation of the document
//! counts. Unlike async-graphql, each fragment is costed once per enclosing type, so the
//! computation is linear in the size of the document, and an introspection field
//! (`__schema`, `__type`) counts one level of depth: what it may return is bounded by
//! its nested lists instead ([`MAX_INTROSPECTION_LISTS`]).

use std::collections::HashMap;

use async_graphql::Positioned;

use crate::geo::Level;
use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, Field, OperationDefinition, OperationType,
    Selection, SelectionSet, ServiceDocument, TypeKind, TypeSystemDefinition, VariableDefinition,
};
use async_graphql_value::{ConstValue, Value};

/// Items a page is costed for when its `first` is not given.
pub const DEFAULT_PAGE_COST_ITEMS: usize = 20;
// Every list is costed at least its real fan-out, measured on the bundled data (171
// territories, a territory with up to 43 children and 6 parents, 82 categories, a
// category with up to 5 children, 7 authorities; in the demo an organisation with up to
// 13 services and 5 sites, a service with up to 13 categories, 7 accreditations, 2 sites
// and 3 contact points, a site in 5 territories, a record with 3 sources), so nesting
// them is refused before it builds a response of megabytes. A record with more than its
// list's cost is still bounded by the response-size limit (`limits.max_response_bytes`).
/// `Organisation.services`: the services of one organisation.
pub const ORGANISATION_SERVICES: usize = 20;
/// `Organisation.sites`: the sites of one organisation.
pub const ORGANISATION_SITES: usize = 20;
/// `Service.sites`: the sites a service is offered at.
pub const SERVICE_SITES: usize = 5;
/// `Service.categories`: a service's categories, with the broader ones they imply.
pub const SERVICE_CATEGORIES: usize = 15;
/// `Service.accreditations`.
pub const SERVICE_ACCREDITATIONS: usize = 8;
/// `contacts`, `internalContacts` and `identifiers` of one record.
pub const RECORD_CONTACTS: usize = 5;
/// `provenance` of one record: one entry per source that lists it.
pub const RECORD_SOURCES: usize = 5;
/// `Service.annotations`.
pub const SERVICE_ANNOTATIONS: usize = 10;
/// `territories` of a site: one per level.
pub const SITE_TERRITORIES: usize = 6;
/// `ServiceSite.schedule`: opening slots in a week.
pub const SCHEDULE_SLOTS: usize = 14;
/// `conflicts` without `first`.
pub const DEFAULT_CONFLICTS: usize = 100;
/// `sources`: the sources the database knows.
pub const SOURCES: usize = 20;
/// `SyncRun.rejections`, `unknownCodes` and `issues`: the first ones of a run's report.
pub const RUN_ITEMS: usize = 100;
/// `Territory.children`: the sub-territories of one territory.
pub const TERRITORY_CHILDREN: usize = 50;
/// `Territory.parents`: the territories one lies in.
pub const TERRITORY_PARENTS: usize = 8;
/// `categories`: the whole taxonomy.
pub const CATEGORIES: usize = 100;
/// `Category.children`.
pub const CATEGORY_CHILDREN: usize = 10;
/// `AuditEntry.changes`: the fields one write changed (a service has 17).
pub const AUDIT_CHANGES: usize = 20;
/// `authorities`.
pub const AUTHORITIES: usize = 10;
/// `servicesGeoJson`: a whole map in one field, counted as a full page of services with
/// their places.
pub const GEOJSON: usize = 500;
/// `coverage`: every quartier of a territory against every entry of the offer, computed
/// for each call, counted as a whole map.
pub const COVERAGE: usize = GEOJSON;
/// `Territory.indicators`: the indicators imported for one territory, every year.
pub const TERRITORY_INDICATORS: usize = 50;
/// The entries of the basic offer (`basicOffer`, a coverage's `categories`).
pub const OFFER_ITEMS: usize = 20;
/// `Coverage.quartiers`: the residential quartiers of a territory (118 in the region).
pub const COVERAGE_QUARTIERS: usize = 120;
/// A demand summary's cells or a team's signals in one answer (a bassin's quartiers ×
/// a few categories × months); the response-size limit bounds the rest.
pub const DEMAND_ROWS: usize = 200;
/// A demand cell's `counts`: one per outcome.
pub const DEMAND_OUTCOMES: usize = 6;
/// An orientation's `reasons` and `fails`: one per criterion.
pub const CRITERIA: usize = 7;
/// `resolvePoint`: the territories containing a point.
pub const POINT_TERRITORIES: usize = 8;

/// Territories `territories(level:)` may list: the bundled data has 1 region, 1 zone,
/// 5 bassins, 19 communes and 145 quartiers.
fn territories_at(level: Option<Level>) -> usize {
    match level {
        Some(Level::Region | Level::Zone) => 1,
        Some(Level::Bassin) => 5,
        Some(Level::Commune) => 19,
        Some(Level::QuartierSocialSante | Level::Quartier) => 150,
        None => 200,
    }
}

/// The cost of `territories(level:)`: its fields once per territory it may list.
pub fn territories_cost(level: Option<Level>, child_complexity: usize) -> usize {
    territories_at(level).saturating_mul(child_complexity)
}

/// The cost of a page: its fields counted once per item it may hold.
pub fn page_cost(first: Option<i32>, child_complexity: usize) -> usize {
    first_cost(first, DEFAULT_PAGE_COST_ITEMS, child_complexity)
}

/// The cost of a list of the `first` items, `default` when not given.
pub fn first_cost(first: Option<i32>, default: usize, child_complexity: usize) -> usize {
    let items = first
        .map_or(default, |n| usize::try_from(n).unwrap_or(0))
        .max(1);
    items.saturating_mul(child_complexity)
}

#[derive(Clone, Copy, Debug)]
enum Custom {
    /// `page_cost(first, children)`.
    Page,
    /// `first_cost(first, DEFAULT_CONFLICTS, children)`.
    Conflicts,
    /// `territories_cost(level, children)`.
    Territories,
    /// `n * children`.
    Times(usize),
    /// `n + children`: a field whose work does not follow from its selection.
    Plus(usize),
}

/// The fields whose complexity the schema declares (`#[graphql(complexity = …)]`).
const CUSTOM: &[(&str, &str, Custom)] = &[
    ("Query", "services", Custom::Page),
    ("Query", "organisations", Custom::Page),
    ("Query", "conflicts", Custom::Conflicts),
    ("Query", "auditTrail", Custom::Page),
    ("AuditEntry", "changes", Custom::Times(AUDIT_CHANGES)),
    ("Query", "territories", Custom::Territories),
    ("Query", "categories", Custom::Times(CATEGORIES)),
    ("Query", "authorities", Custom::Times(AUTHORITIES)),
    ("Query", "resolvePoint", Custom::Times(POINT_TERRITORIES)),
    ("Query", "sources", Custom::Times(SOURCES)),
    (
        "Organisation",
        "services",
        Custom::Times(ORGANISATION_SERVICES),
    ),
    ("Organisation", "sites", Custom::Times(ORGANISATION_SITES)),
    (
        "Organisation",
        "identifiers",
        Custom::Times(RECORD_CONTACTS),
    ),
    ("Organisation", "contacts", Custom::Times(RECORD_CONTACTS)),
    (
        "Organisation",
        "internalContacts",
        Custom::Times(RECORD_CONTACTS),
    ),
    ("Organisation", "provenance", Custom::Times(RECORD_SOURCES)),
    ("Service", "categories", Custom::Times(SERVICE_CATEGORIES)),
    ("Service", "sites", Custom::Times(SERVICE_SITES)),
    (
        "Service",
        "accreditations",
        Custom::Times(SERVICE_ACCREDITATIONS),
    ),
    ("Service", "contacts", Custom::Times(RECORD_CONTACTS)),
    (
        "Service",
        "internalContacts",
        Custom::Times(RECORD_CONTACTS),
    ),
    ("Service", "annotations", Custom::Times(SERVICE_ANNOTATIONS)),
    ("Service", "provenance", Custom::Times(RECORD_SOURCES)),
    (
        "ServiceSite",
        "territories",
        Custom::Times(SITE_TERRITORIES),
    ),
    ("ServiceSite", "schedule", Custom::Times(SCHEDULE_SLOTS)),
    ("Site", "territories", Custom::Times(SITE_TERRITORIES)),
    ("SyncRun", "rejections", Custom::Times(RUN_ITEMS)),
    ("SyncRun", "unknownCodes", Custom::Times(RUN_ITEMS)),
    ("Territory", "children", Custom::Times(TERRITORY_CHILDREN)),
    (
        "Territory",
        "indicators",
        Custom::Times(TERRITORY_INDICATORS),
    ),
    ("Query", "servicesGeoJson", Custom::Plus(GEOJSON)),
    ("Query", "coverage", Custom::Plus(COVERAGE)),
    ("Query", "orient", Custom::Page),
    ("Query", "demandSignals", Custom::Page),
    ("Query", "demandSummary", Custom::Times(DEMAND_ROWS)),
    ("DemandCell", "counts", Custom::Times(DEMAND_OUTCOMES)),
    ("DemandCell", "coverage", Custom::Times(OFFER_ITEMS)),
    (
        "DemandSignal",
        "categories",
        Custom::Times(SERVICE_CATEGORIES),
    ),
    ("Orientation", "reasons", Custom::Times(CRITERIA)),
    ("Orientation", "fails", Custom::Times(CRITERIA)),
    ("Query", "basicOffer", Custom::Times(OFFER_ITEMS)),
    ("Coverage", "categories", Custom::Times(OFFER_ITEMS)),
    ("Coverage", "quartiers", Custom::Times(COVERAGE_QUARTIERS)),
    ("QuartierCoverage", "categories", Custom::Times(OFFER_ITEMS)),
    ("QuartierCoverage", "missing", Custom::Times(OFFER_ITEMS)),
    ("Territory", "parents", Custom::Times(TERRITORY_PARENTS)),
    ("Category", "children", Custom::Times(CATEGORY_CHILDREN)),
];

/// List fields nested deeper than this inside `__schema` or `__type` make the document
/// refused. The introspection query of graphql-js (and GraphiQL) nests 3 (`types`,
/// `fields`, `args`); `types { fields { type { fields { type { fields … } } } } }` grows
/// by the number of fields at each level.
pub const MAX_INTROSPECTION_LISTS: usize = 3;

/// The list fields of the introspection types.
const INTROSPECTION_LISTS: [&str; 8] = [
    "types",
    "directives",
    "fields",
    "inputFields",
    "interfaces",
    "possibleTypes",
    "enumValues",
    "args",
];

/// Fragments spread inside one another deeper than this make the document refused: the
/// walk, like async-graphql's own, recurses through them.
pub const MAX_FRAGMENT_NESTING: usize = 32;

/// What one operation document asks of the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    pub depth: usize,
    pub complexity: usize,
    /// The most directives on one field.
    pub directives: usize,
    /// Field selections once every fragment is expanded, `__typename` included: the
    /// work a validator or executor that expands spreads would do.
    pub selections: usize,
    /// Fragments spread inside one another deeper than [`MAX_FRAGMENT_NESTING`].
    pub fragments_too_nested: bool,
    /// Aliased fields once every fragment is expanded.
    pub aliases: usize,
    /// Fields at the top of the selection set (an operation's root fields).
    pub fields: usize,
    /// Selects `__schema` or `__type` (not `__typename`).
    pub introspection: bool,
    /// The deepest nesting of list fields inside `__schema` or `__type` (`types`,
    /// `fields`, `args`…): what bounds an introspection response, whose own depth does
    /// not count in `depth`.
    pub introspection_lists: usize,
}

impl Cost {
    /// Adds a sibling selection's cost.
    fn add(&mut self, other: Cost) {
        self.depth = self.depth.max(other.depth);
        self.complexity = self.complexity.saturating_add(other.complexity);
        self.directives = self.directives.max(other.directives);
        self.selections = self.selections.saturating_add(other.selections);
        self.fragments_too_nested |= other.fragments_too_nested;
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.fields = self.fields.saturating_add(other.fields);
        self.introspection |= other.introspection;
        self.introspection_lists = self.introspection_lists.max(other.introspection_lists);
    }
}

/// What a document asks: all its operations together, as async-graphql's validation
/// counts depth and complexity, and the operation a request selects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocumentCost {
    pub total: Cost,
    /// The operation `selected_operation` picks, if any.
    pub selected: Option<Cost>,
}

/// The operation a request runs: the one named by `operationName`, else the only one.
pub fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<(Option<&'a str>, &'a OperationDefinition)> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => Some((None, &operation.node)),
        (DocumentOperations::Multiple(operations), Some(name)) => operations
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(n, op)| (Some(n.as_str()), &op.node)),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations
            .iter()
            .next()
            .map(|(n, op)| (Some(n.as_str()), &op.node)),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// The schema's types as far as cost goes: each field's named result type.
#[derive(Debug)]
pub struct CostModel {
    /// (type, field) → named type of the field.
    fields: HashMap<(String, String), String>,
    /// Object types (custom costs apply only on them, as in async-graphql).
    objects: std::collections::HashSet<String>,
}

impl CostModel {
    /// Reads the schema's types (`graphql::schema_document`).
    pub fn of_schema(schema: &ServiceDocument) -> CostModel {
        let mut fields = HashMap::new();
        let mut objects = std::collections::HashSet::new();
        for definition in &schema.definitions {
            let TypeSystemDefinition::Type(definition) = definition else {
                continue;
            };
            let name = definition.node.name.node.to_string();
            let declared = match &definition.node.kind {
                TypeKind::Object(object) => {
                    objects.insert(name.clone());
                    &object.fields
                }
                TypeKind::Interface(interface) => &interface.fields,
                _ => continue,
            };
            for field in declared {
                let mut ty = &field.node.ty.node;
                while let BaseType::List(inner) = &ty.base {
                    ty = inner;
                }
                if let BaseType::Named(named) = &ty.base {
                    fields.insert(
                        (name.clone(), field.node.name.node.to_string()),
                        named.to_string(),
                    );
                }
            }
        }
        CostModel { fields, objects }
    }

    /// The cost of every query operation of `document` and of the one named
    /// `operation_name`, with `variables` giving the values of `first` and `level`. Other
    /// operation types cost nothing: the schema has none, validation refuses them.
    pub fn cost(
        &self,
        document: &ExecutableDocument,
        operation_name: Option<&str>,
        variables: &serde_json::Map<String, serde_json::Value>,
    ) -> DocumentCost {
        let selected = selected_operation(document, operation_name).map(|(_, op)| op);
        let mut walk = Walk {
            model: self,
            document,
            variables,
            definitions: &[],
            memo: HashMap::new(),
            introspecting: false,
            visiting: Vec::new(),
        };
        let mut costs = DocumentCost::default();
        for (_, operation) in document.operations.iter() {
            let root = match operation.node.ty {
                OperationType::Query => "Query",
                OperationType::Mutation => "Mutation",
                OperationType::Subscription => "Subscription",
            };
            walk.definitions = &operation.node.variable_definitions;
            // Memoised costs depend on the operation's variables.
            walk.memo.clear();
            let cost = walk.set(&operation.node.selection_set.node, Some(root));
            costs.total.add(cost);
            if selected.is_some_and(|s| std::ptr::eq(s, &operation.node)) {
                costs.selected = Some(cost);
            }
        }
        costs
    }
}

struct Walk<'a> {
    model: &'a CostModel,
    document: &'a ExecutableDocument,
    variables: &'a serde_json::Map<String, serde_json::Value>,
    definitions: &'a [Positioned<VariableDefinition>],
    /// (fragment, enclosing type) → its cost there.
    memo: HashMap<(String, Option<String>, bool), Cost>,
    /// Inside `__schema` or `__type`.
    introspecting: bool,
    /// Fragments being costed: a cycle counts nothing (it is a validation error).
    visiting: Vec<String>,
}

impl Walk<'_> {
    fn set(&mut self, set: &SelectionSet, parent: Option<&str>) -> Cost {
        let mut total = Cost::default();
        for selection in &set.items {
            total.add(match &selection.node {
                Selection::Field(field) => self.field(&field.node, parent),
                Selection::InlineFragment(fragment) => {
                    let ty = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.to_string());
                    let parent = ty.as_deref().or(parent);
                    self.set(&fragment.node.selection_set.node, parent)
                }
                Selection::FragmentSpread(spread) => {
                    self.spread(spread.node.fragment_name.node.as_str(), parent)
                }
            });
        }
        total
    }

    fn spread(&mut self, name: &str, parent: Option<&str>) -> Cost {
        let key = (
            name.to_owned(),
            parent.map(str::to_owned),
            self.introspecting,
        );
        if let Some(cost) = self.memo.get(&key) {
            return *cost;
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return Cost::default();
        };
        if self.visiting.iter().any(|n| n == name) {
            return Cost::default();
        }
        if self.visiting.len() >= MAX_FRAGMENT_NESTING {
            return Cost {
                fragments_too_nested: true,
                ..Cost::default()
            };
        }
        self.visiting.push(name.to_owned());
        let cost = self.set(&fragment.node.selection_set.node, parent);
        self.visiting.pop();
        self.memo.insert(key, cost);
        cost
    }

    fn field(&mut self, field: &Field, parent: Option<&str>) -> Cost {
        let name = field.name.node.as_str();
        let aliases = usize::from(field.alias.is_some());
        if name == "__typename" {
            return Cost {
                directives: field.directives.len(),
                selections: 1,
                aliases,
                fields: 1,
                ..Cost::default()
            };
        }
        let ty = parent
            .and_then(|p| self.model.fields.get(&(p.to_owned(), name.to_owned())))
            .cloned();
        let enters = !self.introspecting && (name == "__schema" || name == "__type");
        self.introspecting |= enters;
        let children = self.set(&field.selection_set.node, ty.as_deref());
        if enters {
            self.introspecting = false;
        }
        let list = self.introspecting && INTROSPECTION_LISTS.contains(&name);
        let custom = parent
            .filter(|p| self.model.objects.contains(*p))
            .and_then(|p| {
                CUSTOM
                    .iter()
                    .find(|(t, f, _)| *t == p && *f == name)
                    .map(|(_, _, c)| *c)
            });
        let complexity = match custom {
            Some(Custom::Page) => page_cost(self.first(field), children.complexity),
            Some(Custom::Conflicts) => {
                first_cost(self.first(field), DEFAULT_CONFLICTS, children.complexity)
            }
            Some(Custom::Territories) => territories_cost(self.level(field), children.complexity),
            Some(Custom::Times(n)) => n.saturating_mul(children.complexity),
            Some(Custom::Plus(n)) => n.saturating_add(children.complexity),
            None => children.complexity.saturating_add(1),
        };
        Cost {
            // An introspection subtree is bounded by `introspection_lists` instead.
            depth: if enters { 1 } else { children.depth + 1 },
            complexity,
            directives: children.directives.max(field.directives.len()),
            selections: children.selections.saturating_add(1),
            fragments_too_nested: children.fragments_too_nested,
            aliases: children.aliases.saturating_add(aliases),
            fields: 1,
            introspection: children.introspection || enters,
            introspection_lists: children.introspection_lists + usize::from(list),
        }
    }

    /// The value of the field's argument `name`: a literal, the value of the variable it
    /// names (given even as null, which wins over the default, as in async-graphql), or
    /// that variable's default.
    fn argument(&self, field: &Field, name: &str) -> Option<ConstValue> {
        let value = &field.get_argument(name)?.node;
        let Value::Variable(variable) = value else {
            return value.clone().into_const();
        };
        match self.variables.get(variable.as_str()) {
            Some(given) => ConstValue::from_json(given.clone()).ok(),
            None => self
                .definitions
                .iter()
                .find(|d| d.node.name.node == *variable)
                .and_then(|d| d.node.default_value.as_ref())
                .map(|default| default.node.clone()),
        }
    }

    /// The field's `level` argument (an enum value, or its name in a variable).
    fn level(&self, field: &Field) -> Option<Level> {
        let name = match self.argument(field, "level")? {
            ConstValue::Enum(name) => name.to_string(),
            ConstValue::String(name) => name,
            _ => return None,
        };
        Level::ALL
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(&name))
    }

    /// The field's `first` argument.
    fn first(&self, field: &Field) -> Option<i32> {
        match self.argument(field, "first")? {
            ConstValue::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use async_graphql::{
        ServerError, ValidationResult,
        extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation},
        parser::parse_query,
    };

    use super::*;

    /// async-graphql's own numbers, read from its validation hook (tests only: an
    /// extension slows every field's resolution).
    #[derive(Clone, Default)]
    struct Measured(Arc<Mutex<Option<(usize, usize)>>>);

    impl ExtensionFactory for Measured {
        fn create(&self) -> Arc<dyn Extension> {
            Arc::new(self.clone())
        }
    }

    #[async_graphql::async_trait::async_trait]
    impl Extension for Measured {
        async fn validation(
            &self,
            ctx: &ExtensionContext<'_>,
            next: NextValidation<'_>,
        ) -> Result<ValidationResult, Vec<ServerError>> {
            let result = next.run(ctx).await?;
            *self.0.lock().unwrap_or_else(|e| e.into_inner()) =
                Some((result.depth, result.complexity));
            // Refused here, so nothing is resolved.
            Err(vec![ServerError::new("measured", None)])
        }
    }

    fn theirs(query: &str, variables: serde_json::Value) -> (usize, usize) {
        let measured = Measured::default();
        let schema = super::super::schema_builder()
            .extension(measured.clone())
            .finish();
        let request = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables));
        let response = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(schema.execute(request));
        let found = measured.0.lock().unwrap_or_else(|e| e.into_inner()).take();
        found.unwrap_or_else(|| panic!("{query}: {:?}", response.errors))
    }

    fn ours(query: &str, variables: serde_json::Value) -> (usize, usize) {
        let model = CostModel::of_schema(&super::super::schema_document());
        let document = parse_query(query).expect("parses");
        let variables = match variables {
            serde_json::Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let cost = model.cost(&document, None, &variables).total;
        (cost.depth, cost.complexity)
    }

    fn cost_of(query: &str) -> Cost {
        let model = CostModel::of_schema(&super::super::schema_document());
        model
            .cost(
                &parse_query(query).expect("parses"),
                None,
                &serde_json::Map::new(),
            )
            .total
    }

    #[test]
    fn depth_and_complexity_are_async_graphqls() {
        let corpus: [(&str, serde_json::Value); 24] = [
            (
                "{ services(first: 3) { edges { node { categories { code } sites { schedule { weekday } territories { code } site { territories { code } } } accreditations { kind } contacts { value } internalContacts { value } annotations { kind } provenance { source } } } } }",
                serde_json::json!({}),
            ),
            (
                "{ organisations { edges { node { identifiers { value } contacts { value } internalContacts { value } sites { id } provenance { source } } } } }",
                serde_json::json!({}),
            ),
            (
                "query($n: Int) { conflicts(first: $n) { field } sources { name lastRun { rejections { reason } unknownCodes { code } issues } } }",
                serde_json::json!({ "n": 40 }),
            ),
            (
                "{ conflicts { field } }",
                serde_json::json!({}),
            ),
            (
                "query($n: Int) { auditTrail(first: $n) { edges { node { listing changes { field before } } } } }",
                serde_json::json!({ "n": 30 }),
            ),
            (
                "mutation { upsertListings(input: { organisation: \"x\", items: [] }) { results { service { name categories { code } } errors { field } } } }",
                serde_json::json!({}),
            ),
            (
                "{ territories { code parents { code children { code } } } }",
                serde_json::json!({}),
            ),
            (
                "query($l: TerritoryLevel) { territories(level: $l) { code children { code } } resolvePoint(lat: 50.8, lon: 4.3) { code } }",
                serde_json::json!({ "l": "QUARTIER_SOCIAL_SANTE" }),
            ),
            (
                "{ territories(level: BASSIN) { code } authorities { code } }",
                serde_json::json!({}),
            ),
            (
                "query($l: TerritoryLevel = COMMUNE) { territories(level: $l) { code } }",
                serde_json::json!({}),
            ),
            (
                "query($n: Int = 3) { services(first: $n) { edges { node { id } } } }",
                serde_json::json!({ "n": null }),
            ),
            ("{ __typename }", serde_json::json!({})),
            (
                "{ services { totalCount edges { node { id name organisation { name services { id } } } } } }",
                serde_json::json!({}),
            ),
            (
                "query($n: Int) { services(first: $n) { edges { node { id categories { code parent { code } } } } } }",
                serde_json::json!({ "n": 7 }),
            ),
            (
                "query($n: Int = 3) { organisations(first: $n) { edges { node { id name } } } }",
                serde_json::json!({}),
            ),
            (
                "{ territories { code children { code children { code } } parents { code } } }",
                serde_json::json!({}),
            ),
            (
                "{ a: services(first: 5) { ...S } b: organisations { edges { node { services { ...N } } } } }
                 fragment S on ServiceConnection { edges { node { ...N } } }
                 fragment N on Service { id name sites { address territories { code } } }",
                serde_json::json!({}),
            ),
            (
                "{ node(id: \"x\") { id ... on Organisation { services { id } } ...O } }
                 fragment O on Organisation { name services { name } }",
                serde_json::json!({}),
            ),
            (
                "{ categories { code children { code children { code } } } authorities { code } }",
                serde_json::json!({}),
            ),
            (
                "query A { services(first: 2) { totalCount } } query B { territories { code } }",
                serde_json::json!({}),
            ),
            (
                "{ basicOffer { scale } coverage(territory: \"region:bru\") { categories { status } quartiers { quartier { indicators { key } } categories { status offer { scale } } missing { scale } } } }",
                serde_json::json!({}),
            ),
            (
                "{ demandSignals(from: \"a\", to: \"b\") { id categories { code } } demandSummary(territory: \"x\", from: \"a\", to: \"b\") { month counts { count } coverage { status } } }",
                serde_json::json!({}),
            ),
            (
                "{ servicesGeoJson coverage(territory: \"region:bru\") { population } }",
                serde_json::json!({}),
            ),
            (
                "query($n: Int) { orient(need: { categories: [\"cpas\"] }, first: $n) { rank reasons { outcome } fails service { name categories { code } } } }",
                serde_json::json!({ "n": 5 }),
            ),
        ];
        for (query, variables) in corpus {
            assert_eq!(
                ours(query, variables.clone()),
                theirs(query, variables),
                "{query}"
            );
        }
    }

    fn selected(query: &str, name: Option<&str>) -> Option<Cost> {
        let model = CostModel::of_schema(&super::super::schema_document());
        model
            .cost(
                &parse_query(query).expect("parses"),
                name,
                &serde_json::Map::new(),
            )
            .selected
    }

    #[test]
    fn aliases_and_root_fields_are_counted_through_fragments() {
        let cost = selected(
            "query Q { a: services { totalCount } b: services { totalCount } ...F }
             fragment F on Query { c: territories { code } ... on Query { d: categories { code } } }",
            None,
        )
        .expect("the only operation");
        assert_eq!(
            (cost.aliases, cost.fields, cost.introspection),
            (4, 4, false)
        );

        let nested = selected("{ services { x: totalCount y: totalCount } }", None).expect("op");
        assert_eq!((nested.aliases, nested.fields), (2, 1));
        let twice = selected(
            "{ ...F ...F } fragment F on Query { a: __typename b: __typename }",
            None,
        )
        .expect("op");
        assert_eq!(
            (twice.aliases, twice.fields),
            (4, 4),
            "each spread counts again"
        );
        assert!(
            selected("{ a: __type(name: \"A\") { name } }", None)
                .expect("op")
                .introspection
        );
        assert!(!selected("{ __typename }", None).expect("op").introspection);
    }

    #[test]
    fn the_selected_operation_is_the_named_or_the_only_one() {
        let document = "query A { a: __typename } query B { b: __typename c: __typename }";
        assert_eq!(selected(document, Some("B")).map(|c| c.aliases), Some(2));
        assert_eq!(selected(document, Some("A")).map(|c| c.aliases), Some(1));
        assert_eq!(selected(document, None), None);
        assert_eq!(selected(document, Some("C")), None);
        assert_eq!(
            selected("query A { a: __typename }", None).map(|c| c.aliases),
            Some(1)
        );
    }

    #[test]
    fn introspection_is_bounded_by_its_nested_lists_not_its_depth() {
        // graphql-js's introspection query (as GraphiQL sends it), in short: 15 levels deep.
        let standard = "query IntrospectionQuery { __schema { queryType { name } types { ...FullType } directives { name args { ...InputValue } } } }
            fragment FullType on __Type { kind name fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } } inputFields { ...InputValue } interfaces { ...TypeRef } enumValues { name } possibleTypes { ...TypeRef } }
            fragment InputValue on __InputValue { name type { ...TypeRef } }
            fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";
        let cost = cost_of(standard);
        assert_eq!((cost.depth, cost.introspection_lists), (1, 3));

        let cycle = cost_of(
            "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
        );
        assert_eq!(cycle.introspection_lists, 4);
        let by_type = cost_of(
            "{ services { totalCount } __type(name: \"Query\") { fields { type { fields { name } } } } }",
        );
        assert_eq!((by_type.depth, by_type.introspection_lists), (2, 2));
    }

    #[test]
    fn nested_fragments_are_costed_once_each() {
        // 30 fragments each spreading the previous one twice: 2^30 expansions for a
        // walker that inlines them, 30 for ours.
        let mut query = String::from(
            "{ services { ...F30 } }\nfragment F0 on ServiceConnection { totalCount }\n",
        );
        for n in 1..=30 {
            query.push_str(&format!(
                "fragment F{n} on ServiceConnection {{ ...F{p} ...F{p} }}\n",
                p = n - 1
            ));
        }

        let (depth, complexity) = ours(&query, serde_json::json!({}));

        assert_eq!(depth, 2);
        assert_eq!(complexity, 20 * (1usize << 30));
        assert_eq!(cost_of(&query).selections, 1 + (1usize << 30));
    }

    #[test]
    fn a_chain_of_fragments_deeper_than_the_limit_is_flagged_not_followed() {
        let mut query = String::from("{ ...F0 }\n");
        for n in 0..2000 {
            query.push_str(&format!("fragment F{n} on Query {{ ...F{} }}\n", n + 1));
        }
        query.push_str("fragment F2000 on Query { __typename }\n");

        assert!(cost_of(&query).fragments_too_nested);
        assert!(
            !cost_of("{ ...A } fragment A on Query { ...B } fragment B on Query { __typename }")
                .fragments_too_nested
        );
    }

    #[test]
    fn directives_are_counted_on_every_field_through_fragments() {
        let cost = cost_of(
            "{ __typename @skip(if: false) ...F } fragment F on Query { territories @include(if: true) @skip(if: false) { code } }",
        );

        assert_eq!(cost.directives, 2);
    }

    #[test]
    fn fields_that_cost_nothing_still_count_as_selections() {
        let mut query = String::from("{ ...F25 }\nfragment F0 on Query { __typename }\n");
        for n in 1..=25 {
            query.push_str(&format!(
                "fragment F{n} on Query {{ ...F{p} ...F{p} }}\n",
                p = n - 1
            ));
        }

        let cost = cost_of(&query);

        assert_eq!(cost.complexity, 0);
        assert_eq!(cost.selections, 1 << 25);
    }
}
