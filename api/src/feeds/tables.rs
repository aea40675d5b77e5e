//! Lexical material of the upstream feeds: what each directory calls things, in its own
//! words and numbering. Identifiers and labels of social.brussels sectors, agreements and
//! powers, of Sociale Kaart rubrics and of Monitoring des Quartiers districts are invented
//! but shaped like the real ones (see README.md); commune names and NIS codes are real.

pub(super) use crate::demo::tables::Pair;

#[derive(Debug, PartialEq)]
pub(super) struct Commune {
    pub nis: &'static str,
    pub fr: &'static str,
    pub nl: &'static str,
    /// English name, used where the demo's English service names carry the commune.
    pub en: &'static str,
    /// Relative share of the replicated associations, roughly following population.
    pub weight: u8,
    /// Districts (Monitoring des Quartiers): invented code, French and Dutch names.
    pub districts: &'static [(&'static str, &'static str, &'static str)],
}

#[rustfmt::skip]
pub(super) const COMMUNES: [Commune; 19] = [
    Commune { nis: "21001", fr: "Anderlecht", nl: "Anderlecht", en: "Anderlecht", weight: 9,
        districts: &[("4", "CUREGHEM VÉTÉRINAIRE", "KURINGEN VEEARTSENIJ"), ("6", "WAYEZ", "WAYEZ"), ("9", "SCHEUT", "SCHEUT")] },
    Commune { nis: "21002", fr: "Auderghem", nl: "Oudergem", en: "Auderghem", weight: 3,
        districts: &[("12", "AUDERGHEM CENTRE", "OUDERGEM CENTRUM"), ("14", "TRANSVAAL", "TRANSVAAL")] },
    Commune { nis: "21003", fr: "Berchem-Sainte-Agathe", nl: "Sint-Agatha-Berchem", en: "Berchem-Sainte-Agathe", weight: 3,
        districts: &[("17", "BERCHEM CENTRE", "BERCHEM CENTRUM"), ("18", "POTAERDENMOLEN", "POTAARDEMOLEN")] },
    Commune { nis: "21004", fr: "Bruxelles", nl: "Brussel", en: "Brussels", weight: 17,
        districts: &[("23", "MAROLLES", "MAROLLEN"), ("25", "DANSAERT", "DANSAERT"), ("31", "LAEKEN CENTRE", "LAKEN CENTRUM"), ("36", "NEDER-OVER-HEEMBEEK", "NEDER-OVER-HEEMBEEK")] },
    Commune { nis: "21005", fr: "Etterbeek", nl: "Etterbeek", en: "Etterbeek", weight: 4,
        districts: &[("41", "JOURDAN", "JOURDAN"), ("43", "LA CHASSE", "DE JACHT")] },
    Commune { nis: "21006", fr: "Evere", nl: "Evere", en: "Evere", weight: 4,
        districts: &[("46", "EVERE CENTRE", "EVERE CENTRUM"), ("47", "PAIX", "VREDE")] },
    Commune { nis: "21007", fr: "Forest", nl: "Vorst", en: "Forest", weight: 5,
        districts: &[("50", "ALTITUDE 100", "HOOGTE 100"), ("52", "FOREST CENTRE", "VORST CENTRUM"), ("53", "WIELS", "WIELS")] },
    Commune { nis: "21008", fr: "Ganshoren", nl: "Ganshoren", en: "Ganshoren", weight: 3,
        districts: &[("56", "GANSHOREN CENTRE", "GANSHOREN CENTRUM")] },
    Commune { nis: "21009", fr: "Ixelles", nl: "Elsene", en: "Ixelles", weight: 7,
        districts: &[("60", "FLAGEY - MALIBRAN", "FLAGEY - MALIBRAN"), ("62", "MATONGE", "MATONGE"), ("65", "BOONDAEL", "BOONDAAL")] },
    Commune { nis: "21010", fr: "Jette", nl: "Jette", en: "Jette", weight: 4,
        districts: &[("68", "JETTE CENTRE", "JETTE CENTRUM"), ("70", "JETTE GARE", "JETTE STATION")] },
    Commune { nis: "21011", fr: "Koekelberg", nl: "Koekelberg", en: "Koekelberg", weight: 3,
        districts: &[("72", "KOEKELBERG", "KOEKELBERG")] },
    Commune { nis: "21012", fr: "Molenbeek-Saint-Jean", nl: "Sint-Jans-Molenbeek", en: "Molenbeek-Saint-Jean", weight: 8,
        districts: &[("75", "MOLENBEEK HISTORIQUE", "HISTORISCH MOLENBEEK"), ("77", "MARITIME", "MARITIEM"), ("79", "KARREVELD", "KARREVELD")] },
    Commune { nis: "21013", fr: "Saint-Gilles", nl: "Sint-Gillis", en: "Saint-Gilles", weight: 5,
        districts: &[("82", "PORTE DE HAL", "HALLEPOORT"), ("83", "BOSNIE", "BOSNIË")] },
    Commune { nis: "21014", fr: "Saint-Josse-ten-Noode", nl: "Sint-Joost-ten-Node", en: "Saint-Josse-ten-Noode", weight: 4,
        districts: &[("85", "SAINT-JOSSE CENTRE", "SINT-JOOST CENTRUM"), ("86", "GARE DU NORD", "NOORDSTATION")] },
    Commune { nis: "21015", fr: "Schaerbeek", nl: "Schaarbeek", en: "Schaerbeek", weight: 10,
        districts: &[("87", "REYERS", "REYERS"), ("89", "COLIGNON", "COLIGNON"), ("91", "HELMET", "HELMET")] },
    Commune { nis: "21016", fr: "Uccle", nl: "Ukkel", en: "Uccle", weight: 6,
        districts: &[("95", "UCCLE CENTRE", "UKKEL CENTRUM"), ("97", "FORT JACO", "FORT JACO"), ("99", "CALEVOET", "KALEVOET")] },
    Commune { nis: "21017", fr: "Watermael-Boitsfort", nl: "Watermaal-Bosvoorde", en: "Watermael-Boitsfort", weight: 3,
        districts: &[("103", "BOITSFORT CENTRE", "BOSVOORDE CENTRUM"), ("104", "WATERMAEL CENTRE", "WATERMAAL CENTRUM")] },
    Commune { nis: "21018", fr: "Woluwe-Saint-Lambert", nl: "Sint-Lambrechts-Woluwe", en: "Woluwe-Saint-Lambert", weight: 4,
        districts: &[("108", "ROODEBEEK", "ROODEBEEK"), ("110", "KAPELLEVELD", "KAPELLEVELD")] },
    Commune { nis: "21019", fr: "Woluwe-Saint-Pierre", nl: "Sint-Pieters-Woluwe", en: "Woluwe-Saint-Pierre", weight: 3,
        districts: &[("114", "CHANT D'OISEAU", "VOGELZANG"), ("116", "STOCKEL", "STOKKEL")] },
];

