//! Closed sets of values, stored as text and read back as these enums: code compares
//! variants, never strings. The text of each variant is the stored value.

use sea_orm::entity::prelude::*;

macro_rules! stored {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum,
            serde::Serialize, serde::Deserialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(#[sea_orm(string_value = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The variant whose stored text is `text` (surrounding spaces ignored).
            pub fn from_text(text: &str) -> Option<$name> {
                match text.trim() {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

stored! {
    /// What a person pays.
    Fee {
        Free => "free",
        IncomeBased => "income_based",
        Fixed => "fixed",
        InamiConventioned => "inami_conventioned",
        Unknown => "unknown",
    }
}

stored! {
    /// Whether a service currently receives people.
    ServiceStatus {
        Active => "active",
        Inactive => "inactive",
        TemporarilyClosed => "temporarily_closed",
    }
}

stored! {
    /// How an authority recognises or funds a service.
    AccreditationKind {
        Agrement => "agrement",
        Subvention => "subvention",
        Convention => "convention",
        Forfait => "forfait",
    }
}

stored! {
    /// What a contact point is.
    ContactKind {
        Phone => "phone",
        Email => "email",
        Web => "web",
    }
}

stored! {
    /// What an annotation says.
    AnnotationKind {
        Note => "note",
        Verification => "verification",
        HelpdeskTip => "helpdesk_tip",
    }
}

stored! {
    /// Who may read an annotation: the other professional groups too (`Shared`), or
    /// the owning group only (`Private`).
    Visibility {
        Shared => "shared",
        Private => "private",
    }
}

stored! {
    /// How a sync run ended.
    RunOutcome {
        Success => "success",
        Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_of_every_variant_reads_back_and_serialises_the_same() {
        for fee in Fee::ALL {
            assert_eq!(Fee::from_text(fee.as_str()), Some(*fee));
            assert_eq!(
                serde_json::to_string(fee).ok(),
                Some(format!("\"{}\"", fee.as_str()))
            );
        }
        for status in ServiceStatus::ALL {
            assert_eq!(
                serde_json::to_string(status).ok(),
                Some(format!("\"{}\"", status.as_str()))
            );
        }
        assert_eq!(ServiceStatus::from_text("closed"), None);
        assert_eq!(
            AnnotationKind::from_text(" helpdesk_tip "),
            Some(AnnotationKind::HelpdeskTip)
        );
    }
}
