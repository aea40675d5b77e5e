//! Lexical material of the demo dataset. Names are invented except generic public bodies
//! (CPAS/OCMW, communes, the decree-designated CAW); legal bases cite real texts, or stay
//! generic where a precise reference would risk being wrong.
//!
//! Template placeholders: `{org}` organisation name, `{n}` invented proper name, `{c}` commune
//! name, `{de}` French "de X"/"d'X", `{adm}` "Commune de X"/"Gemeente X" (or Ville/Stad).

pub(crate) type Pair = (&'static str, &'static str);

pub(super) struct Commune {
    pub nis: &'static str,
    pub fr: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
    pub de: &'static str,
    pub city: bool,
    /// Relative share of the associative organisations, roughly following population.
    pub weight: u8,
    /// (street FR, street NL, postcode): Bruxelles spans several postcodes.
    pub streets: &'static [(&'static str, &'static str, &'static str)],
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    Fr,
    Nl,
    Bi,
}

#[derive(Clone, Copy)]
pub(super) enum Hours {
    Office,
    Split,
    Long,
    Mornings,
    Afternoons,
    Weekly,
    Appointment,
    Always,
    Daily,
    Daycare,
}

pub(super) struct Acc {
    pub authority: &'static str,
    pub kind: &'static str,
    pub basis: &'static str,
}

pub(super) struct Svc {
    /// Percent chance that an organisation of this kind offers the service.
    pub chance: u8,
    pub name: [&'static str; 3],
    pub desc: [&'static str; 3],
    pub public: Pair,
    pub cats: &'static [&'static str],
    pub fees: &'static [&'static str],
    /// Percent chance that a referral is required.
    pub referral: u8,
    pub acc: &'static [Acc],
    pub hours: Hours,
}

