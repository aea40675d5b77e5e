//! Depth and complexity of an operation, computed by us before async-graphql runs it, so
//! a refusal carries our own code (`DEPTH_LIMIT_EXCEEDED`, `COMPLEXITY_LIMIT_EXCEEDED`)
//! and no extension sits on every field's resolution.
//!
//! The numbers are async-graphql's (a test compares them over a corpus): a field costs
//! 1 plus its children, except the fields of `CUSTOM`, whose cost the schema declares
//! with the same functions; `__typename` costs nothing; spreads are counted where they
//! are used, inline fragments take their type condition; every operation of the document
//! counts. Unlike async-graphql, each fragment is costed once per enclosing type, so the
//! computation is linear in the size of the document.

use std::collections::HashMap;

use async_graphql::Positioned;

use crate::geo::Level;
use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Field, OperationType, Selection, SelectionSet, ServiceDocument,
    TypeKind, TypeSystemDefinition, VariableDefinition,
};
use async_graphql_value::{ConstValue, Value};

/// Items a page is costed for when its `first` is not given.
pub const DEFAULT_PAGE_COST_ITEMS: usize = 20;
/// `Organisation.services`: the services of one organisation.
pub const ORGANISATION_SERVICES: usize = 10;
// Reference lists are costed at least their real fan-out (the bundled data, measured:
// 171 territories, a territory with up to 43 children and 6 parents, 82 categories, a
// category with up to 5 children, 7 authorities), so nesting them is refused before it
// builds a response of megabytes.
/// `Territory.children`: the sub-territories of one territory.
pub const TERRITORY_CHILDREN: usize = 50;
/// `Territory.parents`: the territories one lies in.
pub const TERRITORY_PARENTS: usize = 8;
/// `categories`: the whole taxonomy.
pub const CATEGORIES: usize = 100;
/// `Category.children`.
pub const CATEGORY_CHILDREN: usize = 10;
/// `authorities`.
pub const AUTHORITIES: usize = 10;
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
    let items = first
        .map_or(DEFAULT_PAGE_COST_ITEMS, |n| usize::try_from(n).unwrap_or(0))
        .max(1);
    items.saturating_mul(child_complexity)
}

#[derive(Clone, Copy, Debug)]
enum Custom {
    /// `page_cost(first, children)`.
    Page,
    /// `territories_cost(level, children)`.
    Territories,
    /// `n * children`.
    Times(usize),
}

/// The fields whose complexity the schema declares (`#[graphql(complexity = …)]`).
const CUSTOM: [(&str, &str, Custom); 10] = [
    ("Query", "services", Custom::Page),
    ("Query", "organisations", Custom::Page),
    ("Query", "territories", Custom::Territories),
    ("Query", "categories", Custom::Times(CATEGORIES)),
    ("Query", "authorities", Custom::Times(AUTHORITIES)),
    ("Query", "resolvePoint", Custom::Times(POINT_TERRITORIES)),
    (
        "Organisation",
        "services",
        Custom::Times(ORGANISATION_SERVICES),
    ),
    ("Territory", "children", Custom::Times(TERRITORY_CHILDREN)),
    ("Territory", "parents", Custom::Times(TERRITORY_PARENTS)),
    ("Category", "children", Custom::Times(CATEGORY_CHILDREN)),
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
}

impl Cost {
    /// Adds a sibling selection's cost.
    fn add(&mut self, other: Cost) {
        self.depth = self.depth.max(other.depth);
        self.complexity = self.complexity.saturating_add(other.complexity);
        self.directives = self.directives.max(other.directives);
        self.selections = self.selections.saturating_add(other.selections);
        self.fragments_too_nested |= other.fragments_too_nested;
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

    /// Depth (the deepest chain of fields), complexity and directives of every query
    /// operation of `document`, with `variables` giving the values of `first`. Other
    /// operation types cost nothing: the schema has none, validation refuses them.
    pub fn cost(
        &self,
        document: &ExecutableDocument,
        variables: &serde_json::Map<String, serde_json::Value>,
    ) -> Cost {
        let mut walk = Walk {
            model: self,
            document,
            variables,
            definitions: &[],
            memo: HashMap::new(),
            visiting: Vec::new(),
        };
        let mut total = Cost::default();
        for (_, operation) in document.operations.iter() {
            if operation.node.ty != OperationType::Query {
                continue;
            }
            walk.definitions = &operation.node.variable_definitions;
            // Memoised costs depend on the operation's variables.
            walk.memo.clear();
            total.add(walk.set(&operation.node.selection_set.node, Some("Query")));
        }
        total
    }
}

struct Walk<'a> {
    model: &'a CostModel,
    document: &'a ExecutableDocument,
    variables: &'a serde_json::Map<String, serde_json::Value>,
    definitions: &'a [Positioned<VariableDefinition>],
    /// (fragment, enclosing type) → its cost there.
    memo: HashMap<(String, Option<String>), Cost>,
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
        let key = (name.to_owned(), parent.map(str::to_owned));
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
        if name == "__typename" {
            return Cost {
                directives: field.directives.len(),
                selections: 1,
                ..Cost::default()
            };
        }
        let ty = parent
            .and_then(|p| self.model.fields.get(&(p.to_owned(), name.to_owned())))
            .cloned();
        let children = self.set(&field.selection_set.node, ty.as_deref());
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
            Some(Custom::Territories) => territories_cost(self.level(field), children.complexity),
            Some(Custom::Times(n)) => n.saturating_mul(children.complexity),
            None => children.complexity.saturating_add(1),
        };
        Cost {
            depth: children.depth + 1,
            complexity,
            directives: children.directives.max(field.directives.len()),
            selections: children.selections.saturating_add(1),
            fragments_too_nested: children.fragments_too_nested,
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
        let cost = model.cost(&document, &variables);
        (cost.depth, cost.complexity)
    }

    fn cost_of(query: &str) -> Cost {
        let model = CostModel::of_schema(&super::super::schema_document());
        model.cost(
            &parse_query(query).expect("parses"),
            &serde_json::Map::new(),
        )
    }

    #[test]
    fn depth_and_complexity_are_async_graphqls() {
        let corpus: [(&str, serde_json::Value); 14] = [
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
        ];
        for (query, variables) in corpus {
            assert_eq!(
                ours(query, variables.clone()),
                theirs(query, variables),
                "{query}"
            );
        }
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
