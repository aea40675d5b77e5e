//! Variable values checked against their declared types before execution, as the
//! GraphQL spec's CoerceVariableValues does: a value of the wrong shape is a request
//! error (`GRAPHQL_VALIDATION_FAILED`, as a wrong scalar variable already was; no
//! `data`), not a failure inside a resolver answered `INTERNAL`.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, ServiceDocument, Type, TypeKind, TypeSystemDefinition,
};
use serde_json::Value;

use super::types::Instant;

/// The schema's input types, read from its SDL.
#[derive(Debug, Default)]
pub struct InputTypes {
    /// Input object → its fields: (name, type, has a default).
    objects: HashMap<String, Vec<(String, Type, bool)>>,
    /// Enum → its values.
    enums: HashMap<String, HashSet<String>>,
}

impl InputTypes {
    /// Reads the schema's types (`graphql::schema_document`).
    pub fn of_schema(schema: &ServiceDocument) -> InputTypes {
        let mut types = InputTypes::default();
        for definition in &schema.definitions {
            let TypeSystemDefinition::Type(definition) = definition else {
                continue;
            };
            let name = definition.node.name.node.to_string();
            match &definition.node.kind {
                TypeKind::InputObject(object) => {
                    let fields = object
                        .fields
                        .iter()
                        .map(|f| {
                            (
                                f.node.name.node.to_string(),
                                f.node.ty.node.clone(),
                                f.node.default_value.is_some(),
                            )
                        })
                        .collect();
                    types.objects.insert(name, fields);
                }
                TypeKind::Enum(e) => {
                    let values = e
                        .values
                        .iter()
                        .map(|v| v.node.value.node.to_string())
                        .collect();
                    types.enums.insert(name, values);
                }
                _ => {}
            }
        }
        types
    }

    /// Checks the variables of the operation `operation` (or the only one) of `document`;
    /// the error names the variable and where in its value the shape is wrong.
    pub fn check(
        &self,
        document: &ExecutableDocument,
        operation: Option<&str>,
        variables: &serde_json::Map<String, Value>,
    ) -> Result<(), String> {
        let definitions = document
            .operations
            .iter()
            .find(|(name, _)| operation.is_none() || name.map(|n| n.as_str()) == operation)
            .map(|(_, op)| &op.node.variable_definitions);
        for definition in definitions.into_iter().flatten() {
            let name = definition.node.name.node.as_str();
            let ty = &definition.node.var_type.node;
            match variables.get(name) {
                None if definition.node.default_value.is_some() || ty.nullable => {}
                None => return Err(format!("variable `${name}` of type {ty} is required")),
                Some(value) => self
                    .value(value, ty, 0)
                    .map_err(|e| format!("variable `${name}`{e}"))?,
            }
        }
        Ok(())
    }

    fn value(&self, value: &Value, ty: &Type, depth: usize) -> Result<(), String> {
        // Nesting is bounded by the schema's own input types; a cycle through them would
        // still stop here.
        if depth > 32 {
            return Err(": nested too deep".to_owned());
        }
        if value.is_null() {
            return if ty.nullable {
                Ok(())
            } else {
                Err(format!(": expected {ty}, found null"))
            };
        }
        match &ty.base {
            BaseType::List(item) => match value {
                Value::Array(items) => {
                    for (index, item_value) in items.iter().enumerate() {
                        self.value(item_value, item, depth + 1)
                            .map_err(|e| format!("[{index}]{e}"))?;
                    }
                    Ok(())
                }
                // A single value where a list is expected is a list of one.
                single => self.value(single, item, depth + 1),
            },
            BaseType::Named(name) => self.named(value, name.as_str(), depth),
        }
    }