/// Further invented proper names for replicated associations. Replicas draw from this list
/// and from the demo names (`demo::tables::NAMES`), so homonyms of demo organisations occur at scale, as they do in
/// the real directories.
pub(super) const EXTRA_PROPER: &[Pair] = &[
    ("Le Noyer", "De Notelaar"),
    ("Les Mésanges", "De Mezen"),
    ("Le Pont", "De Brug"),
    ("La Passerelle", "De Loopbrug"),
    ("Le Phare", "De Vuurtoren"),
    ("Les Ateliers du Canal", "De Kanaalateliers"),
    ("La Source", "De Bron"),
    ("Le Carrefour", "Het Kruispunt"),
    ("L'Étincelle", "De Vonk"),
    ("Le Cerf-Volant", "De Vlieger"),
    ("La Fontaine", "De Fontein"),
    ("Le Rempart", "De Wal"),
    ("Les Lilas", "De Seringen"),
    ("Le Bouleau", "De Berk"),
    ("L'Érable", "De Esdoorn"),
    ("Le Hêtre Pourpre", "De Rode Beuk"),
    ("Le Pélican", "De Pelikaan"),
    ("La Cigogne", "De Ooievaar"),
    ("Le Martin-Pêcheur", "De IJsvogel"),
    ("Les Moineaux", "De Mussen"),
    ("La Mouette", "De Meeuw"),
    ("Le Goéland", "De Zilvermeeuw"),
    ("L'Alouette", "De Leeuwerik"),
    ("Le Rossignol", "De Nachtegaal"),
    ("La Chouette", "De Uil"),
    ("Le Renard", "De Vos"),
    ("Le Castor", "De Bever"),
    ("Le Hérisson", "De Egel"),
    ("La Tortue", "De Schildpad"),
    ("L'Écureuil", "De Eekhoorn"),
    ("La Marelle", "De Hinkelbaan"),
    ("Le Cerceau", "De Hoepel"),
    ("La Toupie", "De Tol"),
    ("Le Manège", "De Draaimolen"),
    ("La Roulotte", "De Woonwagen"),
    ("La Péniche", "De Aak"),
    ("Le Vaisseau", "Het Schip"),
    ("La Caravelle", "De Karveel"),
    ("L'Atelier", "Het Atelier"),
    ("La Fabrique", "De Fabriek"),
    ("La Forge", "De Smidse"),
    ("Le Fournil", "De Bakkerij"),
    ("La Grange", "De Schuur"),
    ("Le Potager", "De Moestuin"),
    ("Les Semailles", "De Zaaiing"),
    ("La Moisson", "De Oogst"),
    ("Le Grain de Sel", "Het Zoutkorreltje"),
    ("Le Fil Rouge", "De Rode Draad"),
    ("La Main Tendue", "De Uitgestoken Hand"),
    ("Le Bon Accueil", "Het Goede Onthaal"),
    ("La Porte Ouverte", "De Open Deur"),
    ("La Maison Verte", "Het Groene Huis"),
    ("La Maison Bleue", "Het Blauwe Huis"),
    ("Le Toit", "Het Dak"),
    ("Le Nid", "Het Nest"),
    ("Le Cocon", "De Cocon"),
    ("L'Îlot", "Het Eilandje"),
    ("La Clairière", "De Open Plek"),
    ("Le Bosquet", "Het Bosje"),
    ("La Prairie", "De Weide"),
    ("Les Genêts", "De Bremstruiken"),
    ("Les Bleuets", "De Korenbloemen"),
    ("Les Marguerites", "De Margrieten"),
    ("Les Tournesols", "De Zonnebloemen"),
    ("Le Lierre", "De Klimop"),
    ("Le Jasmin", "De Jasmijn"),
    ("La Pervenche", "De Maagdenpalm"),
    ("L'Aurore", "De Dageraad"),
    ("Le Crépuscule", "De Schemering"),
    ("La Comète", "De Komeet"),
    ("Orion", "Orion"),
    ("Cassiopée", "Cassiopeia"),
    ("Le Méridien", "De Meridiaan"),
    ("L'Équateur", "De Evenaar"),
    ("La Vallée", "De Vallei"),
    ("Le Vallon", "Het Dal"),
    ("Le Coteau", "De Helling"),
    ("Le Sentier", "Het Pad"),
    ("La Traverse", "De Dwarsweg"),
    ("Le Relais", "De Pleisterplaats"),
];

