//! Filter inputs, turned into validated domain queries before any search runs.

use async_graphql::InputObject;

use crate::{
    config::ApiConfig,
    domain::{LanguageCode, SearchText},
    geo::Point,
    graphql::{
        ApiError, ApiResult,
        types::{Fee, Instant, ServiceStatus},
    },
    reference::Reference,
    search::{Near, ServiceQuery},
};

/// The largest search radius: the region is about 20 km across.
pub const MAX_RADIUS_M: f64 = 50_000.0;

/// Which services to list; all given criteria must hold.
#[derive(InputObject, Default, Clone)]
pub struct ServiceFilter {
    /// Category codes; a category includes its descendants. Any may match.
    pub categories: Option<Vec<String>>,
    /// Authority codes that recognise or fund the service. Any may match.
    pub authorities: Option<Vec<String>>,
    /// A territory code of any level (`bassin:nord-est`, `commune:21015`, `quartier:87`):
    /// services with a site in it.
    pub territory: Option<String>,
    /// ISO 639-1 codes; services that can be received in any of them.
    pub languages: Option<Vec<String>>,
    pub fees: Option<Vec<Fee>>,
    pub referral_required: Option<bool>,
    pub status: Option<Vec<ServiceStatus>>,
    /// Words to find in names, descriptions, categories and addresses, in French or
    /// Dutch, case- and accent-insensitive.
    pub text: Option<String>,
    /// Services with a site within a radius; results are sorted nearest first.
    pub near: Option<NearInput>,
    /// Services open at this instant at one of their places, an RFC 3339 date-time
    /// (`2026-03-30T09:30:00+02:00`, `2026-03-30T07:30:00Z`), read on Brussels clocks
    /// (summer time included; closed on Belgium's public holidays where a place's remark
    /// says so).
    pub open_at: Option<Instant>,
}

/// The order of a page of services.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceOrder {
    /// Best match to `filter.text` first: a word found in a name before one found in a
    /// category, a target public or a description; exact words before their stems
    /// (FR/NL/EN) and typos. The default with `text`.
    Relevance,
    /// Nearest first; needs `filter.near`, and is the default with it.
    Distance,
    /// By name in the answer's language (accents and case ignored).
    Name,
    /// The latest update first.
    LastUpdate,
}

/// The order a page follows: `order_by`, else distance with `near`, relevance with
/// `text`, else ids. Errors name `orderBy`.
pub fn service_order(
    order_by: Option<ServiceOrder>,
    query: &ServiceQuery,
    lang: crate::domain::Lang,
) -> ApiResult<crate::search::Order> {
    use crate::search::Order;
    Ok(match order_by {
        Some(ServiceOrder::Distance) if query.near.is_none() => {
            return Err(ApiError::bad_input("orderBy", "DISTANCE needs filter.near"));
        }
        Some(ServiceOrder::Relevance) if query.text.is_none() => {
            return Err(ApiError::bad_input(
                "orderBy",
                "RELEVANCE needs filter.text",
            ));
        }
        Some(ServiceOrder::Distance) => Order::Distance,
        Some(ServiceOrder::Relevance) => Order::Relevance,
        Some(ServiceOrder::Name) => Order::Name(lang),
        Some(ServiceOrder::LastUpdate) => Order::Updated,
        None if query.near.is_some() => Order::Distance,
        None if query.text.is_some() => Order::Relevance,
        None => Order::Id,
    })
}

/// A circle around a WGS84 point.
#[derive(InputObject, Clone, Copy)]
pub struct NearInput {
    pub lat: f64,
    pub lon: f64,
    /// Greater than 0, at most 50,000.
    pub radius_meters: f64,
}

/// Which organisations to list.
#[derive(InputObject, Default, Clone)]
pub struct OrganisationFilter {
    /// Words found in the names of the organisation or of its services (FR or NL,
    /// case- and accent-insensitive).
    pub text: Option<String>,
    /// Organisations with a service that has a site in this territory.
    pub territory: Option<String>,
}

/// The most items a list argument may carry (categories, authorities, languages…).
pub const MAX_LIST_ITEMS: usize = 100;

/// A list argument: absent, or between 1 and [`MAX_LIST_ITEMS`] items.
pub(super) fn non_empty<T>(argument: &str, values: Option<Vec<T>>) -> ApiResult<Option<Vec<T>>> {
    match values {
        Some(v) if v.is_empty() => Err(ApiError::bad_input(argument, "must not be an empty list")),
        Some(v) if v.len() > MAX_LIST_ITEMS => Err(ApiError::bad_input(
            argument,
            format!("at most {MAX_LIST_ITEMS} items"),
        )),
        other => Ok(other),
    }
}

