//! Contact values as upstream directories write them by hand, parsed into the forms
//! passerelle stores: Belgian phone numbers in E.164, e-mail addresses, web addresses.
//!
//! Every parser refuses rather than guesses: a field we cannot read with confidence is
//! dropped and reported, and a wrong phone number is worse for a social worker than a
//! missing one.

use std::borrow::Cow;

use url::Url;

/// Why a contact value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("not a Belgian phone number")]
    Phone,
    #[error("not an e-mail address")]
    Email,
    #[error("not an http(s) web address")]
    WebUrl,
}

macro_rules! contact_newtype {
    ($(#[$doc:meta])* $name:ident, $parser:ident, $error:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<$name, ContactError> {
                $parser(raw).map($name).ok_or(ContactError::$error)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

contact_newtype!(
    /// A Belgian phone number in E.164 ("+3224355138").
    Phone,
    phone_be,
    Phone
);
contact_newtype!(
    /// A syntactically valid e-mail address, domain lowercased.
    Email,
    email,
    Email
);
contact_newtype!(
    /// An absolute http(s) URL.
    WebUrl,
    url,
    WebUrl
);

impl WebUrl {
    /// What makes two addresses the same site for a reader: the host without `www.`,
    /// the port, path and query, without the scheme or a trailing `/`
    /// ("http://www.x.be/" and "https://x.be" are both "x.be").
    pub fn key(&self) -> String {
        let Ok(parsed) = Url::parse(&self.0) else {
            return self.0.clone();
        };
        let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
        let path = parsed.path().trim_end_matches('/');
        let query = parsed.query().map(|q| format!("?{q}")).unwrap_or_default();
        format!("{host}{port}{path}{query}")
    }
}

// ---------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------

/// A Belgian phone number in E.164 ("+3224355138"); None when it cannot be one.
///
/// Accepts the national form ("02/435.51.38", "0475 12 34 56"), the international forms
/// ("+32 2 435 51 38", "0032 …", "+32 (0)2 …"), a leading "tel:"/"Tél. :" label and a
/// trailing comment ("02/435.51.38 (secrétariat)"). Short numbers ("1712") and foreign
/// numbers are refused: they cannot be dialled as an E.164 Belgian number.
fn phone_be(raw: &str) -> Option<String> {
    let text = strip_phone_label(raw.trim());
    let (digits, international) = phone_digits(text)?;
    let national = if international {
        // "+32 0475…" is a frequent slip for "+32 475…"; the trunk zero never belongs.
        let rest = digits.strip_prefix("32")?;
        rest.strip_prefix('0').unwrap_or(rest)
    } else if let Some(rest) = digits.strip_prefix("0032") {
        rest.strip_prefix('0').unwrap_or(rest)
    } else {
        digits.strip_prefix('0')?
    };
    is_belgian_significant_number(national).then(|| format!("+32{national}"))
}

/// Belgian significant numbers (without the trunk zero) have 8 digits (landlines in
/// zones 2, 3, 4, 9, 10…89, and the 70/78/800/900 services), or 9 digits for mobiles,
/// which all start with 45–49.
fn is_belgian_significant_number(national: &str) -> bool {
    let bytes = national.as_bytes();
    if !bytes.iter().all(u8::is_ascii_digit) || bytes.first().is_none_or(|&b| b == b'0') {
        return false;
    }
    match bytes.len() {
        8 => true,
        9 => bytes[0] == b'4' && (b'5'..=b'9').contains(&bytes[1]),
        _ => false,
    }
}

/// Removes a leading "tel:", "Tél. :", "GSM" … label.
fn strip_phone_label(text: &str) -> &str {
    // Longest first, so that "telefoon" is not read as "tel" followed by letters.
    const LABELS: [&str; 7] = [
        "téléphone",
        "telephone",
        "telefoon",
        "tél",
        "tel",
        "gsm",
        "phone",
    ];
    for label in LABELS {
        if let Some(rest) = strip_prefix_ci(text, label)
            && !rest.starts_with(char::is_alphabetic)
        {
            return rest.trim_start_matches(|c: char| c == '.' || c == ':' || c.is_whitespace());
        }
    }
    text
}

/// The digits of the number at the start of `text`, and whether it began with '+'.
///
/// The number ends at the first character that cannot belong to it; what follows is a
/// comment. A letter glued to a digit ("02 435 51 38b") means the text is not a number.
fn phone_digits(text: &str) -> Option<(String, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let international = chars.first() == Some(&'+');
    let mut digits = String::new();
    let mut i = usize::from(international);
    while let Some(&c) = chars.get(i) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == '(' {
            // "(0)" after the country code is the trunk prefix written for national
            // callers; "(02)" is an area code in brackets. Any other bracket is a comment.
            let close = chars[i..].iter().position(|&c| c == ')').map(|p| p + i);
            let Some(close) = close.filter(|&close| {
                close > i + 1 && chars[i + 1..close].iter().all(char::is_ascii_digit)
            }) else {
                break;
            };
            let group = &chars[i + 1..close];
            if !(group == ['0'] && (international || digits.starts_with("00"))) {
                digits.extend(group);
            }
            i = close;
        } else if c.is_whitespace() || matches!(c, '.' | '-' | '/') {
            // separators between digit groups
        } else {
            if c.is_alphanumeric() && i > 0 && chars[i - 1].is_ascii_digit() {
                return None;
            }
            break;
        }
        i += 1;
    }
    Some((digits, international))
}

/// `text` without `prefix`, compared case-insensitively.
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let mut end = 0;
    let mut chars = text.chars();
    for expected in prefix.chars() {
        let c = chars.next()?;
        if !c.to_lowercase().eq(expected.to_lowercase()) {
            return None;
        }
        end += c.len_utf8();
    }
    Some(&text[end..])
}

// ---------------------------------------------------------------------------------------
// Email addresses
// ---------------------------------------------------------------------------------------

/// A syntactically valid email (trimmed, domain lowercased; "mailto:" stripped); None
/// otherwise.
///
/// Only the unquoted dot-atom form is accepted: quoted local parts and IP-literal domains
/// are legal but never seen in the directories, and are more likely to be typos.
fn email(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let address = match strip_prefix_ci(trimmed, "mailto:") {
        // A mailto link may carry "?subject=…", which is not part of the address.
        Some(rest) => rest.split('?').next().unwrap_or(rest).trim(),
        None => trimmed,
    };
    let (local, domain) = address.split_once('@')?;
    if !is_local_part(local) {
        return None;
    }
    let domain = domain.to_lowercase();
    if !is_domain_name(&domain) {
        return None;
    }
    Some(format!("{local}@{domain}"))
}

fn is_local_part(local: &str) -> bool {
    const SPECIALS: &str = "\"(),:;<>@[\\]";
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !SPECIALS.contains(c))
}