/// Epithets that make a proper name distinct when its plain form is taken within a kind
/// ("Maison médicale Le Noyer du Canal"), as real associations do.
pub(super) const EPITHETS: &[Pair] = &[
    ("du Parc", "van het Park"),
    ("du Canal", "aan het Kanaal"),
    ("de la Gare", "aan het Station"),
    ("du Midi", "van het Zuiden"),
    ("du Nord", "van het Noorden"),
    ("du Centre", "in het Centrum"),
    ("du Marché", "aan de Markt"),
    ("de la Place", "aan het Plein"),
    ("du Quartier", "in de Wijk"),
    ("de la Vallée", "in het Dal"),
    ("des Étangs", "aan de Vijvers"),
    ("du Square", "aan de Square"),
    ("de l'Abbaye", "bij de Abdij"),
    ("du Plateau", "op het Plateau"),
    ("des Deux Rives", "van de Twee Oevers"),
];

/// social.brussels legal statuses: (label FR as the demo spells it, id, label FR, label NL).
/// 932 is the id of the real sample's "Service public - CPAS"; the others are invented.
#[rustfmt::skip]
pub(super) const LEGAL_STATUSES: &[(&str, u32)] = &[
    ("ASBL", 901),
    ("Association de fait", 905),
    ("Service public - Commune", 931),
    ("Service public - CPAS", 932),
    ("Association de CPAS (chapitre XII)", 934),
];
/// Id given to a legal status the table above does not know.
pub(super) const LEGAL_STATUS_OTHER: u32 = 999;

