use std::fmt;

/// Levels of the territorial organisation of the region.
// From the whole zone down to the Monitoring des Quartiers unit. The derived `Ord` follows
// declaration order and is only there so that levels can be map keys; use
// [`Level::rank`] for fineness. The doc comments are the schema's descriptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, async_graphql::Enum)]
#[graphql(name = "TerritoryLevel")]
pub enum Level {
    /// The Brussels-Capital Region.
    Region,
    /// A first-line zone (BruZEL, the Dutch-speaking zone covering the region).
    Zone,
    /// One of the five *bassins d'aide et de soins*.
    Bassin,
    /// One of the 19 communes.
    Commune,
    /// A *quartier social-santé* (loaded as data when its boundaries are published).
    QuartierSocialSante,
    /// A Monitoring des Quartiers unit.
    Quartier,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::Region,
        Level::Zone,
        Level::Bassin,
        Level::Commune,
        Level::QuartierSocialSante,
        Level::Quartier,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Region => "region",
            Level::Zone => "zone",
            Level::Bassin => "bassin",
            Level::Commune => "commune",
            Level::QuartierSocialSante => "quartier_social_sante",
            Level::Quartier => "quartier",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.as_str() == s)
    }

    /// Fineness: a higher rank is a smaller territory. The zone ranks below the region
    /// because BruZEL is the coarsest grouping a service can be attached to.
    pub fn rank(&self) -> u8 {
        match self {
            Level::Zone => 0,
            Level::Region => 1,
            Level::Bassin => 2,
            Level::Commune => 3,
            Level::QuartierSocialSante => 4,
            Level::Quartier => 5,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_the_inverse_of_as_str() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert_eq!(Level::parse("Commune"), None);
        assert_eq!(Level::parse(""), None);
    }

    #[test]
    fn rank_orders_levels_from_zone_to_quartier() {
        let mut levels = Level::ALL;
        levels.sort_by_key(Level::rank);

        assert_eq!(
            levels,
            [
                Level::Zone,
                Level::Region,
                Level::Bassin,
                Level::Commune,
                Level::QuartierSocialSante,
                Level::Quartier,
            ]
        );
    }
}