pub(super) struct Kind {
    /// Number of organisations; 0 means one per commune.
    pub count: u8,
    pub lang: Lang,
    pub org: [&'static str; 2],
    pub legal: Pair,
    /// Percent of organisations run as a de facto association (no KBO number).
    pub informal: u8,
    pub nihii: bool,
    pub freephone: bool,
    /// Percent chance of a second site.
    pub second_site: u8,
    /// Percent chance that the organisation works in English too.
    pub en: u8,
    pub services: &'static [Svc],
}

#[rustfmt::skip]
pub(super) const COMMUNES: [Commune; 19] = [
    Commune {
        nis: "21001", fr: "Anderlecht", nl: "Anderlecht", en: "Anderlecht", de: "d'Anderlecht",
        city: false, weight: 9,
        streets: &[
            ("Rue Wayez", "Wayezstraat", "1070"),
            ("Chaussée de Mons", "Bergensesteenweg", "1070"),
            ("Boulevard Sylvain Dupuis", "Sylvain Dupuislaan", "1070"),
            ("Rue de Fiennes", "Fiennesstraat", "1070"),
            ("Place de la Vaillance", "Dapperheidsplein", "1070"),
        ],
    },
    Commune {
        nis: "21002", fr: "Auderghem", nl: "Oudergem", en: "Auderghem", de: "d'Auderghem",
        city: false, weight: 3,
        streets: &[
            ("Boulevard du Souverain", "Vorstlaan", "1160"),
            ("Chaussée de Wavre", "Waversesteenweg", "1160"),
            ("Avenue Jean Van Horenbeeck", "Jean Van Horenbeecklaan", "1160"),
            ("Avenue de Beaulieu", "Beaulieulaan", "1160"),
        ],
    },
    Commune {
        nis: "21003", fr: "Berchem-Sainte-Agathe", nl: "Sint-Agatha-Berchem", en: "Berchem-Sainte-Agathe", de: "de Berchem-Sainte-Agathe",
        city: false, weight: 3,
        streets: &[
            ("Avenue du Roi Albert", "Koning Albertlaan", "1082"),
            ("Rue de Grand-Bigard", "Groot-Bijgaardenstraat", "1082"),
            ("Chaussée de Gand", "Gentsesteenweg", "1082"),
            ("Rue des Alcyons", "IJsvogelsstraat", "1082"),
        ],
    },
    Commune {
        nis: "21004", fr: "Bruxelles", nl: "Brussel", en: "Brussels", de: "de Bruxelles",
        city: true, weight: 17,
        streets: &[
            ("Rue Haute", "Hoogstraat", "1000"),
            ("Boulevard Anspach", "Anspachlaan", "1000"),
            ("Rue Blaes", "Blaesstraat", "1000"),
            ("Rue Marie-Christine", "Maria-Christinastraat", "1020"),
            ("Rue de Ransbeek", "Ransbeekstraat", "1120"),
            ("Rue de Verdun", "Verdunstraat", "1130"),
            ("Rue de la Loi", "Wetstraat", "1040"),
            ("Avenue Louise", "Louizalaan", "1050"),
        ],
    },
    Commune {
        nis: "21005", fr: "Etterbeek", nl: "Etterbeek", en: "Etterbeek", de: "d'Etterbeek",
        city: false, weight: 4,
        streets: &[
            ("Avenue d'Auderghem", "Oudergemlaan", "1040"),
            ("Chaussée de Wavre", "Waversesteenweg", "1040"),
            ("Place Jourdan", "Jourdanplein", "1040"),
            ("Avenue de la Chasse", "Jachtlaan", "1040"),
            ("Rue des Champs", "Veldstraat", "1040"),
        ],
    },
    Commune {
        nis: "21006", fr: "Evere", nl: "Evere", en: "Evere", de: "d'Evere",
        city: false, weight: 4,
        streets: &[
            ("Chaussée de Haecht", "Haachtsesteenweg", "1140"),
            ("Square Hoedemaekers", "Hoedemaekerssquare", "1140"),
            ("Avenue Henri Conscience", "Henri Consciencelaan", "1140"),
            ("Rue Édouard Stuckens", "Edouard Stuckensstraat", "1140"),
        ],
    },
    Commune {
        nis: "21007", fr: "Forest", nl: "Vorst", en: "Forest", de: "de Forest",
        city: false, weight: 5,
        streets: &[
            ("Chaussée de Neerstalle", "Neerstalsesteenweg", "1190"),
            ("Avenue Van Volxem", "Van Volxemlaan", "1190"),
            ("Place Saint-Denis", "Sint-Denijsplein", "1190"),
            ("Chaussée d'Alsemberg", "Alsembergsesteenweg", "1190"),
        ],
    },
    Commune {
        nis: "21008", fr: "Ganshoren", nl: "Ganshoren", en: "Ganshoren", de: "de Ganshoren",
        city: false, weight: 3,
        streets: &[
            ("Avenue de Villegas", "De Villegaslaan", "1083"),
            ("Avenue Charles-Quint", "Keizer Karellaan", "1083"),
            ("Avenue Van Overbeke", "Van Overbekelaan", "1083"),
        ],
    },
    Commune {
        nis: "21009", fr: "Ixelles", nl: "Elsene", en: "Ixelles", de: "d'Ixelles",
        city: false, weight: 7,
        streets: &[
            ("Chaussée d'Ixelles", "Elsensesteenweg", "1050"),
            ("Rue du Viaduc", "Viaductstraat", "1050"),
            ("Place Flagey", "Flageyplein", "1050"),
            ("Rue Malibran", "Malibranstraat", "1050"),
            ("Chaussée de Boondael", "Boondaalsesteenweg", "1050"),
        ],
    },
    Commune {
        nis: "21010", fr: "Jette", nl: "Jette", en: "Jette", de: "de Jette",
        city: false, weight: 4,
        streets: &[
            ("Rue Léopold Ier", "Leopold I-straat", "1090"),
            ("Place Reine Astrid", "Koningin Astridplein", "1090"),
            ("Avenue de Jette", "Jetselaan", "1090"),
            ("Rue Bonaventure", "Bonaventurestraat", "1090"),
            ("Boulevard de Smet de Naeyer", "De Smet de Naeyerlaan", "1090"),
        ],
    },
    Commune {
        nis: "21011", fr: "Koekelberg", nl: "Koekelberg", en: "Koekelberg", de: "de Koekelberg",
        city: false, weight: 3,
        streets: &[
            ("Rue Schmitz", "Schmitzstraat", "1081"),
            ("Place Henri Vanhuffel", "Henri Vanhuffelplein", "1081"),
            ("Chaussée de Jette", "Jetsesteenweg", "1081"),
            ("Avenue du Château", "Kasteellaan", "1081"),
        ],
    },
    Commune {
        nis: "21012", fr: "Molenbeek-Saint-Jean", nl: "Sint-Jans-Molenbeek", en: "Molenbeek-Saint-Jean", de: "de Molenbeek-Saint-Jean",
        city: false, weight: 8,
        streets: &[
            ("Chaussée de Gand", "Gentsesteenweg", "1080"),
            ("Rue Comte de Flandre", "Graaf van Vlaanderenstraat", "1080"),
            ("Boulevard Léopold II", "Leopold II-laan", "1080"),
            ("Rue de Ribaucourt", "Ribaucourtstraat", "1080"),
            ("Place Communale", "Gemeenteplaats", "1080"),
        ],
    },
    Commune {
        nis: "21013", fr: "Saint-Gilles", nl: "Sint-Gillis", en: "Saint-Gilles", de: "de Saint-Gilles",
        city: false, weight: 5,
        streets: &[
            ("Chaussée de Waterloo", "Waterloosesteenweg", "1060"),
            ("Place Van Meenen", "Van Meenenplein", "1060"),
            ("Avenue du Parc", "Parklaan", "1060"),
            ("Rue de la Victoire", "Overwinningsstraat", "1060"),
            ("Chaussée de Forest", "Vorstsesteenweg", "1060"),
        ],
    },
    Commune {
        nis: "21014", fr: "Saint-Josse-ten-Noode", nl: "Sint-Joost-ten-Node", en: "Saint-Josse-ten-Noode", de: "de Saint-Josse-ten-Noode",
        city: false, weight: 4,
        streets: &[
            ("Chaussée de Louvain", "Leuvensesteenweg", "1210"),
            ("Avenue de l'Astronomie", "Sterrenkundelaan", "1210"),
            ("Place Saint-Josse", "Sint-Joostplein", "1210"),
            ("Rue de la Charité", "Liefdadigheidsstraat", "1210"),
        ],
    },
    Commune {
        nis: "21015", fr: "Schaerbeek", nl: "Schaarbeek", en: "Schaerbeek", de: "de Schaerbeek",
        city: false, weight: 10,
        streets: &[
            ("Chaussée de Haecht", "Haachtsesteenweg", "1030"),
            ("Rue de la Poste", "Poststraat", "1030"),
            ("Avenue Louis Bertrand", "Louis Bertrandlaan", "1030"),
            ("Place Colignon", "Colignonplein", "1030"),
            ("Rue Royale Sainte-Marie", "Koninklijke Sint-Mariastraat", "1030"),
            ("Boulevard Lambermont", "Lambermontlaan", "1030"),
        ],
    },
    Commune {
        nis: "21016", fr: "Uccle", nl: "Ukkel", en: "Uccle", de: "d'Uccle",
        city: false, weight: 6,
        streets: &[
            ("Chaussée d'Alsemberg", "Alsembergsesteenweg", "1180"),
            ("Rue Xavier De Bue", "Xavier De Buestraat", "1180"),
            ("Place de Saint-Job", "Sint-Jobsplein", "1180"),
            ("Avenue De Fré", "De Frélaan", "1180"),
            ("Chaussée de Waterloo", "Waterloosesteenweg", "1180"),
        ],
    },
    Commune {
        nis: "21017", fr: "Watermael-Boitsfort", nl: "Watermaal-Bosvoorde", en: "Watermael-Boitsfort", de: "de Watermael-Boitsfort",
        city: false, weight: 3,
        streets: &[
            ("Place Antoine Gilson", "Antoine Gilsonplein", "1170"),
            ("Chaussée de La Hulpe", "Terhulpsesteenweg", "1170"),
            ("Rue du Loutrier", "Otterstraat", "1170"),
            ("Place Keym", "Keymplein", "1170"),
            ("Avenue Delleur", "Delleurlaan", "1170"),
        ],
    },
    Commune {
        nis: "21018", fr: "Woluwe-Saint-Lambert", nl: "Sint-Lambrechts-Woluwe", en: "Woluwe-Saint-Lambert", de: "de Woluwe-Saint-Lambert",
        city: false, weight: 4,
        streets: &[
            ("Avenue Paul Hymans", "Paul Hymanslaan", "1200"),
            ("Boulevard de la Woluwe", "Woluwelaan", "1200"),
            ("Rue Voot", "Vootstraat", "1200"),
            ("Avenue Georges Henri", "Georges Henrilaan", "1200"),
            ("Chaussée de Stockel", "Stokkelsesteenweg", "1200"),
        ],
    },
    Commune {
        nis: "21019", fr: "Woluwe-Saint-Pierre", nl: "Sint-Pieters-Woluwe", en: "Woluwe-Saint-Pierre", de: "de Woluwe-Saint-Pierre",
        city: false, weight: 3,
        streets: &[
            ("Avenue Charles Thielemans", "Charles Thielemanslaan", "1150"),
            ("Avenue de Tervueren", "Tervurenlaan", "1150"),
            ("Rue au Bois", "Bosstraat", "1150"),
            ("Place Dumon", "Dumonplein", "1150"),
        ],
    },
];

/// Invented proper names (FR, NL) given to associations; paired so bilingual bodies match.
pub(crate) const NAMES: &[Pair] = &[
    ("Les Peupliers", "De Populieren"),
    ("L'Aubépine", "De Meidoorn"),
    ("Le Vieux Chêne", "De Oude Eik"),
    ("Les Tilleuls", "De Linden"),
    ("La Roseraie", "De Rozentuin"),
    ("Le Cerisier", "De Kerselaar"),
    ("Les Noisetiers", "De Hazelaars"),
    ("Le Saule", "De Wilg"),
    ("Les Glycines", "De Blauweregen"),
    ("Le Verger", "De Boomgaard"),
    ("L'Écluse", "De Sluis"),
    ("Le Quai", "De Kaai"),
    ("Le Moulin", "De Molen"),
    ("L'Horizon", "De Horizon"),
    ("Le Trèfle", "De Klaver"),
    ("La Rose des Vents", "De Windroos"),
    ("L'Étoile du Nord", "De Noorderster"),
    ("La Lanterne", "De Lantaarn"),
    ("L'Archipel", "De Archipel"),
    ("Le Sémaphore", "De Seinpaal"),
    ("La Ruche", "De Korf"),
    ("Le Tremplin", "De Springplank"),
    ("L'Escale", "De Aanlegplaats"),
    ("Les Hirondelles", "De Zwaluwen"),
    ("Le Marronnier", "De Kastanjelaar"),
    ("Les Coquelicots", "De Klaprozen"),
    ("L'Olivier", "De Olijfboom"),
    ("Le Cèdre", "De Ceder"),
    ("La Girouette", "De Windwijzer"),
    ("Le Colibri", "De Kolibrie"),
    ("Le Tisserand", "De Wever"),
    ("La Grande Ourse", "De Grote Beer"),
    ("Le Belvédère", "Het Belvedère"),
    ("Le Héron", "De Reiger"),
    ("La Luciole", "De Glimworm"),
    ("L'Ancre", "Het Anker"),
    ("Le Jardin d'Hiver", "De Wintertuin"),
    ("Les Trois Pommiers", "De Drie Appelbomen"),
    ("La Clé des Champs", "Het Veldpad"),
    ("Le Fil d'Or", "De Gouden Draad"),
    ("La Boussole Verte", "Het Groene Kompas"),
    ("Le Mouton Bleu", "Het Blauwe Schaap"),
];

/// ISO 639-1 codes of languages commonly offered in Brussels services, with percent chance.
pub(super) const EXTRA_LANGUAGES: &[(&str, u8)] = &[
    ("ar", 16),
    ("tr", 7),
    ("es", 10),
    ("pt", 5),
    ("pl", 4),
    ("ro", 5),
    ("ru", 3),
    ("it", 5),
    ("de", 3),
    ("bg", 2),
    ("uk", 3),
    ("ln", 2),
    ("fa", 2),
];

pub(super) const REMARKS: &[Pair] = &[
    (
        "Sur rendez-vous le mercredi après-midi.",
        "Op afspraak op woensdagnamiddag.",
    ),
    (
        "Permanence sans rendez-vous le lundi matin.",
        "Vrije inloop op maandagvoormiddag.",
    ),
    (
        "Fermé les jours fériés et entre Noël et Nouvel An.",
        "Gesloten op feestdagen en tussen Kerstmis en Nieuwjaar.",
    ),
    (
        "Horaire réduit en juillet et en août.",
        "Beperkte openingsuren in juli en augustus.",
    ),
    (
        "Visites à domicile possibles sur demande.",
        "Huisbezoeken mogelijk op aanvraag.",
    ),
    (
        "Le vendredi, accueil téléphonique uniquement.",
        "Op vrijdag enkel telefonisch bereikbaar.",
    ),
];
pub(super) const REMARK_APPOINTMENT: Pair = ("Uniquement sur rendez-vous.", "Enkel op afspraak.");
pub(super) const REMARK_ALWAYS: Pair = (
    "Joignable 24 heures sur 24, 7 jours sur 7.",
    "24 uur op 24, 7 dagen op 7 bereikbaar.",
);

pub(super) const ACCESS_YES: &[Pair] = &[
    (
        "Entrée de plain-pied et toilettes adaptées.",
        "Gelijkvloerse toegang en aangepast toilet.",
    ),
    (
        "Ascenseur et place de parking réservée.",
        "Lift en voorbehouden parkeerplaats.",
    ),
    (
        "Boucle magnétique à l'accueil.",
        "Ringleiding aan het onthaal.",
    ),
];
pub(super) const ACCESS_NO: &[Pair] = &[
    (
        "Bâtiment sans ascenseur, consultations au rez-de-chaussée sur demande.",
        "Gebouw zonder lift, consultaties op het gelijkvloers op aanvraag.",
    ),
    (
        "Marche à l'entrée, rampe amovible sur demande.",
        "Trede aan de ingang, oprijplaat op aanvraag.",
    ),
];

const ASBL: Pair = ("ASBL", "VZW");
pub(super) const INFORMAL_STATUS: Pair = ("Association de fait", "Feitelijke vereniging");

const FREE: &[&str] = &["free"];
const INCOME: &[&str] = &["income_based"];
const FIXED: &[&str] = &["fixed"];
const INAMI: &[&str] = &["inami_conventioned"];

const P_ALL: Pair = ("Tout public", "Iedereen");
const P_RESIDENTS: Pair = ("Habitants de la commune", "Inwoners van de gemeente");
const P_ADULTS: Pair = ("Adultes", "Volwassenen");
const P_POOR: Pair = (
    "Personnes en situation de précarité",
    "Mensen in een kwetsbare situatie",
);
const P_YOUTH: Pair = (
    "Enfants, adolescents et jeunes adultes jusqu'à 25 ans",
    "Kinderen, jongeren en jongvolwassenen tot 25 jaar",
);
const P_FAMILIES: Pair = (
    "Futurs parents, parents et enfants de 0 à 6 ans",
    "Aanstaande ouders, ouders en kinderen van 0 tot 6 jaar",
);
const P_SENIORS: Pair = ("Personnes âgées et leurs proches", "Ouderen en hun naasten");
const P_SENIORS_65: Pair = ("Personnes de 65 ans et plus", "Personen vanaf 65 jaar");
const P_HOME: Pair = (
    "Personnes en perte d'autonomie vivant à domicile",
    "Zorgbehoevende personen die thuis wonen",
);
const P_HOMELESS: Pair = ("Personnes sans abri ou mal logées", "Dak- en thuislozen");
const P_DISABILITY: Pair = (
    "Personnes en situation de handicap et leur entourage",
    "Personen met een handicap en hun omgeving",
);
const P_JOBSEEKERS: Pair = ("Chercheurs d'emploi", "Werkzoekenden");
const P_DEBT: Pair = (
    "Personnes surendettées ou en difficulté budgétaire",
    "Mensen met schulden of budgetproblemen",
);
const P_ADDICTION: Pair = (
    "Personnes confrontées à l'alcool, aux drogues ou aux médicaments et leur entourage",
    "Mensen met een alcohol-, drug- of medicatieprobleem en hun omgeving",
);
const P_PALLIATIVE: Pair = (
    "Personnes gravement malades, en fin de vie, et leurs proches",
    "Ernstig zieken, mensen in hun laatste levensfase en hun naasten",
);
const P_MH_PATIENTS: Pair = (
    "Habitants du quartier inscrits à la maison médicale",
    "Buurtbewoners ingeschreven bij het wijkgezondheidscentrum",
);
const P_PROS: Pair = (
    "Professionnels du social et de la santé",
    "Professionals uit welzijn en gezondheid",
);
const P_NEWCOMERS: Pair = ("Primo-arrivants majeurs", "Meerderjarige nieuwkomers");
const P_VICTIMS: Pair = (
    "Victimes d'infractions et leurs proches",
    "Slachtoffers van misdrijven en hun naasten",
);
const P_DETAINEES: Pair = (
    "Personnes détenues ou ex-détenues et leurs proches",
    "Gedetineerden, ex-gedetineerden en hun naasten",
);

const fn acc(authority: &'static str, kind: &'static str, basis: &'static str) -> Acc {
    Acc {
        authority,
        kind,
        basis,
    }
}

const LOCAL_CPAS: Acc = acc(
    "local",
    "subvention",
    "Loi organique des centres publics d'action sociale du 8 juillet 1976",
);
const LOCAL_COMMUNE: Acc = acc(
    "local",
    "subvention",
    "Budget communal (Nouvelle loi communale)",
);
const LOCAL_AIS: Acc = acc(
    "local",
    "convention",
    "Convention de partenariat avec la commune",
);
const FED_RIS: Acc = acc(
    "federal",
    "subvention",
    "Loi du 26 mai 2002 concernant le droit à l'intégration sociale",
);
const FED_AMU: Acc = acc(
    "federal",
    "subvention",
    "Loi du 2 avril 1965 relative à la prise en charge des secours accordés par les centres publics d'action sociale",
);
const FED_ENERGY: Acc = acc(
    "federal",
    "subvention",
    "Loi du 4 septembre 2002 visant à confier aux CPAS la guidance et l'aide sociale financière dans le cadre de la fourniture d'énergie",
);
const FED_SAC: Acc = acc(
    "federal",
    "subvention",
    "Loi du 24 juin 2013 relative aux sanctions administratives communales",
);
const FED_FORFAIT: Acc = acc(
    "federal",
    "forfait",
    "Loi relative à l'assurance obligatoire soins de santé et indemnités, coordonnée le 14 juillet 1994, art. 52",
);
const FED_PSY: Acc = acc(
    "federal",
    "convention",
    "Convention INAMI relative aux soins psychologiques de première ligne via les réseaux de santé mentale",
);
const FED_107: Acc = acc(
    "federal",
    "convention",
    "Réforme des soins en santé mentale « article 107 » (loi coordonnée du 10 juillet 2008 sur les hôpitaux)",
);
const FED_IHP: Acc = acc(
    "federal",
    "subvention",
    "Arrêté royal du 10 juillet 1990 fixant les normes pour l'agrément des initiatives d'habitation protégée pour des patients psychiatriques",
);
const FED_IVG: Acc = acc(
    "federal",
    "convention",
    "Convention INAMI avec les centres pratiquant l'interruption volontaire de grossesse",
);
const FED_FEAD: Acc = acc(
    "federal",
    "subvention",
    "Aide alimentaire européenne (FEAD/FSE+) distribuée par le SPP Intégration sociale",
);
const FED_NURSING: Acc = acc(
    "federal",
    "convention",
    "Convention nationale entre les praticiens de l'art infirmier et les organismes assureurs (INAMI)",
);
const FED_PALLIATIVE: Acc = acc(
    "federal",
    "convention",
    "Convention INAMI avec les équipes multidisciplinaires d'accompagnement de soins palliatifs",
);
const FED_TOBACCO: Acc = acc(
    "federal",
    "subvention",
    "Fonds de lutte contre les assuétudes (SPF Santé publique)",
);
const FED_HOSP: Acc = acc(
    "federal",
    "subvention",
    "Loi coordonnée du 10 juillet 2008 sur les hôpitaux et autres établissements de soins (budget des moyens financiers)",
);
const COCOF_AMB: Acc = acc(
    "cocof",
    "agrement",
    "Décret de la Commission communautaire française du 5 mars 2009 relatif à l'offre de services ambulatoires dans les domaines de l'action sociale, de la famille et de la santé",
);
const COCOF_HOMEHELP: Acc = acc(
    "cocof",
    "agrement",
    "Agrément de la Commission communautaire française en tant que service d'aide à domicile",
);
const COCOF_HANDICAP: Acc = acc(
    "cocof",
    "agrement",
    "Décret de la Commission communautaire française du 17 janvier 2014 relatif à l'inclusion de la personne handicapée",
);
const COCOF_COHESION: Acc = acc(
    "cocof",
    "agrement",
    "Décret de la Commission communautaire française du 30 novembre 2018 relatif à la cohésion sociale",
);
const COCOF_ISP: Acc = acc(
    "cocof",
    "agrement",
    "Décret de la Commission communautaire française du 27 avril 1995 relatif à l'agrément de certains organismes d'insertion socioprofessionnelle",
);
const COCOF_BAPA: Acc = acc(
    "cocof",
    "agrement",
    "Décret de la Commission communautaire française du 18 juillet 2013 relatif au parcours d'accueil pour primo-arrivants",
);
const COCOF_SUB: Acc = acc(
    "cocof",
    "subvention",
    "Subvention facultative de la Commission communautaire française",
);
const COCOM_DEBT: Acc = acc(
    "cocom",
    "agrement",
    "Agrément de la Commission communautaire commune en tant que service de médiation de dettes",
);
const COCOM_ELDERLY: Acc = acc(
    "cocom",
    "agrement",
    "Ordonnance du 24 avril 2008 relative aux établissements d'accueil ou d'hébergement pour personnes âgées",
);
const COCOM_SSM: Acc = acc(
    "cocom",
    "agrement",
    "Agrément de la Commission communautaire commune en tant que service de santé mentale",
);
const COCOM_HOMECARE: Acc = acc(
    "cocom",
    "agrement",
    "Ordonnance du 7 novembre 2002 relative aux centres et services de l'aide aux personnes",
);
const COCOM_HOMELESS: Acc = acc(
    "cocom",
    "agrement",
    "Ordonnance du 14 juin 2018 relative à l'aide d'urgence et à l'insertion des personnes sans abri",
);
const COCOM_PALLIATIVE: Acc = acc(
    "cocom",
    "agrement",
    "Agrément de la Commission communautaire commune (soins palliatifs et continués)",
);
const COCOM_REHAB: Acc = acc(
    "cocom",
    "convention",
    "Convention de rééducation fonctionnelle gérée par Iriscare (assuétudes)",
);
const COCOM_HANDICAP: Acc = acc(
    "cocom",
    "agrement",
    "Agrément de la Commission communautaire commune (Iriscare) pour l'hébergement de personnes handicapées",
);
const COCOM_HOSP: Acc = acc(
    "cocom",
    "agrement",
    "Agrément hospitalier de la Commission communautaire commune",
);
const COCOM_NEWCOMERS: Acc = acc(
    "cocom",
    "agrement",
    "Ordonnance de la Commission communautaire commune relative au parcours d'accueil des primo-arrivants",
);
const COCOM_FIRSTLINE: Acc = acc(
    "cocom",
    "agrement",
    "Ordonnance de la Commission communautaire commune relative à la politique de la première ligne de soins",
);
const FWB_ONE: Acc = acc(
    "fwb",
    "agrement",
    "Décret du 17 juillet 2002 portant réforme de l'Office de la Naissance et de l'Enfance (ONE)",
);
const FWB_YOUTH: Acc = acc(
    "fwb",
    "agrement",
    "Décret du 18 janvier 2018 portant le code de la prévention, de l'aide à la jeunesse et de la protection de la jeunesse",
);
const FWB_JUSTICE: Acc = acc(
    "fwb",
    "agrement",
    "Décret de la Communauté française relatif à l'agrément et au subventionnement des partenaires apportant de l'aide aux justiciables",
);
const FWB_VIOLENCE: Acc = acc(
    "fwb",
    "subvention",
    "Subvention de la Fédération Wallonie-Bruxelles (droits des femmes et lutte contre les violences)",
);
const FWB_EP: Acc = acc(
    "fwb",
    "subvention",
    "Décret du 17 juillet 2003 relatif au soutien de l'action associative dans le champ de l'Éducation permanente",
);
const VG_CAW: Acc = acc(
    "vg",
    "agrement",
    "Decreet van 8 mei 2009 betreffende het algemeen welzijnswerk",
);
const VG_CGG: Acc = acc(
    "vg",
    "agrement",
    "Decreet van 18 mei 1999 betreffende de geestelijke gezondheidszorg",
);
const VG_WOONZORG: Acc = acc(
    "vg",
    "agrement",
    "Decreet van 15 februari 2019 betreffende het woonzorgbeleid",
);
const VG_GEZIN: Acc = acc(
    "vg",
    "agrement",
    "Decreet houdende de organisatie van preventieve gezinsondersteuning",
);
const VG_OPVANG: Acc = acc(
    "vg",
    "agrement",
    "Decreet van 20 april 2012 houdende de organisatie van kinderopvang van baby's en peuters",
);
const VG_VAPH: Acc = acc(
    "vg",
    "agrement",
    "Decreet van 25 april 2014 houdende de persoonsvolgende financiering voor personen met een handicap",
);
const VG_ADULT_ED: Acc = acc(
    "vg",
    "agrement",
    "Decreet van 15 juni 2007 betreffende het volwassenenonderwijs",
);
const VG_INBURGERING: Acc = acc(
    "vg",
    "agrement",
    "Decreet van 7 juni 2013 betreffende het Vlaamse integratie- en inburgeringsbeleid",
);
const VG_SUB: Acc = acc(
    "vg",
    "subvention",
    "Subsidie van de Vlaamse overheid (Welzijn)",
);
const VGC_WGC: Acc = acc(
    "vgc",
    "agrement",
    "Erkenning door de Vlaamse Gemeenschapscommissie als wijkgezondheidscentrum",
);
const VGC_SUB: Acc = acc(
    "vgc",
    "subvention",
    "Subsidiereglement van de Vlaamse Gemeenschapscommissie",
);

#[rustfmt::skip]
pub(super) const KINDS: &[Kind] = &[
    // CPAS/OCMW: one per commune, the backbone of local social aid.
    Kind {
        count: 0, lang: Lang::Bi, org: ["CPAS {de}", "OCMW {c}"],
        legal: ("Service public - CPAS", "Openbare dienst - OCMW"), informal: 0, nihii: false,
        freephone: false, second_site: 35, en: 20,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Split, public: P_RESIDENTS,
                cats: &["cpas.social_integration"], acc: &[LOCAL_CPAS, FED_RIS],
                name: ["Service social général – {org}", "Algemene sociale dienst – {org}", "General social service – PCSW {c}"],
                desc: [
                    "Accueil, information et accompagnement social. Examen du droit au revenu d'intégration et à l'aide sociale.",
                    "Onthaal, informatie en sociale begeleiding. Onderzoek van het recht op leefloon en maatschappelijke dienstverlening.",
                    "Reception, information and social support. Assessment of entitlement to the integration income and social assistance.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Mornings, public: P_POOR,
                cats: &["cpas.medical_aid"], acc: &[LOCAL_CPAS, FED_AMU],
                name: ["Aide médicale – {org}", "Medische hulp – {org}", "Medical aid – PCSW {c}"],
                desc: [
                    "Prise en charge des frais médicaux et pharmaceutiques, carte médicale et aide médicale urgente pour les personnes sans titre de séjour.",
                    "Tenlasteneming van medische en farmaceutische kosten, medische kaart en dringende medische hulp voor mensen zonder wettig verblijf.",
                    "Coverage of medical and pharmaceutical costs, medical card and urgent medical aid for undocumented people.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Mornings, public: P_RESIDENTS,
                cats: &["cpas.energy"], acc: &[LOCAL_CPAS, FED_ENERGY],
                name: ["Cellule énergie – {org}", "Energiecel – {org}", "Energy unit – PCSW {c}"],
                desc: [
                    "Aide au paiement des factures de gaz et d'électricité, guidance énergétique et médiation avec les fournisseurs.",
                    "Hulp bij het betalen van gas- en elektriciteitsfacturen, energiebegeleiding en bemiddeling met leveranciers.",
                    "Help with gas and electricity bills, energy guidance and mediation with suppliers.",
                ],
            },
            Svc {
                chance: 30, referral: 70, fees: FREE, hours: Hours::Office, public: ("Bénéficiaires du revenu d'intégration", "Leefloongerechtigden"),
                cats: &["cpas.socio_professional", "employment_training.job_search"], acc: &[LOCAL_CPAS],
                name: ["Insertion socioprofessionnelle – {org}", "Socioprofessionele inschakeling – {org}", "Employment integration – PCSW {c}"],
                desc: [
                    "Accompagnement vers l'emploi et la formation, dont la mise à l'emploi sous contrat article 60.",
                    "Begeleiding naar werk en opleiding, onder meer via tewerkstelling onder artikel 60.",
                    "Guidance towards work and training, including article 60 employment contracts.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Appointment, public: P_DEBT,
                cats: &["debt_mediation.amicable", "debt_mediation.budget_guidance"], acc: &[COCOM_DEBT],
                name: ["Service de médiation de dettes – {org}", "Schuldbemiddeling – {org}", "Debt mediation – PCSW {c}"],
                desc: [
                    "Médiation de dettes amiable et guidance budgétaire pour les habitants de la commune.",
                    "Minnelijke schuldbemiddeling en budgetbegeleiding voor de inwoners van de gemeente.",
                    "Amicable debt mediation and budget guidance for residents of the municipality.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FREE, hours: Hours::Appointment, public: P_PROS,
                cats: &["social_coordination.local_network"], acc: &[LOCAL_CPAS],
                name: ["Coordination sociale {de}", "Sociale coördinatie {c}", "Social coordination – {c}"],
                desc: [
                    "Réseau des acteurs sociaux et de santé de la commune : rencontres, groupes de travail et répertoire local.",
                    "Netwerk van de welzijns- en gezondheidsactoren van de gemeente: overleg, werkgroepen en een lokale sociale kaart.",
                    "Network of the social and health actors of the municipality: meetings, working groups and a local directory.",
                ],
            },
            Svc {
                chance: 20, referral: 0, fees: FIXED, hours: Hours::Always, public: P_SENIORS_65,
                cats: &["elderly.nursing_home"], acc: &[COCOM_ELDERLY],
                name: ["Maison de repos et de soins – {org}", "Woonzorgcentrum – {org}", "Nursing home – PCSW {c}"],
                desc: [
                    "Hébergement permanent et soins pour personnes âgées dépendantes. Court séjour possible.",
                    "Permanent verblijf en zorg voor zorgbehoevende ouderen. Kortverblijf mogelijk.",
                    "Long-term residence and care for dependent older people. Short stays possible.",
                ],
            },
            Svc {
                chance: 15, referral: 0, fees: INCOME, hours: Hours::Office, public: P_SENIORS,
                cats: &["home_care.meals"], acc: &[LOCAL_CPAS],
                name: ["Repas à domicile – {org}", "Maaltijden aan huis – {org}", "Meals on wheels – PCSW {c}"],
                desc: [
                    "Livraison de repas chauds ou réfrigérés à domicile, du lundi au vendredi.",
                    "Levering van warme of gekoelde maaltijden aan huis, van maandag tot vrijdag.",
                    "Delivery of hot or chilled meals at home, Monday to Friday.",
                ],
            },
            Svc {
                chance: 10, referral: 0, fees: INCOME, hours: Hours::Always, public: P_SENIORS,
                cats: &["home_care.alarm"], acc: &[LOCAL_CPAS],
                name: ["Télévigilance – {org}", "Personenalarmering – {org}", "Personal alarm – PCSW {c}"],
                desc: [
                    "Bouton d'appel relié à une centrale disponible jour et nuit, pour vivre à domicile en sécurité.",
                    "Alarmknop verbonden met een centrale die dag en nacht bereikbaar is, om veilig thuis te blijven wonen.",
                    "Alarm button linked to a control room available day and night, to live safely at home.",
                ],
            },
            Svc {
                chance: 15, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_RESIDENTS,
                cats: &["cpas"], acc: &[LOCAL_CPAS],
                name: ["Antenne sociale de quartier – {org}", "Sociale buurtantenne – {org}", "Neighbourhood social office – PCSW {c}"],
                desc: [
                    "Permanence sociale de proximité pour les premières démarches et l'orientation.",
                    "Laagdrempelige sociale permanentie voor eerste stappen en doorverwijzing.",
                    "Local drop-in social desk for first steps and referral.",
                ],
            },
        ],
    },
    // Municipal administrations: local mediation, job desk, crèche, seniors, Handicontact.
    Kind {
        count: 0, lang: Lang::Bi, org: ["{adm}", "{adm}"],
        legal: ("Service public - Commune", "Openbare dienst - Gemeente"), informal: 0, nihii: false,
        freephone: false, second_site: 10, en: 15,
        services: &[
            Svc {
                chance: 25, referral: 0, fees: FREE, hours: Hours::Appointment, public: P_RESIDENTS,
                cats: &["justice_help.mediation"], acc: &[LOCAL_COMMUNE, FED_SAC],
                name: ["Service de médiation locale – {adm}", "Buurtbemiddeling – {adm}", "Local mediation service – {adm}"],
                desc: [
                    "Médiation gratuite des conflits de voisinage et médiation dans le cadre des sanctions administratives communales.",
                    "Gratis bemiddeling bij burenconflicten en bemiddeling in het kader van de gemeentelijke administratieve sancties.",
                    "Free mediation of neighbour disputes and mediation for municipal administrative sanctions.",
                ],
            },
            Svc {
                chance: 20, referral: 0, fees: FREE, hours: Hours::Office, public: P_JOBSEEKERS,
                cats: &["employment_training.job_search"], acc: &[LOCAL_COMMUNE],
                name: ["Maison de l'emploi {de}", "Werkwinkel {c}", "Job centre – {c}"],
                desc: [
                    "Accueil des chercheurs d'emploi, offres d'emploi locales et ateliers de candidature.",
                    "Onthaal van werkzoekenden, lokale vacatures en sollicitatieworkshops.",
                    "Reception of jobseekers, local vacancies and application workshops.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: INCOME, hours: Hours::Daycare, public: ("Enfants de 0 à 3 ans et leurs parents", "Kinderen van 0 tot 3 jaar en hun ouders"),
                cats: &["family_child.childcare"], acc: &[FWB_ONE, LOCAL_COMMUNE],
                name: ["Crèche communale {de}", "Gemeentelijk kinderdagverblijf {c}", "Municipal day nursery – {c}"],
                desc: [
                    "Accueil des enfants de 0 à 3 ans, participation financière selon les revenus des parents.",
                    "Opvang voor kinderen van 0 tot 3 jaar, met een bijdrage volgens het inkomen van de ouders.",
                    "Care for children aged 0 to 3, with fees based on parental income.",
                ],
            },
            Svc {
                chance: 20, referral: 0, fees: FIXED, hours: Hours::Office, public: P_SENIORS,
                cats: &["elderly"], acc: &[LOCAL_COMMUNE],
                name: ["Service des aînés {de}", "Seniorendienst {c}", "Senior citizens' service – {c}"],
                desc: [
                    "Activités, excursions et informations pratiques pour les seniors de la commune.",
                    "Activiteiten, uitstappen en praktische informatie voor de senioren van de gemeente.",
                    "Activities, outings and practical information for the municipality's older residents.",
                ],
            },
            Svc {
                chance: 20, referral: 0, fees: FREE, hours: Hours::Mornings, public: P_DISABILITY,
                cats: &["disability"], acc: &[LOCAL_COMMUNE],
                name: ["Handicontact {de}", "Handicontact {c}", "Disability contact point – {c}"],
                desc: [
                    "Point de contact pour les personnes en situation de handicap : information sur les droits, démarches et orientation.",
                    "Aanspreekpunt voor personen met een handicap: informatie over rechten, aanvragen en doorverwijzing.",
                    "Contact point for people with disabilities: information on rights, applications and referral.",
                ],
            },
            Svc {
                chance: 15, referral: 0, fees: FREE, hours: Hours::Mornings, public: P_RESIDENTS,
                cats: &["housing"], acc: &[LOCAL_COMMUNE],
                name: ["Cellule logement {de}", "Huisvestingscel {c}", "Housing desk – {c}"],
                desc: [
                    "Information sur le logement social, les primes régionales et les droits des locataires.",
                    "Informatie over sociale huisvesting, gewestelijke premies en huurdersrechten.",
                    "Information on social housing, regional grants and tenants' rights.",
                ],
            },
            Svc {
                chance: 15, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_RESIDENTS,
                cats: &["justice_help.legal_aid"], acc: &[LOCAL_COMMUNE],
                name: ["Permanence juridique gratuite {de}", "Gratis juridisch advies {c}", "Free legal advice – {c}"],
                desc: [
                    "Premier avis juridique gratuit donné par un avocat, sans rendez-vous.",
                    "Gratis eerste juridisch advies door een advocaat, zonder afspraak.",
                    "Free first legal advice from a lawyer, no appointment needed.",
                ],
            },
        ],
    },
    // Maisons médicales au forfait, COCOF-recognised.
    Kind {
        count: 12, lang: Lang::Fr, org: ["Maison médicale {n}", ""],
        legal: ASBL, informal: 0, nihii: true,
        freephone: false, second_site: 10, en: 20,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: INAMI, hours: Hours::Long, public: P_MH_PATIENTS,
                cats: &["medical_house.forfait"], acc: &[FED_FORFAIT, COCOF_AMB],
                name: ["{org} – {c}", "", "Medical house {n} – {c}"],
                desc: [
                    "Médecine générale, soins infirmiers et kinésithérapie au forfait : pas de paiement à la consultation pour les patients inscrits.",
                    "",
                    "General practice, nursing and physiotherapy under a capitation system: no payment per visit for registered patients.",
                ],
            },
            Svc {
                chance: 20, referral: 0, fees: INAMI, hours: Hours::Appointment, public: P_ALL,
                cats: &["mental_health.psychologist_first_line"], acc: &[FED_PSY],
                name: ["Psychologue de première ligne – {org} ({c})", "", "First-line psychologist – {org} ({c})"],
                desc: [
                    "Séances de soutien psychologique de courte durée, remboursées par l'INAMI via le réseau de santé mentale.",
                    "",
                    "Short-term psychological support sessions reimbursed by the INAMI through the mental health network.",
                ],
            },
            Svc {
                chance: 20, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_MH_PATIENTS,
                cats: &["medical_house", "general_social_work.social_reception"], acc: &[COCOF_AMB],
                name: ["Service social – {org} ({c})", "", "Social service – {org} ({c})"],
                desc: [
                    "Permanence sociale pour les patients : droits sociaux, mutuelle, logement et démarches administratives.",
                    "",
                    "Social desk for patients: social rights, health insurance, housing and paperwork.",
                ],
            },
            Svc {
                chance: 10, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_ALL,
                cats: &["general_social_work.community_work"], acc: &[COCOF_AMB],
                name: ["Santé communautaire – {org} ({c})", "", "Community health – {org} ({c})"],
                desc: [
                    "Ateliers collectifs de promotion de la santé ouverts aux habitants du quartier.",
                    "",
                    "Group health promotion workshops open to local residents.",
                ],
            },
        ],
    },
    // Maisons médicales à l'acte.
    Kind {
        count: 3, lang: Lang::Fr, org: ["Centre médical {n}", ""],
        legal: ASBL, informal: 0, nihii: true,
        freephone: false, second_site: 0, en: 30,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: INAMI, hours: Hours::Long, public: P_ALL,
                cats: &["medical_house.fee_for_service"], acc: &[COCOF_AMB],
                name: ["{org} – {c}", "", "Medical centre {n} – {c}"],
                desc: [
                    "Maison médicale à l'acte : médecins généralistes conventionnés, paiement à la consultation avec tiers payant.",
                    "",
                    "Fee-for-service medical house: contracted GPs, payment per visit with direct billing to the health insurer.",
                ],
            },
        ],
    },
    // Flemish wijkgezondheidscentra.
    Kind {
        count: 3, lang: Lang::Nl, org: ["", "Wijkgezondheidscentrum {n}"],
        legal: ASBL, informal: 0, nihii: true,
        freephone: false, second_site: 0, en: 30,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: INAMI, hours: Hours::Long, public: P_MH_PATIENTS,
                cats: &["medical_house.forfait"], acc: &[FED_FORFAIT, VGC_WGC],
                name: ["", "{org} – {c}", "Community health centre {n} – {c}"],
                desc: [
                    "",
                    "Huisartsen, verpleging en kinesitherapie in een forfaitair systeem: ingeschreven patiënten betalen niet per consultatie.",
                    "General practice, nursing and physiotherapy under a capitation system: registered patients do not pay per visit.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: INAMI, hours: Hours::Appointment, public: P_ALL,
                cats: &["mental_health.psychologist_first_line"], acc: &[FED_PSY],
                name: ["", "Eerstelijnspsycholoog – {org} ({c})", "First-line psychologist – {org} ({c})"],
                desc: [
                    "",
                    "Kortdurende psychologische begeleiding, terugbetaald door het RIZIV via het netwerk geestelijke gezondheid.",
                    "Short-term psychological support reimbursed by the RIZIV through the mental health network.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_ALL,
                cats: &["medical_house"], acc: &[VGC_SUB],
                name: ["", "Gezondheidspromotie – {org} ({c})", "Health promotion – {org} ({c})"],
                desc: [
                    "",
                    "Groepsactiviteiten rond beweging, voeding en diabetes voor buurtbewoners.",
                    "Group activities on exercise, nutrition and diabetes for local residents.",
                ],
            },
        ],
    },
    // Services de santé mentale, COCOF.
    Kind {
        count: 7, lang: Lang::Fr, org: ["Service de santé mentale {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 15, en: 25,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: INCOME, hours: Hours::Split, public: P_ADULTS,
                cats: &["mental_health.centre"], acc: &[COCOF_AMB],
                name: ["{org} – {c}", "", "Mental health centre {n} – {c}"],
                desc: [
                    "Consultations psychologiques, psychiatriques et sociales pour adultes. Participation financière adaptée aux revenus.",
                    "",
                    "Psychological, psychiatric and social consultations for adults. Fees adjusted to income.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: INCOME, hours: Hours::Office, public: P_YOUTH,
                cats: &["mental_health.centre", "family_child"], acc: &[COCOF_AMB],
                name: ["Consultations enfants et adolescents – {org} ({c})", "", "Child and adolescent clinic – {org} ({c})"],
                desc: [
                    "Bilans et suivis psychologiques, logopédiques et psychomoteurs pour enfants, adolescents et leur famille.",
                    "",
                    "Psychological, speech therapy and psychomotor assessment and follow-up for children, teenagers and their families.",
                ],
            },
            Svc {
                chance: 20, referral: 70, fees: FREE, hours: Hours::Daily, public: P_ADULTS,
                cats: &["mental_health.mobile_team"], acc: &[FED_107],
                name: ["Équipe mobile – {org} ({c})", "", "Mobile team – {org} ({c})"],
                desc: [
                    "Interventions à domicile en situation de crise psychique, en lien avec le médecin traitant.",
                    "",
                    "Home visits during a mental health crisis, in liaison with the patient's GP.",
                ],
            },
        ],
    },
    // Bicommunal mental health centres, COCOM.
    Kind {
        count: 2, lang: Lang::Bi, org: ["Service de santé mentale {n}", "Centrum voor geestelijke gezondheidszorg {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 50,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: INCOME, hours: Hours::Split, public: P_ALL,
                cats: &["mental_health.centre"], acc: &[COCOM_SSM],
                name: ["{org} – {c}", "{org} – {c}", "Mental health centre {n} – {c}"],
                desc: [
                    "Consultations psychologiques et psychiatriques en français et en néerlandais pour adultes, enfants et familles.",
                    "Psychologische en psychiatrische consultaties in het Nederlands en het Frans voor volwassenen, kinderen en gezinnen.",
                    "Psychological and psychiatric consultations in French and Dutch for adults, children and families.",
                ],
            },
            Svc {
                chance: 25, referral: 60, fees: FREE, hours: Hours::Daily, public: P_ADULTS,
                cats: &["mental_health.mobile_team"], acc: &[FED_107],
                name: ["Équipe mobile de crise – {org} ({c})", "Mobiel crisisteam – {org} ({c})", "Mobile crisis team – {org} ({c})"],
                desc: [
                    "Intervention rapide à domicile lors d'une crise psychiatrique, pendant quelques semaines.",
                    "Snelle interventie aan huis bij een psychiatrische crisis, gedurende enkele weken.",
                    "Rapid home intervention during a psychiatric crisis, for a few weeks.",
                ],
            },
            Svc {
                chance: 25, referral: 100, fees: FIXED, hours: Hours::Appointment, public: P_ADULTS,
                cats: &["mental_health.sheltered_housing"], acc: &[FED_IHP, COCOM_SSM],
                name: ["Habitation protégée – {org} ({c})", "Beschut wonen – {org} ({c})", "Sheltered housing – {org} ({c})"],
                desc: [
                    "Logements partagés avec accompagnement pour des personnes ayant des troubles psychiatriques stabilisés.",
                    "Gedeelde woningen met begeleiding voor mensen met gestabiliseerde psychiatrische problemen.",
                    "Shared housing with support for people with stabilised psychiatric conditions.",
                ],
            },
        ],
    },
    // Centra voor geestelijke gezondheidszorg, Flemish Community.
    Kind {
        count: 2, lang: Lang::Nl, org: ["", "Centrum voor Geestelijke Gezondheidszorg {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 40,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: INCOME, hours: Hours::Split, public: ("", "Volwassenen, kinderen en jongeren"),
                cats: &["mental_health.centre"], acc: &[VG_CGG],
                name: ["", "{org} – {c}", "Mental health centre {n} – {c}"],
                desc: [
                    "",
                    "Ambulante psychologische en psychiatrische hulp voor volwassenen, kinderen en jongeren. Bijdrage afhankelijk van het inkomen.",
                    "Outpatient psychological and psychiatric care for adults, children and young people. Fees depend on income.",
                ],
            },
            Svc {
                chance: 25, referral: 70, fees: FREE, hours: Hours::Office, public: ("", "Volwassenen"),
                cats: &["mental_health.mobile_team"], acc: &[FED_107],
                name: ["", "Mobiel team – {org} ({c})", "Mobile team – {org} ({c})"],
                desc: [
                    "",
                    "Intensieve begeleiding aan huis voor mensen met ernstige psychische problemen.",
                    "Intensive home support for people with severe mental health problems.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: INAMI, hours: Hours::Appointment, public: ("", "Iedereen"),
                cats: &["mental_health.psychologist_first_line"], acc: &[FED_PSY],
                name: ["", "Eerstelijnspsycholoog – {org} ({c})", "First-line psychologist – {org} ({c})"],
                desc: [
                    "",
                    "Laagdrempelige, kortdurende psychologische begeleiding tegen een beperkt remgeld.",
                    "Accessible short-term psychological support with a small co-payment.",
                ],
            },
        ],
    },
    // Habitations protégées (IHP).
    Kind {
        count: 2, lang: Lang::Fr, org: ["Habitations protégées {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 0,
        services: &[
            Svc {
                chance: 100, referral: 100, fees: FIXED, hours: Hours::Appointment, public: P_ADULTS,
                cats: &["mental_health.sheltered_housing"], acc: &[FED_IHP],
                name: ["{org} – {c}", "", "Sheltered housing {n} – {c}"],
                desc: [
                    "Logements communautaires avec accompagnement pour des personnes ayant des difficultés psychiatriques stabilisées.",
                    "",
                    "Community housing with support for people with stabilised psychiatric difficulties.",
                ],
            },
        ],
    },
    // Centres de planning familial, COCOF.
    Kind {
        count: 7, lang: Lang::Fr, org: ["Centre de planning familial {n}", ""],
        legal: ASBL, informal: 0, nihii: true,
        freephone: false, second_site: 0, en: 30,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: &["income_based", "free"], hours: Hours::Split, public: ("Tout public, en particulier les jeunes et les femmes", ""),
                cats: &["family_planning.centre"], acc: &[COCOF_AMB],
                name: ["{org} – {c}", "", "Family planning centre {n} – {c}"],
                desc: [
                    "Consultations médicales, psychologiques, sociales et juridiques sur la vie affective, sexuelle et familiale. Contraception et tests de grossesse.",
                    "",
                    "Medical, psychological, social and legal consultations on relationships, sexuality and family life. Contraception and pregnancy tests.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_ALL,
                cats: &["family_planning.sexual_health"], acc: &[COCOF_AMB],
                name: ["Dépistage et santé sexuelle – {org} ({c})", "", "Sexual health and testing – {org} ({c})"],
                desc: [
                    "Dépistage des infections sexuellement transmissibles et du VIH, vaccination et conseils de prévention.",
                    "",
                    "Testing for sexually transmitted infections and HIV, vaccination and prevention advice.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: INAMI, hours: Hours::Appointment, public: ("Personnes confrontées à une grossesse non désirée", ""),
                cats: &["family_planning.abortion"], acc: &[COCOF_AMB, FED_IVG],
                name: ["Interruption volontaire de grossesse – {org} ({c})", "", "Abortion care – {org} ({c})"],
                desc: [
                    "Accueil, consultation médicale et accompagnement pour une interruption volontaire de grossesse, en toute confidentialité.",
                    "",
                    "Reception, medical consultation and support for abortion, in full confidentiality.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FREE, hours: Hours::Appointment, public: ("Écoles, associations de jeunesse et groupes", ""),
                cats: &["family_planning"], acc: &[COCOF_AMB],
                name: ["Animations EVRAS – {org} ({c})", "", "Sex education sessions – {org} ({c})"],
                desc: [
                    "Animations d'éducation à la vie relationnelle, affective et sexuelle dans les écoles et les associations.",
                    "",
                    "Relationship and sexuality education sessions in schools and associations.",
                ],
            },
        ],
    },
    // Addiction services, COCOF.
    Kind {
        count: 4, lang: Lang::Fr, org: ["Centre d'accueil en assuétudes {n}", ""],
        legal: ASBL, informal: 0, nihii: true,
        freephone: false, second_site: 20, en: 30,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: &["free", "income_based"], hours: Hours::Split, public: P_ADDICTION,
                cats: &["addiction.outpatient"], acc: &[COCOF_AMB],
                name: ["{org} – {c}", "", "Addiction centre {n} – {c}"],
                desc: [
                    "Accompagnement médical, psychologique et social des personnes ayant une consommation problématique d'alcool, de drogues ou de médicaments.",
                    "",
                    "Medical, psychological and social support for people with problematic use of alcohol, drugs or medication.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Afternoons, public: P_ADDICTION,
                cats: &["addiction.harm_reduction"], acc: &[COCOF_AMB],
                name: ["Réduction des risques – {org} ({c})", "", "Harm reduction – {org} ({c})"],
                desc: [
                    "Comptoir d'échange de matériel stérile, information sur les produits et dépistage de l'hépatite C.",
                    "",
                    "Needle and syringe exchange, drug information and hepatitis C testing.",
                ],
            },
            Svc {
                chance: 25, referral: 100, fees: INAMI, hours: Hours::Always, public: P_ADDICTION,
                cats: &["addiction.residential"], acc: &[COCOM_REHAB, COCOF_AMB],
                name: ["Séjour résidentiel – {org} ({c})", "", "Residential programme – {org} ({c})"],
                desc: [
                    "Programme résidentiel de sevrage et de réinsertion de plusieurs semaines, sur admission.",
                    "",
                    "Residential detox and rehabilitation programme of several weeks, on admission.",
                ],
            },
        ],
    },
    // Flemish drug help.
    Kind {
        count: 1, lang: Lang::Nl, org: ["", "Drughulpcentrum {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 60,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: P_ADDICTION,
                cats: &["addiction.outpatient"], acc: &[VG_SUB],
                name: ["", "{org} – {c}", "Drug help centre {n} – {c}"],
                desc: [
                    "",
                    "Ambulante begeleiding voor mensen met een alcohol- of drugprobleem en hun omgeving.",
                    "Outpatient support for people with alcohol or drug problems and those close to them.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Afternoons, public: P_ADDICTION,
                cats: &["addiction.harm_reduction"], acc: &[VGC_SUB],
                name: ["", "Straathoekwerk en schadebeperking – {org} ({c})", "Street work and harm reduction – {org} ({c})"],
                desc: [
                    "",
                    "Straathoekwerkers leggen contact met gebruikers op straat en verdelen steriel materiaal.",
                    "Street workers reach drug users on the street and distribute sterile equipment.",
                ],
            },
        ],
    },
    // Debt mediation, COCOF.
    Kind {
        count: 3, lang: Lang::Fr, org: ["Service de médiation de dettes {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 10,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Appointment, public: P_DEBT,
                cats: &["debt_mediation.amicable"], acc: &[COCOF_AMB],
                name: ["{org} – {c}", "", "Debt mediation service {n} – {c}"],
                desc: [
                    "Médiation amiable avec les créanciers et élaboration d'un plan de remboursement réaliste.",
                    "",
                    "Amicable mediation with creditors and drafting of a realistic repayment plan.",
                ],
            },
            Svc {
                chance: 30, referral: 100, fees: FREE, hours: Hours::Appointment, public: P_DEBT,
                cats: &["debt_mediation.judicial"], acc: &[COCOF_AMB],
                name: ["Règlement collectif de dettes – {org} ({c})", "", "Collective debt settlement – {org} ({c})"],
                desc: [
                    "Médiateur désigné par le tribunal du travail dans le cadre d'une procédure en règlement collectif de dettes.",
                    "",
                    "Mediator appointed by the labour court in collective debt settlement proceedings.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FREE, hours: Hours::Office, public: P_DEBT,
                cats: &["debt_mediation.budget_guidance"], acc: &[COCOF_AMB],
                name: ["Guidance budgétaire – {org} ({c})", "", "Budget guidance – {org} ({c})"],
                desc: [
                    "Aide à la gestion du budget au quotidien et ateliers de prévention du surendettement.",
                    "",
                    "Help with day-to-day budgeting and workshops to prevent over-indebtedness.",
                ],
            },
        ],
    },
    // Bicommunal debt mediation, COCOM.
    Kind {
        count: 2, lang: Lang::Bi, org: ["Centre de médiation de dettes {n}", "Centrum voor schuldbemiddeling {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 30,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Appointment, public: P_DEBT,
                cats: &["debt_mediation.amicable", "debt_mediation.judicial"], acc: &[COCOM_DEBT],
                name: ["{org} – {c}", "{org} – {c}", "Debt mediation centre {n} – {c}"],
                desc: [
                    "Médiation de dettes amiable et judiciaire, en français et en néerlandais.",
                    "Minnelijke en gerechtelijke schuldbemiddeling, in het Nederlands en het Frans.",
                    "Amicable and court-ordered debt mediation, in French and Dutch.",
                ],
            },
            Svc {
                chance: 40, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_ALL,
                cats: &["debt_mediation"], acc: &[COCOM_DEBT],
                name: ["Prévention du surendettement – {org} ({c})", "Preventie van overmatige schuldenlast – {org} ({c})", "Debt prevention – {org} ({c})"],
                desc: [
                    "Ateliers collectifs et outils pratiques pour prévenir le surendettement.",
                    "Groepsworkshops en praktische hulpmiddelen om schulden te voorkomen.",
                    "Group workshops and practical tools to prevent over-indebtedness.",
                ],
            },
        ],
    },
    // Centres d'action sociale globale, COCOF.
    Kind {
        count: 5, lang: Lang::Fr, org: ["Centre d'action sociale globale {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 20, en: 25,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Split, public: P_ALL,
                cats: &["general_social_work.social_reception"], acc: &[COCOF_AMB],
                name: ["{org} – {c}", "", "Social action centre {n} – {c}"],
                desc: [
                    "Accueil social généraliste, sans condition : information, aide administrative et accompagnement individuel.",
                    "",
                    "Unconditional general social reception: information, help with paperwork and individual support.",
                ],
            },
            Svc {
                chance: 25, referral: 100, fees: &["free", "fixed"], hours: Hours::Weekly, public: P_POOR,
                cats: &["general_social_work.food_aid"], acc: &[FED_FEAD],
                name: ["Aide alimentaire – {org} ({c})", "", "Food aid – {org} ({c})"],
                desc: [
                    "Distribution de colis alimentaires et épicerie sociale sur orientation d'un service social.",
                    "",
                    "Food parcels and a social grocery, on referral from a social service.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_ALL,
                cats: &["general_social_work"], acc: &[COCOF_AMB],
                name: ["Écrivain public – {org} ({c})", "", "Public letter writer – {org} ({c})"],
                desc: [
                    "Aide à la rédaction et à la compréhension de courriers administratifs, formulaires et lettres personnelles.",
                    "",
                    "Help writing and understanding official letters, forms and personal letters.",
                ],
            },
            Svc {
                chance: 15, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_ALL,
                cats: &["justice_help.legal_aid"], acc: &[FWB_JUSTICE],
                name: ["Permanence juridique – {org} ({c})", "", "Legal advice desk – {org} ({c})"],
                desc: [
                    "Premier conseil juridique gratuit en droit des étrangers, droit social et droit du logement.",
                    "",
                    "Free first legal advice on immigration, social security and housing law.",
                ],
            },
        ],
    },
    // CAW: the single Centrum Algemeen Welzijnswerk designated by decree for Brussels.
    Kind {
        count: 1, lang: Lang::Nl, org: ["", "CAW Brussel"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 100, en: 100,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Split, public: ("", "Volwassenen met vragen over welzijn"),
                cats: &["general_social_work.social_reception"], acc: &[VG_CAW],
                name: ["", "Onthaal – {org} ({c})", "Reception desk – {org} ({c})"],
                desc: [
                    "",
                    "Vrij toegankelijk onthaal voor vragen over welzijn, relaties, geld, wonen en administratie.",
                    "Open-access reception for questions about well-being, relationships, money, housing and paperwork.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Appointment, public: P_VICTIMS,
                cats: &["justice_help.victim_support"], acc: &[VG_CAW],
                name: ["", "Slachtofferhulp – {org} ({c})", "Victim support – {org} ({c})"],
                desc: [
                    "",
                    "Emotionele, praktische en juridische ondersteuning na een misdrijf, ongeval of ramp.",
                    "Emotional, practical and legal support after a crime, accident or disaster.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Appointment, public: P_DETAINEES,
                cats: &["justice_help.detainees"], acc: &[VG_CAW],
                name: ["", "Justitieel welzijnswerk – {org} ({c})", "Support for prisoners – {org} ({c})"],
                desc: [
                    "",
                    "Begeleiding van gedetineerden, ex-gedetineerden en hun familie, ook in de gevangenis van Haren.",
                    "Support for prisoners, former prisoners and their families, including in Haren prison.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Always, public: P_HOMELESS,
                cats: &["housing.homeless_reception"], acc: &[VG_CAW, COCOM_HOMELESS],
                name: ["", "Nachtopvang – {org} ({c})", "Night shelter – {org} ({c})"],
                desc: [
                    "",
                    "Nacht- en crisisopvang voor dak- en thuislozen, met aansluitende begeleiding.",
                    "Night and crisis shelter for homeless people, with follow-up support.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Afternoons, public: P_YOUTH,
                cats: &["family_child.youth_aid"], acc: &[VG_CAW],
                name: ["", "Jongerenonthaal (JAC) – {org} ({c})", "Youth advice centre – {org} ({c})"],
                desc: [
                    "",
                    "Anoniem en gratis onthaal voor jongeren van 12 tot 25 jaar met vragen over school, thuis, geld of relaties.",
                    "Anonymous and free support for young people aged 12 to 25 with questions about school, home, money or relationships.",
                ],
            },
            Svc {
                chance: 100, referral: 50, fees: FREE, hours: Hours::Appointment, public: P_HOMELESS,
                cats: &["housing.support"], acc: &[VG_CAW],
                name: ["", "Woonbegeleiding – {org} ({c})", "Housing support – {org} ({c})"],
                desc: [
                    "",
                    "Begeleiding bij het zoeken en behouden van een woning, ook volgens het Housing First-model.",
                    "Support in finding and keeping a home, including the Housing First model.",
                ],
            },
        ],
    },
    // Home help, COCOF.
    Kind {
        count: 2, lang: Lang::Fr, org: ["Service d'aide aux familles et aux seniors {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 10,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: INCOME, hours: Hours::Office, public: P_HOME,
                cats: &["home_care.family_help"], acc: &[COCOF_HOMEHELP],
                name: ["{org} – {c}", "", "Family and senior home help {n} – {c}"],
                desc: [
                    "Aides familiales et seniors à domicile pour les tâches quotidiennes, les courses et l'accompagnement.",
                    "",
                    "Home helpers for daily tasks, shopping and companionship.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: INCOME, hours: Hours::Office, public: P_HOME,
                cats: &["home_care.cleaning"], acc: &[COCOF_HOMEHELP],
                name: ["Aide ménagère – {org} ({c})", "", "Home cleaning – {org} ({c})"],
                desc: [
                    "Aide ménagère à domicile pour l'entretien du logement, en complément de l'aide familiale.",
                    "",
                    "Home cleaning help, in addition to family help.",
                ],
            },
        ],
    },
    // Home nursing and home-care coordination, COCOM.
    Kind {
        count: 3, lang: Lang::Bi, org: ["Centrale de soins à domicile {n}", "Thuiszorgcentrale {n}"],
        legal: ASBL, informal: 0, nihii: true,
        freephone: false, second_site: 0, en: 30,
        services: &[
            Svc {
                chance: 100, referral: 30, fees: INAMI, hours: Hours::Daily, public: P_HOME,
                cats: &["home_care.nursing"], acc: &[COCOM_HOMECARE, FED_NURSING],
                name: ["Soins infirmiers à domicile – {org} ({c})", "Thuisverpleging – {org} ({c})", "Home nursing – {org} ({c})"],
                desc: [
                    "Soins infirmiers à domicile 7 jours sur 7 : toilettes, pansements, injections et suivi du diabète.",
                    "Thuisverpleging 7 dagen op 7: hygiënische zorg, wondzorg, inspuitingen en diabetesopvolging.",
                    "Home nursing 7 days a week: personal hygiene, wound care, injections and diabetes follow-up.",
                ],
            },
            Svc {
                chance: 45, referral: 0, fees: FIXED, hours: Hours::Always, public: P_SENIORS,
                cats: &["home_care.alarm"], acc: &[COCOM_HOMECARE],
                name: ["Télévigilance – {org} ({c})", "Personenalarmering – {org} ({c})", "Personal alarm – {org} ({c})"],
                desc: [
                    "Bracelet ou médaillon d'appel relié à une centrale d'alarme disponible 24 heures sur 24.",
                    "Alarmknop of -armband verbonden met een alarmcentrale die 24 uur op 24 bereikbaar is.",
                    "Alarm pendant or bracelet connected to a control room available around the clock.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Office, public: P_HOME,
                cats: &["home_care"], acc: &[COCOM_HOMECARE],
                name: ["Coordination de soins à domicile – {org} ({c})", "Coördinatie thuiszorg – {org} ({c})", "Home care coordination – {org} ({c})"],
                desc: [
                    "Organisation et coordination des aides et soins nécessaires au maintien à domicile.",
                    "Organisatie en coördinatie van de hulp en zorg die nodig is om thuis te blijven wonen.",
                    "Organising and coordinating the help and care needed to keep living at home.",
                ],
            },
        ],
    },
    // Flemish home care (gezinszorg).
    Kind {
        count: 2, lang: Lang::Nl, org: ["", "Thuiszorgdienst {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 10,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: INCOME, hours: Hours::Office, public: P_HOME,
                cats: &["home_care.family_help"], acc: &[VG_WOONZORG],
                name: ["", "Gezinszorg – {org} ({c})", "Family care – {org} ({c})"],
                desc: [
                    "",
                    "Gezinszorg en aanvullende thuiszorg voor ouderen, zieken en gezinnen in moeilijke omstandigheden.",
                    "Home help for older people, sick people and families going through difficult times.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: INCOME, hours: Hours::Office, public: P_HOME,
                cats: &["home_care.cleaning"], acc: &[VG_WOONZORG],
                name: ["", "Poetsdienst – {org} ({c})", "Cleaning service – {org} ({c})"],
                desc: [
                    "",
                    "Poetshulp aan huis voor zorgbehoevende personen.",
                    "Home cleaning for people in need of care.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FIXED, hours: Hours::Office, public: P_SENIORS,
                cats: &["home_care.meals"], acc: &[VGC_SUB],
                name: ["", "Maaltijden aan huis – {org} ({c})", "Meals on wheels – {org} ({c})"],
                desc: [
                    "",
                    "Dagelijkse levering van warme maaltijden aan huis.",
                    "Daily delivery of hot meals at home.",
                ],
            },
        ],
    },
    // Palliative home teams, COCOF.
    Kind {
        count: 2, lang: Lang::Fr, org: ["Équipe de soins palliatifs {n}", ""],
        legal: ASBL, informal: 0, nihii: true,
        freephone: false, second_site: 0, en: 20,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Always, public: P_PALLIATIVE,
                cats: &["palliative_care.home_team"], acc: &[COCOF_AMB, FED_PALLIATIVE],
                name: ["Soins palliatifs à domicile – {org} ({c})", "", "Home palliative care – {org} ({c})"],
                desc: [
                    "Équipe multidisciplinaire de seconde ligne qui soutient le médecin traitant et les soignants pour des soins palliatifs à domicile.",
                    "",
                    "Multidisciplinary second-line team supporting the GP and carers with palliative care at home.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Appointment, public: ("Personnes endeuillées", ""),
                cats: &["palliative_care.bereavement"], acc: &[COCOF_AMB],
                name: ["Accompagnement du deuil – {org} ({c})", "", "Bereavement support – {org} ({c})"],
                desc: [
                    "Entretiens individuels et groupes de parole pour les personnes endeuillées.",
                    "",
                    "Individual talks and support groups for bereaved people.",
                ],
            },
            Svc {
                chance: 30, referral: 100, fees: INAMI, hours: Hours::Office, public: P_PALLIATIVE,
                cats: &["palliative_care.day_centre"], acc: &[FED_PALLIATIVE],
                name: ["Centre de jour palliatif – {org} ({c})", "", "Palliative day centre – {org} ({c})"],
                desc: [
                    "Accueil de jour pour personnes gravement malades vivant à domicile, avec soins et activités.",
                    "",
                    "Day care with treatment and activities for seriously ill people living at home.",
                ],
            },
        ],
    },
    // Bicommunal palliative care platform.
    Kind {
        count: 1, lang: Lang::Bi, org: ["Plate-forme de soins palliatifs {n}", "Palliatief netwerk {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 100,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: P_ALL,
                cats: &["palliative_care"], acc: &[COCOM_PALLIATIVE],
                name: ["Information soins palliatifs – {org} ({c})", "Informatie palliatieve zorg – {org} ({c})", "Palliative care information – {org} ({c})"],
                desc: [
                    "Information, sensibilisation et formation sur les soins palliatifs pour le public et les professionnels.",
                    "Informatie, sensibilisering en vorming over palliatieve zorg voor het publiek en voor professionals.",
                    "Information, awareness-raising and training on palliative care for the public and professionals.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Always, public: P_PALLIATIVE,
                cats: &["palliative_care.home_team"], acc: &[COCOM_PALLIATIVE, FED_PALLIATIVE],
                name: ["Équipe palliative à domicile – {org} ({c})", "Palliatieve thuiszorgequipe – {org} ({c})", "Home palliative team – {org} ({c})"],
                desc: [
                    "Soutien des soignants de première ligne pour les patients en fin de vie à domicile.",
                    "Ondersteuning van eerstelijnszorgverleners bij patiënten in hun laatste levensfase thuis.",
                    "Support for primary care providers caring for end-of-life patients at home.",
                ],
            },
        ],
    },
    // Helplines: youth (FWB), listening and suicide prevention (COCOF), violence (FWB),
    // tobacco (federal), Dutch-language listening line (VG).
    Kind {
        count: 1, lang: Lang::Fr, org: ["Ligne d'écoute jeunesse {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: true, second_site: 0, en: 100,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Daily, public: P_YOUTH,
                cats: &["helpline.children"], acc: &[FWB_YOUTH],
                name: ["Écoute enfants et jeunes – {org} ({c})", "", "Children and youth helpline – {org} ({c})"],
                desc: [
                    "Ligne téléphonique gratuite et anonyme pour les enfants et les jeunes qui veulent parler d'un problème.",
                    "",
                    "Free and anonymous phone line for children and young people who want to talk about a problem.",
                ],
            },
        ],
    },
    Kind {
        count: 1, lang: Lang::Fr, org: ["Centre d'écoute téléphonique {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: true, second_site: 0, en: 50,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Always, public: P_ALL,
                cats: &["helpline.listening"], acc: &[COCOF_AMB],
                name: ["Écoute téléphonique 24h/24 – {org} ({c})", "", "24-hour listening line – {org} ({c})"],
                desc: [
                    "Écoute anonyme et confidentielle par des bénévoles formés, jour et nuit, pour toute personne en difficulté.",
                    "",
                    "Anonymous and confidential listening by trained volunteers, day and night, for anyone in difficulty.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Always, public: P_ALL,
                cats: &["helpline.suicide_prevention", "mental_health"], acc: &[COCOF_AMB],
                name: ["Prévention du suicide – {org} ({c})", "", "Suicide prevention line – {org} ({c})"],
                desc: [
                    "Écoute et soutien pour les personnes ayant des idées suicidaires et pour leurs proches.",
                    "",
                    "Listening and support for people with suicidal thoughts and those close to them.",
                ],
            },
        ],
    },
    Kind {
        count: 1, lang: Lang::Bi, org: ["Ligne d'écoute violences {n}", "Hulplijn geweld {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: true, second_site: 0, en: 100,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Always, public: P_ALL,
                cats: &["helpline.violence"], acc: &[FWB_VIOLENCE, VG_SUB],
                name: ["Écoute violences conjugales – {org} ({c})", "Hulplijn partnergeweld – {org} ({c})", "Domestic violence helpline – {org} ({c})"],
                desc: [
                    "Écoute, information et orientation pour les victimes, les auteurs et les témoins de violences conjugales et intrafamiliales.",
                    "Luisteren, informeren en doorverwijzen voor slachtoffers, plegers en getuigen van partnergeweld en intrafamiliaal geweld.",
                    "Listening, information and referral for victims, perpetrators and witnesses of domestic and family violence.",
                ],
            },
        ],
    },
    Kind {
        count: 1, lang: Lang::Bi, org: ["Ligne d'aide tabac {n}", "Hulplijn tabak {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: true, second_site: 0, en: 100,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: ("Fumeurs et leur entourage", "Rokers en hun omgeving"),
                cats: &["helpline.listening", "addiction"], acc: &[FED_TOBACCO],
                name: ["Aide à l'arrêt du tabac – {org} ({c})", "Rookstoplijn – {org} ({c})", "Quit smoking line – {org} ({c})"],
                desc: [
                    "Conseils téléphoniques gratuits de tabacologues pour arrêter de fumer.",
                    "Gratis telefonisch advies van tabakologen om te stoppen met roken.",
                    "Free phone advice from tobacco specialists to help you quit smoking.",
                ],
            },
        ],
    },
    Kind {
        count: 1, lang: Lang::Nl, org: ["", "Hulplijn {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: true, second_site: 0, en: 50,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Always, public: ("", "Iedereen"),
                cats: &["helpline"], acc: &[VG_SUB],
                name: ["", "Telefonische hulplijn – {org} ({c})", "Helpline – {org} ({c})"],
                desc: [
                    "",
                    "Anoniem praten met een getrainde vrijwilliger, dag en nacht.",
                    "Talk anonymously with a trained volunteer, day and night.",
                ],
            },
        ],
    },
    // First-line legal aid (FWB).
    Kind {
        count: 3, lang: Lang::Fr, org: ["Service d'aide juridique {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 30,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Split, public: P_ALL,
                cats: &["justice_help.legal_aid"], acc: &[FWB_JUSTICE],
                name: ["Aide juridique de première ligne – {org} ({c})", "", "First-line legal aid – {org} ({c})"],
                desc: [
                    "Premier avis juridique gratuit et orientation vers un avocat si nécessaire.",
                    "",
                    "Free first legal advice and referral to a lawyer if needed.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_ALL,
                cats: &["justice_help"], acc: &[FWB_JUSTICE],
                name: ["Information juridique – {org} ({c})", "", "Legal information – {org} ({c})"],
                desc: [
                    "Séances d'information collectives sur le droit du travail, du logement et de la famille.",
                    "",
                    "Group information sessions on employment, housing and family law.",
                ],
            },
        ],
    },
    // Services d'aide aux justiciables (FWB).
    Kind {
        count: 2, lang: Lang::Fr, org: ["Service d'aide aux justiciables {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 20,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Appointment, public: P_VICTIMS,
                cats: &["justice_help.victim_support"], acc: &[FWB_JUSTICE],
                name: ["Aide aux victimes – {org} ({c})", "", "Victim support – {org} ({c})"],
                desc: [
                    "Soutien psychologique, social et juridique aux victimes d'infractions et à leurs proches.",
                    "",
                    "Psychological, social and legal support for victims of crime and their families.",
                ],
            },
            Svc {
                chance: 45, referral: 0, fees: FREE, hours: Hours::Office, public: P_DETAINEES,
                cats: &["justice_help.detainees"], acc: &[FWB_JUSTICE],
                name: ["Aide aux détenus et à leurs proches – {org} ({c})", "", "Support for prisoners and their families – {org} ({c})"],
                desc: [
                    "Accompagnement psychosocial des personnes détenues ou sous surveillance électronique et de leurs proches.",
                    "",
                    "Psychosocial support for people in prison or under electronic monitoring and their families.",
                ],
            },
        ],
    },
    // Bicommunal nursing homes, COCOM.
    Kind {
        count: 4, lang: Lang::Bi, org: ["Résidence {n}", "Residentie {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 30,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FIXED, hours: Hours::Always, public: P_SENIORS_65,
                cats: &["elderly.nursing_home"], acc: &[COCOM_ELDERLY],
                name: ["Maison de repos et de soins – {org} ({c})", "Woonzorgcentrum – {org} ({c})", "Nursing home – {org} ({c})"],
                desc: [
                    "Hébergement et soins pour personnes âgées, avec kinésithérapie, animation et présence infirmière 24 heures sur 24.",
                    "Verblijf en zorg voor ouderen, met kinesitherapie, animatie en verpleging 24 uur op 24.",
                    "Residence and care for older people, with physiotherapy, activities and round-the-clock nursing.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FIXED, hours: Hours::Always, public: P_SENIORS_65,
                cats: &["elderly.service_flat"], acc: &[COCOM_ELDERLY],
                name: ["Résidence-services – {org} ({c})", "Assistentiewoningen – {org} ({c})", "Assisted living flats – {org} ({c})"],
                desc: [
                    "Appartements adaptés avec services à la carte pour seniors autonomes.",
                    "Aangepaste appartementen met diensten op maat voor zelfstandige senioren.",
                    "Adapted flats with optional services for independent older people.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FIXED, hours: Hours::Office, public: P_SENIORS,
                cats: &["elderly.day_centre"], acc: &[COCOM_ELDERLY],
                name: ["Centre de jour – {org} ({c})", "Dagverzorgingscentrum – {org} ({c})", "Day care centre – {org} ({c})"],
                desc: [
                    "Accueil de jour pour seniors vivant à domicile : repas, soins et activités.",
                    "Dagopvang voor thuiswonende ouderen: maaltijden, verzorging en activiteiten.",
                    "Day care for older people living at home: meals, care and activities.",
                ],
            },
        ],
    },
    // Lokale dienstencentra (VGC/VG).
    Kind {
        count: 4, lang: Lang::Nl, org: ["", "Lokaal dienstencentrum {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 20,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: ("", "Senioren en buurtbewoners"),
                cats: &["elderly.service_centre"], acc: &[VG_WOONZORG, VGC_SUB],
                name: ["", "{org} – {c}", "Local service centre {n} – {c}"],
                desc: [
                    "",
                    "Ontmoetingsplek voor buurtbewoners en senioren met een sociaal restaurant, activiteiten en individuele ondersteuning.",
                    "Meeting place for residents and older people with a social restaurant, activities and individual support.",
                ],
            },
            Svc {
                chance: 20, referral: 0, fees: FIXED, hours: Hours::Office, public: ("", "Senioren"),
                cats: &["home_care.meals"], acc: &[VGC_SUB],
                name: ["", "Maaltijden aan huis – {org} ({c})", "Meals on wheels – {org} ({c})"],
                desc: [
                    "",
                    "Warme maaltijden aan huis voor senioren uit de buurt.",
                    "Hot meals delivered at home to older residents.",
                ],
            },
            Svc {
                chance: 20, referral: 0, fees: FIXED, hours: Hours::Office, public: ("", "Thuiswonende ouderen"),
                cats: &["elderly.day_centre"], acc: &[VG_WOONZORG],
                name: ["", "Dagverzorgingscentrum – {org} ({c})", "Day care centre – {org} ({c})"],
                desc: [
                    "",
                    "Dagopvang met verzorging en activiteiten voor thuiswonende ouderen.",
                    "Day care with nursing and activities for older people living at home.",
                ],
            },
        ],
    },
    // French-speaking seniors' day and meeting centres.
    Kind {
        count: 2, lang: Lang::Fr, org: ["Espace seniors {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 10,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FIXED, hours: Hours::Office, public: P_SENIORS,
                cats: &["elderly.day_centre"], acc: &[COCOM_ELDERLY],
                name: ["Centre de jour pour aînés – {org} ({c})", "", "Senior day centre – {org} ({c})"],
                desc: [
                    "Accueil de jour pour aînés vivant à domicile, avec repas de midi, soins et activités.",
                    "",
                    "Day care for older people living at home, with lunch, care and activities.",
                ],
            },
            Svc {
                chance: 40, referral: 0, fees: FIXED, hours: Hours::Afternoons, public: P_SENIORS,
                cats: &["elderly.service_centre"], acc: &[COCOF_SUB],
                name: ["Espace de rencontre pour seniors – {org} ({c})", "", "Seniors' meeting place – {org} ({c})"],
                desc: [
                    "Activités, repas conviviaux et ateliers pour rompre l'isolement des seniors.",
                    "",
                    "Activities, shared meals and workshops to reduce loneliness among older people.",
                ],
            },
        ],
    },
    // ONE child health clinics (FWB).
    Kind {
        count: 4, lang: Lang::Fr, org: ["Consultation pour enfants {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 20,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_FAMILIES,
                cats: &["family_child.consultation"], acc: &[FWB_ONE],
                name: ["{org} – {c}", "", "Child health clinic {n} – {c}"],
                desc: [
                    "Suivi préventif gratuit des enfants de 0 à 6 ans : vaccinations, croissance et conseils aux parents.",
                    "",
                    "Free preventive check-ups for children aged 0 to 6: vaccinations, growth and advice for parents.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_FAMILIES,
                cats: &["family_child.parenting_support"], acc: &[FWB_ONE],
                name: ["Soutien à la parentalité – {org} ({c})", "", "Parenting support – {org} ({c})"],
                desc: [
                    "Rencontres entre parents, massage bébé et ateliers sur le sommeil et l'alimentation.",
                    "",
                    "Parent meet-ups, baby massage and workshops on sleep and nutrition.",
                ],
            },
        ],
    },
    // Huizen van het Kind (Opgroeien, VGC).
    Kind {
        count: 3, lang: Lang::Nl, org: ["", "Huis van het Kind {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 30,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_FAMILIES,
                cats: &["family_child.consultation"], acc: &[VG_GEZIN],
                name: ["", "Consultatiebureau – {org} ({c})", "Child health clinic – {org} ({c})"],
                desc: [
                    "",
                    "Gratis preventieve opvolging van kinderen van 0 tot 3 jaar: vaccinaties, groei en opvoedingsadvies.",
                    "Free preventive check-ups for children aged 0 to 3: vaccinations, growth and parenting advice.",
                ],
            },
            Svc {
                chance: 40, referral: 0, fees: FREE, hours: Hours::Weekly, public: P_FAMILIES,
                cats: &["family_child.parenting_support"], acc: &[VGC_SUB],
                name: ["", "Opvoedingsondersteuning – {org} ({c})", "Parenting support – {org} ({c})"],
                desc: [
                    "",
                    "Opvoedingsspreekuur, ouderavonden en ontmoeting voor gezinnen met jonge kinderen.",
                    "Parenting advice sessions, parent evenings and meet-ups for families with young children.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: INCOME, hours: Hours::Daycare, public: ("", "Kinderen van 0 tot 3 jaar"),
                cats: &["family_child.childcare"], acc: &[VG_OPVANG],
                name: ["", "Kinderdagverblijf – {org} ({c})", "Day nursery – {org} ({c})"],
                desc: [
                    "",
                    "Kinderopvang voor baby's en peuters, met een bijdrage volgens het gezinsinkomen.",
                    "Childcare for babies and toddlers, with fees based on household income.",
                ],
            },
        ],
    },
    // Services d'aide en milieu ouvert (AMO), FWB youth aid.
    Kind {
        count: 2, lang: Lang::Fr, org: ["Service d'aide en milieu ouvert {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 20,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Afternoons, public: P_YOUTH,
                cats: &["family_child.youth_aid"], acc: &[FWB_YOUTH],
                name: ["{org} – {c}", "", "Youth support service {n} – {c}"],
                desc: [
                    "Aide préventive, gratuite et sans mandat pour les jeunes et leurs familles : écoute, soutien scolaire et accompagnement.",
                    "",
                    "Free preventive support for young people and their families, without any court order: listening, school support and guidance.",
                ],
            },
            Svc {
                chance: 20, referral: 0, fees: FREE, hours: Hours::Afternoons, public: P_YOUTH,
                cats: &["family_child.youth_aid", "general_social_work.community_work"], acc: &[FWB_YOUTH],
                name: ["Travail de rue – {org} ({c})", "", "Street work – {org} ({c})"],
                desc: [
                    "Présence d'éducateurs dans l'espace public pour aller à la rencontre des jeunes du quartier.",
                    "",
                    "Youth workers on the streets to reach young people in the neighbourhood.",
                ],
            },
        ],
    },
    // Disability services, COCOF.
    Kind {
        count: 2, lang: Lang::Fr, org: ["Centre pour personnes handicapées {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 10,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FIXED, hours: Hours::Office, public: P_DISABILITY,
                cats: &["disability.day_centre"], acc: &[COCOF_HANDICAP],
                name: ["Centre de jour pour adultes handicapés – {org} ({c})", "", "Day centre for adults with disabilities – {org} ({c})"],
                desc: [
                    "Activités de jour, ateliers et soins pour adultes en situation de handicap intellectuel.",
                    "",
                    "Day activities, workshops and care for adults with intellectual disabilities.",
                ],
            },
            Svc {
                chance: 25, referral: 100, fees: FIXED, hours: Hours::Always, public: P_DISABILITY,
                cats: &["disability.residential"], acc: &[COCOF_HANDICAP],
                name: ["Hébergement – {org} ({c})", "", "Residential care – {org} ({c})"],
                desc: [
                    "Lieu de vie en petites unités pour adultes en situation de handicap.",
                    "",
                    "Small-scale residential units for adults with disabilities.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Office, public: P_DISABILITY,
                cats: &["disability.support_service"], acc: &[COCOF_HANDICAP],
                name: ["Service d'accompagnement – {org} ({c})", "", "Support service – {org} ({c})"],
                desc: [
                    "Accompagnement à domicile et dans la vie sociale pour renforcer l'autonomie.",
                    "",
                    "Support at home and in social life to build independence.",
                ],
            },
        ],
    },
    // Flemish disability support (VAPH).
    Kind {
        count: 1, lang: Lang::Nl, org: ["", "Ondersteuningsdienst {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 20,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: P_DISABILITY,
                cats: &["disability.support_service"], acc: &[VG_VAPH],
                name: ["", "Mobiele en ambulante ondersteuning – {org} ({c})", "Outreach support – {org} ({c})"],
                desc: [
                    "",
                    "Begeleiding thuis en op het werk voor personen met een handicap, via rechtstreeks toegankelijke hulp of een persoonsvolgend budget.",
                    "Support at home and at work for people with disabilities, through directly accessible help or a personal budget.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: FIXED, hours: Hours::Office, public: P_DISABILITY,
                cats: &["disability.day_centre"], acc: &[VG_VAPH],
                name: ["", "Dagondersteuning – {org} ({c})", "Day support – {org} ({c})"],
                desc: [
                    "",
                    "Dagbesteding en ateliers voor volwassenen met een verstandelijke beperking.",
                    "Day activities and workshops for adults with intellectual disabilities.",
                ],
            },
        ],
    },
    // Bicommunal residential disability care, COCOM.
    Kind {
        count: 1, lang: Lang::Bi, org: ["Foyer {n}", "Tehuis {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 0,
        services: &[
            Svc {
                chance: 100, referral: 100, fees: FIXED, hours: Hours::Always, public: P_DISABILITY,
                cats: &["disability.residential"], acc: &[COCOM_HANDICAP],
                name: ["Hébergement pour personnes handicapées – {org} ({c})", "Woonvoorziening voor personen met een handicap – {org} ({c})", "Residential care for people with disabilities – {org} ({c})"],
                desc: [
                    "Hébergement et accompagnement pour adultes en situation de handicap ayant besoin d'un soutien important.",
                    "Wonen en begeleiding voor volwassenen met een handicap die intensieve ondersteuning nodig hebben.",
                    "Housing and support for adults with disabilities who need intensive support.",
                ],
            },
        ],
    },
    // General hospitals: federal budget, COCOM recognition, public chapter XII associations.
    Kind {
        count: 2, lang: Lang::Bi, org: ["Centre hospitalier {n}", "Ziekenhuis {n}"],
        legal: ("Association de CPAS (chapitre XII)", "Vereniging van OCMW's (hoofdstuk XII)"), informal: 0, nihii: true,
        freephone: false, second_site: 100, en: 100,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: INAMI, hours: Hours::Long, public: P_ALL,
                cats: &["hospital.general"], acc: &[FED_HOSP, COCOM_HOSP],
                name: ["{org} – {c}", "{org} – {c}", "Hospital {n} – {c}"],
                desc: [
                    "Hôpital général : consultations spécialisées, hospitalisation, maternité et imagerie médicale.",
                    "Algemeen ziekenhuis: raadplegingen bij specialisten, hospitalisatie, materniteit en medische beeldvorming.",
                    "General hospital: specialist consultations, inpatient care, maternity and medical imaging.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: INAMI, hours: Hours::Always, public: P_ALL,
                cats: &["hospital.emergency"], acc: &[FED_HOSP, COCOM_HOSP],
                name: ["Urgences – {org} ({c})", "Spoedgevallen – {org} ({c})", "Emergency department – {org} ({c})"],
                desc: [
                    "Service des urgences ouvert 24 heures sur 24, 7 jours sur 7.",
                    "Spoedgevallendienst, 24 uur op 24 en 7 dagen op 7 open.",
                    "Emergency department open 24 hours a day, 7 days a week.",
                ],
            },
            Svc {
                chance: 45, referral: 0, fees: FREE, hours: Hours::Office, public: ("Patients hospitalisés et leurs proches", "Gehospitaliseerde patiënten en hun naasten"),
                cats: &["hospital.social_service"], acc: &[COCOM_HOSP],
                name: ["Service social – {org} ({c})", "Sociale dienst – {org} ({c})", "Social service – {org} ({c})"],
                desc: [
                    "Soutien aux patients et à leurs proches : droits sociaux, retour à domicile et orientation.",
                    "Ondersteuning van patiënten en hun naasten: sociale rechten, ontslag naar huis en doorverwijzing.",
                    "Support for patients and families: social rights, discharge planning and referral.",
                ],
            },
            Svc {
                chance: 30, referral: 20, fees: INAMI, hours: Hours::Long, public: P_ALL,
                cats: &["hospital"], acc: &[FED_HOSP, COCOM_HOSP],
                name: ["Consultations externes – {org} ({c})", "Polikliniek – {org} ({c})", "Outpatient clinic – {org} ({c})"],
                desc: [
                    "Consultations de médecins spécialistes sur rendez-vous, sans hospitalisation.",
                    "Raadplegingen bij specialisten op afspraak, zonder opname.",
                    "Specialist consultations by appointment, without admission.",
                ],
            },
        ],
    },
    Kind {
        count: 1, lang: Lang::Bi, org: ["Centre psychiatrique {n}", "Psychiatrisch centrum {n}"],
        legal: ASBL, informal: 0, nihii: true,
        freephone: false, second_site: 0, en: 100,
        services: &[
            Svc {
                chance: 100, referral: 60, fees: INAMI, hours: Hours::Always, public: P_ADULTS,
                cats: &["hospital.psychiatric"], acc: &[FED_HOSP, COCOM_HOSP],
                name: ["Hospitalisation psychiatrique – {org} ({c})", "Psychiatrische opname – {org} ({c})", "Psychiatric inpatient care – {org} ({c})"],
                desc: [
                    "Unités d'hospitalisation psychiatrique pour adultes et hôpital de jour.",
                    "Psychiatrische opnameafdelingen voor volwassenen en een dagziekenhuis.",
                    "Psychiatric inpatient units for adults and a day hospital.",
                ],
            },
        ],
    },
    // Homeless services, COCOM.
    Kind {
        count: 3, lang: Lang::Bi, org: ["Centre d'accueil {n}", "Opvangcentrum {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 20, en: 50,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Always, public: P_HOMELESS,
                cats: &["housing.homeless_reception"], acc: &[COCOM_HOMELESS],
                name: ["Hébergement d'urgence – {org} ({c})", "Noodopvang – {org} ({c})", "Emergency shelter – {org} ({c})"],
                desc: [
                    "Accueil de nuit inconditionnel pour hommes, femmes et familles sans abri, avec repas et douches.",
                    "Onvoorwaardelijke nachtopvang voor dakloze mannen, vrouwen en gezinnen, met maaltijden en douches.",
                    "Unconditional night shelter for homeless men, women and families, with meals and showers.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Daily, public: P_HOMELESS,
                cats: &["housing.day_centre"], acc: &[COCOM_HOMELESS],
                name: ["Centre de jour – {org} ({c})", "Dagcentrum – {org} ({c})", "Day centre – {org} ({c})"],
                desc: [
                    "Accueil de jour : repas, douches, lessive, soins et permanence sociale.",
                    "Dagopvang: maaltijden, douches, wasgelegenheid, verzorging en sociale permanentie.",
                    "Day centre: meals, showers, laundry, care and a social desk.",
                ],
            },
            Svc {
                chance: 25, referral: 100, fees: FREE, hours: Hours::Appointment, public: P_HOMELESS,
                cats: &["housing.support"], acc: &[COCOM_HOMELESS],
                name: ["Housing First – {org} ({c})", "Housing First – {org} ({c})", "Housing First – {org} ({c})"],
                desc: [
                    "Accès direct à un logement et accompagnement intensif pour des personnes sans abri de longue durée.",
                    "Rechtstreekse toegang tot een woning en intensieve begeleiding voor langdurig daklozen.",
                    "Direct access to housing and intensive support for long-term homeless people.",
                ],
            },
        ],
    },
    // Agences immobilières sociales.
    Kind {
        count: 2, lang: Lang::Fr, org: ["Agence immobilière sociale {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 10,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: INCOME, hours: Hours::Mornings, public: P_POOR,
                cats: &["housing.social_rental_agency"], acc: &[LOCAL_AIS],
                name: ["{org} – {c}", "", "Social rental agency {n} – {c}"],
                desc: [
                    "Mise en location de logements privés à loyer modéré pour des ménages à revenus limités.",
                    "",
                    "Private homes let at moderate rents to low-income households.",
                ],
            },
        ],
    },
    // Housing support associations.
    Kind {
        count: 2, lang: Lang::Fr, org: ["Habitat solidaire {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 10,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: P_POOR,
                cats: &["housing.support"], acc: &[COCOF_SUB],
                name: ["Accompagnement au logement – {org} ({c})", "", "Housing support – {org} ({c})"],
                desc: [
                    "Aide à la recherche d'un logement, à l'installation et à la prévention des expulsions.",
                    "",
                    "Help finding a home, moving in and preventing evictions.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Daily, public: P_HOMELESS,
                cats: &["housing.day_centre"], acc: &[COCOM_HOMELESS],
                name: ["Centre de jour pour sans-abri – {org} ({c})", "", "Day centre for homeless people – {org} ({c})"],
                desc: [
                    "Accueil de jour avec café, douches et permanence sociale pour les personnes sans abri.",
                    "",
                    "Day centre with coffee, showers and a social desk for homeless people.",
                ],
            },
        ],
    },
    // Socio-professional integration (ISP), COCOF.
    Kind {
        count: 3, lang: Lang::Fr, org: ["Centre de formation {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 10, en: 20,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: P_JOBSEEKERS,
                cats: &["employment_training.vocational_training"], acc: &[COCOF_ISP],
                name: ["Formation qualifiante – {org} ({c})", "", "Vocational training – {org} ({c})"],
                desc: [
                    "Formations de base et qualifiantes dans les métiers de l'aide aux personnes, de la construction et de l'horeca.",
                    "",
                    "Basic and vocational training in care work, construction and hospitality.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FREE, hours: Hours::Office, public: P_JOBSEEKERS,
                cats: &["employment_training.job_search"], acc: &[COCOF_ISP],
                name: ["Recherche d'emploi – {org} ({c})", "", "Job search – {org} ({c})"],
                desc: [
                    "Ateliers de recherche active d'emploi et accompagnement individuel vers le travail.",
                    "",
                    "Job search workshops and individual support into work.",
                ],
            },
            Svc {
                chance: 25, referral: 0, fees: FREE, hours: Hours::Appointment, public: P_JOBSEEKERS,
                cats: &["employment_training"], acc: &[COCOF_ISP],
                name: ["Orientation professionnelle – {org} ({c})", "", "Career guidance – {org} ({c})"],
                desc: [
                    "Bilan de compétences et construction d'un projet professionnel.",
                    "",
                    "Skills assessment and career planning.",
                ],
            },
        ],
    },
    // Literacy and French as a foreign language.
    Kind {
        count: 2, lang: Lang::Fr, org: ["Atelier d'alphabétisation {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 0,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Mornings, public: ("Adultes peu ou pas scolarisés", ""),
                cats: &["employment_training.literacy"], acc: &[FWB_EP, COCOF_COHESION],
                name: ["Cours d'alphabétisation – {org} ({c})", "", "Literacy classes – {org} ({c})"],
                desc: [
                    "Apprendre à lire, écrire et calculer en français, en petits groupes, pour adultes peu ou pas scolarisés.",
                    "",
                    "Learning to read, write and count in French, in small groups, for adults with little or no schooling.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: &["free", "fixed"], hours: Hours::Afternoons, public: ("Adultes non francophones", ""),
                cats: &["employment_training.language_courses"], acc: &[COCOF_COHESION],
                name: ["Français langue étrangère – {org} ({c})", "", "French as a foreign language – {org} ({c})"],
                desc: [
                    "Cours de français oral et écrit pour adultes, du niveau débutant au niveau intermédiaire.",
                    "",
                    "Spoken and written French classes for adults, from beginner to intermediate level.",
                ],
            },
        ],
    },
    // Dutch as a second language and basic education (VG).
    Kind {
        count: 2, lang: Lang::Nl, org: ["", "Taalpunt {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 40,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FIXED, hours: Hours::Office, public: ("", "Anderstalige volwassenen"),
                cats: &["employment_training.language_courses"], acc: &[VG_ADULT_ED],
                name: ["", "Nederlands als tweede taal – {org} ({c})", "Dutch as a second language – {org} ({c})"],
                desc: [
                    "",
                    "Lessen Nederlands voor anderstalige volwassenen, overdag en 's avonds.",
                    "Dutch classes for adults who speak other languages, during the day and in the evening.",
                ],
            },
            Svc {
                chance: 30, referral: 0, fees: FREE, hours: Hours::Mornings, public: ("", "Laaggeletterde volwassenen"),
                cats: &["employment_training.literacy"], acc: &[VG_ADULT_ED],
                name: ["", "Basiseducatie – {org} ({c})", "Basic adult education – {org} ({c})"],
                desc: [
                    "",
                    "Leren lezen, schrijven en rekenen voor laaggeletterde volwassenen.",
                    "Learning to read, write and count for adults with low literacy.",
                ],
            },
        ],
    },
    // Reception of newcomers: BAPA (COCOF) and inburgering (VG, COCOM).
    Kind {
        count: 2, lang: Lang::Fr, org: ["Bureau d'accueil pour primo-arrivants {n}", ""],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 60,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: P_NEWCOMERS,
                cats: &["general_social_work.newcomers"], acc: &[COCOF_BAPA],
                name: ["{org} – {c}", "", "Newcomer reception office {n} – {c}"],
                desc: [
                    "Parcours d'accueil : bilan social, information sur les droits et devoirs, cours de français et de citoyenneté.",
                    "",
                    "Integration programme: social assessment, information on rights and duties, French and citizenship classes.",
                ],
            },
        ],
    },
    Kind {
        count: 1, lang: Lang::Nl, org: ["", "Onthaalpunt inburgering {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 100,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: P_NEWCOMERS,
                cats: &["general_social_work.newcomers"], acc: &[VG_INBURGERING, COCOM_NEWCOMERS],
                name: ["", "{org} – {c}", "Civic integration office {n} – {c}"],
                desc: [
                    "",
                    "Inburgeringstraject met maatschappelijke oriëntatie, lessen Nederlands en begeleiding naar werk.",
                    "Civic integration programme with social orientation, Dutch classes and guidance towards work.",
                ],
            },
        ],
    },
    // Neighbourhood houses (social cohesion).
    Kind {
        count: 2, lang: Lang::Fr, org: ["Maison de quartier {n}", ""],
        legal: ASBL, informal: 30, nihii: false,
        freephone: false, second_site: 0, en: 10,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Afternoons, public: P_ALL,
                cats: &["general_social_work.community_work"], acc: &[COCOF_COHESION],
                name: ["{org} – {c}", "", "Neighbourhood house {n} – {c}"],
                desc: [
                    "Activités collectives, soutien scolaire et projets citoyens pour les habitants du quartier.",
                    "",
                    "Group activities, homework support and citizen projects for local residents.",
                ],
            },
            Svc {
                chance: 25, referral: 100, fees: FIXED, hours: Hours::Weekly, public: P_POOR,
                cats: &["general_social_work.food_aid"], acc: &[FED_FEAD],
                name: ["Épicerie sociale – {org} ({c})", "", "Social grocery – {org} ({c})"],
                desc: [
                    "Produits alimentaires et d'hygiène à prix réduit, sur orientation d'un service social.",
                    "",
                    "Food and hygiene products at reduced prices, on referral from a social service.",
                ],
            },
        ],
    },
    Kind {
        count: 2, lang: Lang::Nl, org: ["", "Buurthuis {n}"],
        legal: ASBL, informal: 30, nihii: false,
        freephone: false, second_site: 0, en: 10,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Afternoons, public: ("", "Buurtbewoners"),
                cats: &["general_social_work.community_work"], acc: &[VGC_SUB],
                name: ["", "{org} – {c}", "Community centre {n} – {c}"],
                desc: [
                    "",
                    "Ontmoetingsplek en buurtwerk met activiteiten voor jong en oud.",
                    "Meeting place and community work with activities for young and old.",
                ],
            },
        ],
    },
    // Bicommunal first-line support structure.
    Kind {
        count: 1, lang: Lang::Bi, org: ["Structure d'appui à la première ligne {n}", "Ondersteuningsstructuur eerste lijn {n}"],
        legal: ASBL, informal: 0, nihii: false,
        freephone: false, second_site: 0, en: 100,
        services: &[
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: P_PROS,
                cats: &["social_coordination.first_line_support"], acc: &[COCOM_FIRSTLINE],
                name: ["Appui aux professionnels de la première ligne – {org} ({c})", "Ondersteuning van eerstelijnszorgverleners – {org} ({c})", "Support for primary care professionals – {org} ({c})"],
                desc: [
                    "Soutien aux professionnels face aux situations complexes et concertation locale entre acteurs du social et de la santé.",
                    "Ondersteuning van professionals bij complexe situaties en lokaal overleg tussen welzijns- en gezondheidsactoren.",
                    "Support for professionals facing complex situations and local coordination between social and health actors.",
                ],
            },
            Svc {
                chance: 100, referral: 0, fees: FREE, hours: Hours::Office, public: P_PROS,
                cats: &["social_coordination"], acc: &[COCOM_FIRSTLINE],
                name: ["Répertoire social-santé – {org} ({c})", "Sociale kaart welzijn en gezondheid – {org} ({c})", "Social and health directory – {org} ({c})"],
                desc: [
                    "Inventaire partagé des services sociaux et de santé bruxellois, tenu à jour avec les coordinations locales.",
                    "Gedeelde inventaris van de Brusselse welzijns- en gezondheidsdiensten, bijgewerkt met de lokale overlegstructuren.",
                    "Shared inventory of Brussels social and health services, kept up to date with local networks.",
                ],
            },
        ],
    },
];