/// Competent authorities of agréments, as social.brussels' `/rest/agreementpowers` would
/// list them: (our authority code, id, label FR, label NL).
#[rustfmt::skip]
pub(super) const POWERS: &[(&str, u32, &str, &str)] = &[
    ("cocof", 1, "COCOF", "FGC"),
    ("cocom", 2, "COCOM", "GGC"),
    ("vgc", 3, "VGC", "VGC"),
    ("vg", 4, "Communauté flamande", "Vlaamse Gemeenschap"),
    ("fwb", 5, "Fédération Wallonie-Bruxelles", "Federatie Wallonië-Brussel"),
    ("federal", 6, "Fédéral", "Federaal"),
    ("local", 7, "Pouvoirs locaux", "Lokale besturen"),
];

/// social.brussels sectors: (our top-level category, id, label FR, label NL). The labels are
/// the directory's own wording, which is not ours: mapping them is the connector's job.
#[rustfmt::skip]
pub(super) const SECTORS: &[(&str, u32, &str, &str)] = &[
    ("cpas", 101, "CPAS", "OCMW"),
    ("general_social_work", 102, "Aide sociale générale", "Algemeen welzijnswerk"),
    ("mental_health", 103, "Santé mentale", "Geestelijke gezondheidszorg"),
    ("medical_house", 104, "Soins de santé de première ligne", "Eerstelijnsgezondheidszorg"),
    ("family_planning", 105, "Planning familial", "Gezinsplanning"),
    ("addiction", 106, "Toxicomanie et assuétudes", "Drugs en verslaving"),
    ("debt_mediation", 107, "Surendettement", "Schuldoverlast"),
    ("home_care", 108, "Aide et soins à domicile", "Thuishulp en -zorg"),
    ("palliative_care", 109, "Soins palliatifs", "Palliatieve zorg"),
    ("helpline", 110, "Écoute téléphonique", "Telefonische hulp"),
    ("justice_help", 111, "Aide juridique et justice", "Juridische hulp en justitie"),
    ("elderly", 112, "Seniors", "Senioren"),
    ("family_child", 113, "Enfance, jeunesse et famille", "Kinderen, jongeren en gezin"),
    ("disability", 114, "Personnes handicapées", "Personen met een handicap"),
    ("hospital", 115, "Hôpitaux", "Ziekenhuizen"),
    ("social_coordination", 116, "Coordination et concertation", "Coördinatie en overleg"),
    ("housing", 117, "Logement et sans-abrisme", "Huisvesting en dakloosheid"),
    ("employment_training", 118, "Emploi, formation et alphabétisation", "Werk, opleiding en alfabetisering"),
];