/// A free-text argument: bounded, and `None` when it holds no word.
pub fn search_text(argument: &str, text: Option<&str>) -> ApiResult<Option<String>> {
    text.map(SearchText::parse)
        .transpose()
        .map_err(|e| ApiError::bad_input(argument, e))
        .map(|text| text.flatten().map(|t| t.as_str().to_owned()))
}

pub fn territory_id(reference: &Reference, argument: &str, code: &str) -> ApiResult<i32> {
    reference
        .territory_by_code(code.trim())
        .map(|t| t.id)
        .ok_or_else(|| ApiError::bad_input(argument, format!("unknown territory code {code:?}")))
}

impl ServiceFilter {
    pub fn into_query(self, reference: &Reference) -> ApiResult<ServiceQuery> {
        let mut query = ServiceQuery::default();
        if let Some(codes) = non_empty("filter.categories", self.categories)? {
            let mut ids = Vec::new();
            for code in codes {
                let category = reference.category_by_code(code.trim()).ok_or_else(|| {
                    ApiError::bad_input(
                        "filter.categories",
                        format!("unknown category code {code:?}"),
                    )
                })?;
                ids.extend(reference.category_with_descendants(category.id));
            }
            ids.sort_unstable();
            ids.dedup();
            query.categories = Some(ids);
        }
        if let Some(codes) = non_empty("filter.authorities", self.authorities)? {
            let ids = codes
                .iter()
                .map(|code| {
                    reference
                        .authority_by_code(code.trim())
                        .map(|a| a.id)
                        .ok_or_else(|| {
                            ApiError::bad_input(
                                "filter.authorities",
                                format!("unknown authority code {code:?}"),
                            )
                        })
                })
                .collect::<ApiResult<Vec<_>>>()?;
            query.authorities = Some(ids);
        }
        if let Some(code) = self.territory {
            query.territory = Some(territory_id(reference, "filter.territory", &code)?);
        }
        query.languages = language_codes("filter.languages", self.languages)?;
        query.fees = non_empty("filter.fees", self.fees)?
            .map(|fees| fees.into_iter().map(Into::into).collect());
        query.statuses = non_empty("filter.status", self.status)?
            .map(|statuses| statuses.into_iter().map(Into::into).collect());
        query.referral_required = self.referral_required;
        query.holidays = crate::search::Holidays::of(reference);
        query.category_text = std::sync::Arc::clone(&reference.category_text);
        query.open_at = self.open_at.map(|at| at.0);
        query.text = search_text("filter.text", self.text.as_deref())?;
        if let Some(near) = self.near {
            let point = Point::new(near.lat, near.lon)
                .map_err(|e| ApiError::bad_input("filter.near", e))?;
            let radius = near.radius_meters;
            if !(radius > 0.0 && radius <= MAX_RADIUS_M) {
                return Err(ApiError::bad_input(
                    "filter.near.radiusMeters",
                    format!("must be greater than 0 and at most {MAX_RADIUS_M} metres"),
                ));
            }
            query.near = Some(Near {
                point,
                radius_m: radius,
            });
        }
        Ok(query)
    }
}

/// A list of ISO 639-1 codes, absent or of 1 to [`MAX_LIST_ITEMS`] valid codes.
pub fn language_codes(
    argument: &str,
    codes: Option<Vec<String>>,
) -> ApiResult<Option<Vec<LanguageCode>>> {
    non_empty(argument, codes)?
        .map(|codes| {
            codes
                .iter()
                .map(|c| LanguageCode::parse(c).map_err(|e| ApiError::bad_input(argument, e)))
                .collect::<ApiResult<Vec<_>>>()
        })
        .transpose()
}

/// Validates `first` against the configured page sizes.
pub fn page_size(config: &ApiConfig, first: Option<i32>) -> ApiResult<u64> {
    match first {
        None => Ok(u64::from(config.default_page_size)),
        Some(n) if n < 0 => Err(ApiError::bad_input("first", "must not be negative")),
        Some(n) if n as u64 > u64::from(config.max_page_size) => Err(ApiError::bad_input(
            "first",
            format!("at most {} per page", config.max_page_size),
        )),
        Some(n) => Ok(n as u64),
    }
}
