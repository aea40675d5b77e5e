//! Content negotiation of the GraphQL endpoint (GraphQL over HTTP): the response is
//! `application/graphql-response+json` or `application/json`, whichever the client's
//! `Accept` prefers; no `Accept` means `application/json`.

use axum::http::{HeaderMap, header};

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

/// The media type to answer in; `None` when the client accepts neither (a 406).
pub fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT) else {
        return Some(MediaType::Json);
    };
    let Ok(accept) = accept.to_str() else {
        return None;
    };
    if accept.trim().is_empty() {
        return Some(MediaType::Json);
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
    best.map(|(_, _, media)| media)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(value: &str) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(value).expect("header value"),
        );
        negotiate(&headers)
    }

    #[test]
    fn picks_the_preferred_type() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(MediaType::Json));
        assert_eq!(accept("application/json"), Some(MediaType::Json));
        assert_eq!(
            accept("application/graphql-response+json"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            accept("application/graphql-response+json;q=0.5, application/json"),
            Some(MediaType::Json)
        );
        assert_eq!(accept("*/*"), Some(MediaType::Json));
        assert_eq!(accept("text/html, */*;q=0.8"), Some(MediaType::Json));
    }

    #[test]
    fn refuses_what_it_cannot_answer() {
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/json;q=0"), None);
    }
}