/// Sociale Kaart rubrics for our subcategories: (category code, numbered Dutch label).
/// The numbering imitates the real rubric tree ("14.04.01. Woonzorgcentra (WZC)",
/// "02.06.01. Ziekenhuizen"); top-level codes take the rubric of their first child.
#[rustfmt::skip]
pub(super) const RUBRICS: &[(&str, &str)] = &[
    ("general_social_work.social_reception", "01.01.01. Centra voor Algemeen Welzijnswerk (CAW)"),
    ("cpas.social_integration", "01.02.01. Openbare centra voor maatschappelijk welzijn (OCMW)"),
    ("cpas.medical_aid", "01.02.01. Openbare centra voor maatschappelijk welzijn (OCMW)"),
    ("cpas.energy", "01.02.02. Energiehulp en sociale energiemaatregelen"),
    ("cpas.socio_professional", "09.01.02. Sociale tewerkstelling (artikel 60)"),
    ("debt_mediation.amicable", "01.03.01. Erkende instellingen voor schuldbemiddeling"),
    ("debt_mediation.judicial", "01.03.01. Erkende instellingen voor schuldbemiddeling"),
    ("debt_mediation.budget_guidance", "01.03.02. Budgetbegeleiding en budgetbeheer"),
    ("general_social_work.food_aid", "01.04.01. Voedselhulp en sociale kruideniers"),
    ("general_social_work.community_work", "01.05.01. Buurtwerk en samenlevingsopbouw"),
    ("social_coordination.local_network", "01.05.02. Lokaal sociaal beleid en welzijnsoverleg"),
    ("general_social_work.newcomers", "01.06.01. Onthaal en inburgering van nieuwkomers"),
    ("medical_house.forfait", "02.01.01. Wijkgezondheidscentra"),
    ("medical_house.fee_for_service", "02.01.02. Groepspraktijken huisartsen"),
    ("mental_health.centre", "02.03.01. Centra voor geestelijke gezondheidszorg (CGG)"),
    ("mental_health.mobile_team", "02.03.02. Mobiele teams geestelijke gezondheidszorg"),
    ("mental_health.psychologist_first_line", "02.03.03. Eerstelijnspsychologische zorg"),
    ("mental_health.sheltered_housing", "02.03.05. Initiatieven beschut wonen (IBW)"),
    ("family_planning.centre", "02.04.01. Centra voor seksuele gezondheid en gezinsplanning"),
    ("family_planning.sexual_health", "02.04.01. Centra voor seksuele gezondheid en gezinsplanning"),
    ("family_planning.abortion", "02.04.02. Abortuscentra"),
    ("addiction.outpatient", "02.05.01. Ambulante drughulpverlening"),
    ("addiction.residential", "02.05.02. Residentiële drughulpverlening"),
    ("addiction.harm_reduction", "02.05.03. Schadebeperking en spuitenruil"),
    ("hospital.general", "02.06.01. Ziekenhuizen"),
    ("hospital.emergency", "02.06.01. Ziekenhuizen"),
    ("hospital.social_service", "02.06.01. Ziekenhuizen"),
    ("hospital.psychiatric", "02.06.02. Psychiatrische ziekenhuizen"),
    ("palliative_care.home_team", "02.07.02. Multidisciplinaire begeleidingsequipes palliatieve zorg"),
    ("palliative_care.day_centre", "02.07.03. Palliatieve dagcentra"),
    ("palliative_care.bereavement", "02.07.04. Rouwbegeleiding"),
    ("home_care.family_help", "03.01.01. Diensten voor gezinszorg en aanvullende thuiszorg"),
    ("home_care.cleaning", "03.01.01. Diensten voor gezinszorg en aanvullende thuiszorg"),
    ("home_care.nursing", "03.02.01. Diensten voor thuisverpleging"),
    ("home_care.alarm", "03.03.01. Personenalarmsystemen"),
    ("home_care.meals", "03.04.01. Maaltijdbedeling aan huis"),
    ("social_coordination.first_line_support", "03.05.01. Eerstelijnszones en zorgraden"),
    ("family_child.childcare", "04.01.01. Kinderopvang baby's en peuters"),
    ("family_child.consultation", "04.02.01. Consultatiebureaus"),
    ("family_child.parenting_support", "04.02.02. Huizen van het Kind"),
    ("family_child.youth_aid", "04.03.01. Rechtstreeks toegankelijke jeugdhulp"),
    ("disability.day_centre", "05.01.01. Dagondersteuning voor personen met een handicap"),
    ("disability.residential", "05.01.02. Woonondersteuning voor personen met een handicap"),
    ("disability.support_service", "05.01.03. Mobiele en ambulante begeleiding (VAPH)"),
    ("justice_help.legal_aid", "06.01.01. Juridische eerstelijnsbijstand"),
    ("justice_help.victim_support", "06.02.01. Slachtofferhulp"),
    ("justice_help.detainees", "06.03.01. Justitieel welzijnswerk"),
    ("justice_help.mediation", "06.04.01. Buurt- en herstelbemiddeling"),
    ("helpline.listening", "07.01.01. Telefonische en online hulplijnen"),
    ("helpline.children", "07.01.01. Telefonische en online hulplijnen"),
    ("helpline.violence", "07.01.03. Hulplijnen geweld"),
    ("helpline.suicide_prevention", "07.01.02. Zelfmoordpreventie"),
    ("housing.social_rental_agency", "08.01.01. Sociale verhuurkantoren"),
    ("housing.homeless_reception", "08.02.01. Nacht- en crisisopvang voor daklozen"),
    ("housing.day_centre", "08.02.02. Dagcentra voor daklozen"),
    ("housing.support", "08.03.01. Woonbegeleiding"),
    ("employment_training.job_search", "09.01.01. Trajectbegeleiding naar werk"),
    ("employment_training.vocational_training", "09.02.01. Beroepsopleiding"),
    ("employment_training.literacy", "09.03.01. Centra voor basiseducatie"),
    ("employment_training.language_courses", "09.03.02. Huizen van het Nederlands en taallessen"),
    ("elderly.service_centre", "14.01.01. Lokale dienstencentra"),
    ("elderly.day_centre", "14.02.01. Dagverzorgingscentra"),
    ("elderly.service_flat", "14.03.01. Groepen van assistentiewoningen"),
    ("elderly.nursing_home", "14.04.01. Woonzorgcentra (WZC)"),
];