/// A lowercase DNS name with at least two labels and an alphabetic top-level domain.
fn is_domain_name(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_lowercase()));
    domain.len() <= 253 && labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok
}

// ---------------------------------------------------------------------------------------
// Websites
// ---------------------------------------------------------------------------------------

/// An absolute http(s) URL; "http://" is prepended only when there is no scheme; None
/// for other schemes, no host, a host without a dot, or text with spaces.
///
/// IP-address hosts are refused as well: a directory's website is never one, and such a
/// link usually points at a private network.
fn url(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.chars().any(char::is_whitespace) {
        return None;
    }
    let candidate = if has_scheme(trimmed) {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(format!("http://{trimmed}"))
    };
    let parsed = Url::parse(&candidate).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let host = parsed.domain()?;
    let host = host.strip_suffix('.').unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|label| label.is_empty()) {
        return None;
    }
    Some(parsed.into())
}

/// Whether `text` starts with a URL scheme ("https:", "mailto:", "javascript:").
///
/// A candidate scheme with a dot is a host with a port ("www.x.be:8080"): schemes may
/// contain dots, but none that a directory would link to does.
fn has_scheme(text: &str) -> bool {
    text.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // -- phone_be ------------------------------------------------------------------------

    #[test]
    fn phone_national_landline_formats_become_e164() {
        for raw in [
            "02/435.51.38",
            "02 435 51 38",
            "02-435-51-38",
            "024355138",
            "(02) 435 51 38",
            "  02 435 51 38 \u{a0}",
            "tel: 02-435-51-38",
            "Tél. : 02/435.51.38",
            "tel:+3224355138",
        ] {
            assert_eq!(phone_be(raw).as_deref(), Some("+3224355138"), "{raw:?}");
        }
    }

    #[test]
    fn phone_international_formats_become_e164() {
        for raw in [
            "+32 2 435 51 38",
            "0032 2 435 51 38",
            "+32 (0)2 435 51 38",
            "+32 (0) 2 435 51 38",
            "0032 (0)2 435 51 38",
            "+32 02 435 51 38",
            "+32.2.435.51.38",
        ] {
            assert_eq!(phone_be(raw).as_deref(), Some("+3224355138"), "{raw:?}");
        }
    }

    #[test]
    fn phone_mobiles_have_nine_significant_digits() {
        for raw in [
            "0475 12 34 56",
            "0475/12.34.56",
            "+32 475 12 34 56",
            "GSM 0475123456",
        ] {
            assert_eq!(phone_be(raw).as_deref(), Some("+32475123456"), "{raw:?}");
        }
    }

    #[test]
    fn phone_service_and_three_digit_zone_numbers() {
        assert_eq!(phone_be("078 15 15 15").as_deref(), Some("+3278151515"));
        assert_eq!(phone_be("0800 12 345").as_deref(), Some("+3280012345"));
        assert_eq!(phone_be("070 23 30 00").as_deref(), Some("+3270233000"));
        assert_eq!(phone_be("010 45 67 89").as_deref(), Some("+3210456789"));
        assert_eq!(phone_be("04 123 45 67").as_deref(), Some("+3241234567"));
    }

    #[test]
    fn phone_trailing_comments_are_ignored() {
        assert_eq!(
            phone_be("02/435.51.38 (secrétariat)").as_deref(),
            Some("+3224355138")
        );
        assert_eq!(
            phone_be("02 435 51 38 - permanence").as_deref(),
            Some("+3224355138")
        );
        assert_eq!(
            phone_be("02 435 51 38 ou 02 435 51 39").as_deref(),
            Some("+3224355138")
        );
    }

    #[test]
    fn phone_rejects_what_cannot_be_a_belgian_number() {
        for raw in [
            "",
            "   ",
            "1712",
            "112",
            "02 435 51",
            "02 435 51 38 9",
            "0475 12 34 56 7",
            "0275 12 34 56",
            "+33 1 23 45 67 89",
            "0033 1 23 45 67 89",
            "02 435 AB 38",
            "02 435 51 38b",
            "0800-FLEUR",
            "voir site",
            "00 2 435 51 38",
            "02 435 51 38 / 02 435 51 39",
        ] {
            assert_eq!(phone_be(raw), None, "{raw:?}");
        }
    }

    // -- email ---------------------------------------------------------------------------

    #[test]
    fn email_is_trimmed_and_its_domain_lowercased() {
        assert_eq!(
            email("  Info.Accueil@CASS-CSSA.Be ").as_deref(),
            Some("Info.Accueil@cass-cssa.be")
        );
        assert_eq!(
            email("mailto:info@cpas.be").as_deref(),
            Some("info@cpas.be")
        );
        assert_eq!(
            email("MAILTO:info@cpas.be").as_deref(),
            Some("info@cpas.be")
        );
        assert_eq!(
            email("mailto:info@cpas.be?subject=Rendez-vous").as_deref(),
            Some("info@cpas.be")
        );
        assert_eq!(
            email("first+tag@sub.domain-x.brussels").as_deref(),
            Some("first+tag@sub.domain-x.brussels")
        );
    }

    #[test]
    fn email_rejects_malformed_addresses() {
        for raw in [
            "",
            "info",
            "info@",
            "@cpas.be",
            "info@@cpas.be",
            "a@b@cpas.be",
            "in fo@cpas.be",
            "info@cpas",
            "info@cpas.b",
            "info@cpas.be.",
            "info@.cpas.be",
            "info@cp..as.be",
            "info@-cpas.be",
            "info@cpas-.be",
            "info@cpas_x.be",
            "info@cpas.b3",
            "info@cpas .be",
            "info@cpäs.be",
            ".info@cpas.be",
            "in..fo@cpas.be",
            "<info@cpas.be>",
            "info@cpas.be, autre@cpas.be",
        ] {
            assert_eq!(email(raw), None, "{raw:?}");
        }
    }

    // -- url -----------------------------------------------------------------------------

    #[test]
    fn web_addresses_of_the_same_site_share_a_key() {
        let key = |raw: &str| WebUrl::parse(raw).map(|u| u.key()).expect("a web address");
        assert_eq!(key("http://www.cass-cssa.be/"), "cass-cssa.be");
        assert_eq!(key("https://CASS-cssa.be"), "cass-cssa.be");
        assert_eq!(key("www.cass-cssa.be"), "cass-cssa.be");
        assert_eq!(key("https://cass-cssa.be/fr/"), "cass-cssa.be/fr");
        assert_ne!(
            key("https://cass-cssa.be/fr"),
            key("https://cass-cssa.be/nl")
        );
        assert_ne!(key("https://cass.be"), key("https://cass-cssa.be"));
    }

    #[test]
    fn url_without_scheme_gets_http() {
        assert_eq!(
            url("www.cass-cssa.be").as_deref(),
            Some("http://www.cass-cssa.be/")
        );
        assert_eq!(
            url(" www.cass-cssa.be:8080/fr/contact?x=1 ").as_deref(),
            Some("http://www.cass-cssa.be:8080/fr/contact?x=1")
        );
        assert_eq!(
            url("cpas.brussels").as_deref(),
            Some("http://cpas.brussels/")
        );
    }

    #[test]
    fn url_with_http_or_https_is_normalised() {
        assert_eq!(
            url("HTTPS://WWW.Example.BE/Page").as_deref(),
            Some("https://www.example.be/Page")
        );
        assert_eq!(
            url("http://www.cass-cssa.be").as_deref(),
            Some("http://www.cass-cssa.be/")
        );
    }

    #[test]
    fn url_rejects_other_schemes_hosts_and_spaces() {
        for raw in [
            "",
            "javascript:alert(1)",
            "mailto:info@cpas.be",
            "ftp://ftp.example.be/file",
            "http://localhost",
            "http://localhost:8080/x",
            "localhost",
            "http://192.168.1.1/",
            "https://",
            "www.cass cssa.be",
            "http://www.cass-cssa.be/ voir",
            "voir site web",
            "http://.be",
        ] {
            assert_eq!(url(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn parse_wraps_the_normalised_value_or_refuses() {
        assert_eq!(
            Phone::parse("02/435.51.38").map(String::from),
            Ok("+3224355138".to_owned())
        );
        assert_eq!(Email::parse("not an address"), Err(ContactError::Email));
        assert_eq!(WebUrl::parse("ftp://x.be"), Err(ContactError::WebUrl));
    }
}
