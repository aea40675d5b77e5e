//! Content negotiation of the GraphQL endpoint (GraphQL over HTTP): the response is
//! `application/graphql-response+json` or `application/json`, whichever the client's
//! `Accept` prefers; no `Accept` means `application/json`.

use axum::http::{HeaderMap, StatusCode, header};

use super::problem::Problem;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaType {
    GraphqlResponseJson,
    Json,
}

impl MediaType {
    pub fn content_type(self) -> &'static str {
        match self {
            MediaType::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }
    }
}

/// The media type to answer in, or a 406 when the client accepts neither.
pub fn negotiate(headers: &HeaderMap) -> Result<MediaType, Problem> {
    let Some(accept) = headers.get(header::ACCEPT) else {
        return Ok(MediaType::Json);
    };
    let Ok(accept) = accept.to_str() else {
        return Err(not_acceptable());
    };
    if accept.trim().is_empty() {
        return Ok(MediaType::Json);
    }
    // The best (quality, specificity) for each of the two types; ties favour the
    // GraphQL media type, the spec's preferred one.
    let mut best: Option<(f32, u8, MediaType)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let mut quality = 1.0_f32;
        for parameter in parts {
            if let Some((key, value)) = parameter.split_once('=')
                && key.trim().eq_ignore_ascii_case("q")
            {
                quality = value.trim().parse().unwrap_or(0.0);
            }
        }
        if quality <= 0.0 {
            continue;
        }
        let candidates: &[(MediaType, u8)] = match name.as_str() {
            "application/graphql-response+json" => &[(MediaType::GraphqlResponseJson, 2)],
            "application/json" => &[(MediaType::Json, 2)],
            "application/*" | "*/*" => &[(MediaType::Json, 0)],
            _ => &[],
        };
        for &(media, specificity) in candidates {
            let better = match best {
                None => true,
                Some((q, s, m)) => {
                    quality > q
                        || (quality == q && specificity > s)
                        || (quality == q
                            && specificity == s
                            && media == MediaType::GraphqlResponseJson
                            && m != media)
                }
            };
            if better {
                best = Some((quality, specificity, media));
            }
        }
    }
    best.map(|(_, _, media)| media).ok_or_else(not_acceptable)
}

fn not_acceptable() -> Problem {
    Problem::new(
        StatusCode::NOT_ACCEPTABLE,
        "NOT_ACCEPTABLE",
        "this endpoint answers application/graphql-response+json or application/json",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(value: &str) -> Result<MediaType, Problem> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(value).expect("header value"),
        );
        negotiate(&headers)
    }

    #[test]
    fn picks_the_preferred_type() {
        assert_eq!(negotiate(&HeaderMap::new()).ok(), Some(MediaType::Json));
        assert_eq!(accept("application/json").ok(), Some(MediaType::Json));
        assert_eq!(
            accept("application/graphql-response+json").ok(),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9").ok(),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            accept("application/graphql-response+json;q=0.5, application/json").ok(),
            Some(MediaType::Json)
        );
        assert_eq!(accept("*/*").ok(), Some(MediaType::Json));
        assert_eq!(accept("text/html, */*;q=0.8").ok(), Some(MediaType::Json));
    }

    #[test]
    fn refuses_what_it_cannot_answer() {
        let refused = accept("text/html").expect_err("HTML only");
        assert_eq!(refused.status, StatusCode::NOT_ACCEPTABLE);
        assert!(accept("application/json;q=0").is_err());
    }
}