/// Sociale Kaart's authentic source per authority: the Flemish agencies feed their own
/// recognitions, everything else is entered by the Sociale Kaart editors.
pub(super) const AUTHENTIC_SOURCES: &[(&str, &str)] =
    &[("vg", "ZORG_EN_GEZONDHEID"), ("vgc", "VGC")];
pub(super) const AUTHENTIC_SOURCE_DEFAULT: &str = "SOCIALE_KAART";

pub(super) const DAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
pub(super) const DAYS_NL: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
pub(super) const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// Opening hours as some social.brussels editors type them: no hours a parser could use.
pub(super) const PERMANENCY_VAGUE: &[Pair] = &[
    ("Sur rendez-vous", "Op afspraak"),
    (
        "Voir horaires sur le site internet",
        "Zie openingsuren op de website",
    ),
    (
        "Permanences variables, téléphoner avant de venir",
        "Wisselende permanenties, bel vooraf",
    ),
    (
        "En journée, sauf le week-end",
        "Overdag, behalve in het weekend",
    ),
];
pub(super) const PERMANENCY_APPOINTMENT: Pair = ("Sur rendez-vous", "Op afspraak");
pub(super) const PERMANENCY_ALWAYS: Pair = ("24h/24, 7j/7", "24 uur op 24, 7 dagen op 7");

/// Modes of access as social.brussels lists them (`accessFr/Nl`).
pub(super) const ACCESS_PHONE: Pair = ("Par téléphone", "Telefonisch");
pub(super) const ACCESS_EMAIL: Pair = ("Par e-mail", "Per e-mail");
pub(super) const ACCESS_APPOINTMENT: Pair = ("Sur rendez-vous", "Op afspraak");
pub(super) const ACCESS_WALK_IN: Pair = ("Sans rendez-vous", "Zonder afspraak");
pub(super) const ACCESS_REFERRAL: Pair = ("Sur orientation", "Na doorverwijzing");

/// Fee models: (demo code, HSDS `fees_description` and cost option in French, in Dutch).
#[rustfmt::skip]
pub(super) const FEES: &[(&str, &str, &str)] = &[
    ("free", "Gratuit.", "Gratis."),
    ("income_based", "Participation financière calculée selon les revenus.", "Bijdrage berekend volgens het inkomen."),
    ("fixed", "Tarif fixe, communiqué lors du premier contact.", "Vast tarief, meegedeeld bij het eerste contact."),
    ("inami_conventioned", "Tarifs conventionnés INAMI ; tiers payant possible.", "RIZIV-geconventioneerde tarieven; derdebetalersregeling mogelijk."),
];

/// How social.brussels words a convention or subsidy it cannot file as an agrément:
/// (authority, kind, FR, NL).
#[rustfmt::skip]
pub(super) const OTHER_AGREEMENTS: &[(&str, &str, &str, &str)] = &[
    ("federal", "forfait", "Forfait INAMI", "RIZIV-forfait"),
    ("federal", "convention", "Convention INAMI", "RIZIV-overeenkomst"),
    ("cocom", "convention", "Convention Iriscare", "Iriscare-overeenkomst"),
    ("local", "convention", "Convention avec la commune", "Overeenkomst met de gemeente"),
];

/// Names of the languages the demo's services use, as HSDS `languages[].name`.
#[rustfmt::skip]
pub(super) const LANGUAGE_NAMES: &[Pair] = &[
    ("fr", "French"), ("nl", "Dutch"), ("en", "English"), ("ar", "Arabic"), ("tr", "Turkish"),
    ("es", "Spanish"), ("pt", "Portuguese"), ("pl", "Polish"), ("ro", "Romanian"),
    ("ru", "Russian"), ("it", "Italian"), ("de", "German"), ("bg", "Bulgarian"),
    ("uk", "Ukrainian"), ("ln", "Lingala"), ("fa", "Persian"),
];