    fn named(&self, value: &Value, name: &str, depth: usize) -> Result<(), String> {
        let fits = match name {
            "Int" => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            "Float" => value.is_number(),
            "String" => value.is_string(),
            "Boolean" => value.is_boolean(),
            "ID" => value.is_string() || value.is_i64() || value.is_u64(),
            // Apollo Federation's entity representations: any object (`_entities`
            // resolves what it recognises, `null` for the rest).
            "_Any" => value.is_object(),
            "DateTime" => match value.as_str() {
                Some(text) => return Instant::read(text).map(drop).map_err(|e| format!(": {e}")),
                None => false,
            },
            _ => {
                if let Some(values) = self.enums.get(name) {
                    value.as_str().is_some_and(|v| values.contains(v))
                } else if let Some(fields) = self.objects.get(name) {
                    let Value::Object(given) = value else {
                        return Err(format!(": expected {name}, found {}", kind(value)));
                    };
                    if let Some(unknown) = given.keys().find(|k| !fields.iter().any(|f| &f.0 == *k))
                    {
                        return Err(format!(": {name} has no field `{unknown}`"));
                    }
                    for (field, ty, has_default) in fields {
                        match given.get(field) {
                            None if ty.nullable || *has_default => {}
                            None => return Err(format!(".{field}: required")),
                            Some(v) => self
                                .value(v, ty, depth + 1)
                                .map_err(|e| format!(".{field}{e}"))?,
                        }
                    }
                    true
                } else {
                    // Any other scalar is written as a string.
                    value.is_string()
                }
            }
        };
        if fits {
            Ok(())
        } else {
            Err(format!(": expected {name}, found {}", kind(value)))
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;
    use serde_json::json;

    use super::*;

    fn check(query: &str, variables: Value) -> Result<(), String> {
        let types = InputTypes::of_schema(&super::super::schema_document());
        let document = parse_query(query).expect("parses");
        let Value::Object(variables) = variables else {
            panic!("variables are an object");
        };
        types.check(&document, None, &variables)
    }

    const NEAR: &str = "query($n: NearInput) { services(filter: { near: $n }) { totalCount } }";
    const FILTER: &str = "query($f: ServiceFilter, $first: Int) { services(filter: $f, first: $first) { totalCount } }";

    #[test]
    fn values_of_the_declared_shape_pass() {
        assert_eq!(
            check(
                NEAR,
                json!({ "n": { "lat": 50.8, "lon": 4.3, "radiusMeters": 500 } })
            ),
            Ok(())
        );
        assert_eq!(check(NEAR, json!({})), Ok(()));
        assert_eq!(
            check(
                FILTER,
                json!({ "f": { "categories": "mental_health", "fees": ["FREE"], "status": null }, "first": 5 })
            ),
            Ok(())
        );
    }

    #[test]
    fn values_of_another_shape_are_refused_with_where() {
        assert_eq!(
            check(NEAR, json!({ "n": [] })),
            Err("variable `$n`: expected NearInput, found a list".to_owned())
        );
        assert_eq!(
            check(NEAR, json!({ "n": { "lat": 50.8, "lon": 4.3 } })),
            Err("variable `$n`.radiusMeters: required".to_owned())
        );
        assert_eq!(
            check(FILTER, json!({ "f": { "fees": ["GRATIS"] } })),
            Err("variable `$f`.fees[0]: expected Fee, found a string".to_owned())
        );
        assert_eq!(
            check(FILTER, json!({ "f": { "colour": "red" } })),
            Err("variable `$f`: ServiceFilter has no field `colour`".to_owned())
        );
        assert_eq!(
            check(FILTER, json!({ "first": 5_000_000_000u64 })),
            Err("variable `$first`: expected Int, found a number".to_owned())
        );
        const AT: &str =
            "query($at: DateTime) { services(filter: { openAt: $at }) { totalCount } }";
        assert_eq!(
            check(AT, json!({ "at": "2026-03-30T09:30:00+02:00" })),
            Ok(())
        );
        assert_eq!(
            check(AT, json!({ "at": "2026-03-30 09:30" })),
            Err("variable `$at`: \"2026-03-30 09:30\" is not an RFC 3339 date-time (2026-03-30T09:30:00+02:00)".to_owned())
        );
        assert_eq!(
            check(AT, json!({ "at": 1774855800 })),
            Err("variable `$at`: expected DateTime, found a number".to_owned())
        );
    }
}
