//! Opening hours: the weekly schedule passerelle stores and serves, and the parser of the
//! free-text hours French- and Dutch-speaking directories write.

use std::collections::BTreeSet;

use super::text::fold_accents;

/// One weekly opening period: ISO weekday 1=Monday..7=Sunday, "HH:MM" local times.
///
/// A period that lasts until midnight closes at "23:59", so that `opens < closes` holds
/// for every period and consumers never meet "24:00".
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Opening {
    pub weekday: u8,
    pub opens: String,
    pub closes: String,
}

/// Where evening hours begin: a period still open after 18:00 on a weekday.
pub const EVENING_FROM: &str = "18:00";

impl Opening {
    /// Open after [`EVENING_FROM`] on a weekday (Monday to Friday); a period closing at
    /// or before it opens runs past midnight.
    pub fn in_the_evening(&self) -> bool {
        (1..=5).contains(&self.weekday)
            && (self.closes.as_str() > EVENING_FROM || self.closes <= self.opens)
    }

    /// On Saturday or Sunday.
    pub fn at_the_weekend(&self) -> bool {
        self.weekday >= 6
    }
}

/// Parses free-text opening hours in French or Dutch into a weekly schedule; None when
/// any part of the text is not recognised (the caller then keeps only the text).
///
/// The text is read as clauses that pair days with time ranges, in either order
/// ("du lundi au vendredi de 9h à 17h", "24h/24, 7j/7"); clauses are separated by ";",
/// a newline or a full stop. Any word outside the small vocabulary of days, times and
/// connectors ("sur rendez-vous", "fermé en juillet", "sauf jours fériés") rejects the
/// whole text, because a schedule that drops an exception is a wrong schedule.
///
/// "ma" and "di" mean mardi/dimanche in French but maandag/dinsdag in Dutch. They are
/// resolved by counting the other words that only one language uses (French: de, à,
/// au, du, et, le, lu, me, je, ve, sa, the "9h" notation…; Dutch: van, tot, uur, en,
/// wo, do, vr, za, zo, the "9u" notation…). When neither language wins, the text is
/// refused rather than guessed.
pub fn parse(text: &str) -> Option<Vec<Opening>> {
    let tokens = tokenize(&fold(text))?;
    let language = Language::of(&tokens);
    let tokens = resolve_days(tokens, language)?;
    let mut periods = Vec::new();
    for segment in tokens.split(|token| *token == Token::Break) {
        for clause in parse_segment(segment)? {
            for &weekday in &clause.days {
                for &(opens, closes) in &clause.ranges {
                    periods.push(Opening {
                        weekday,
                        opens: clock(opens),
                        closes: clock(closes.min(MIDNIGHT - 1)),
                    });
                }
            }
        }
    }
    periods.sort_by(|a, b| (a.weekday, &a.opens, &a.closes).cmp(&(b.weekday, &b.opens, &b.closes)));
    periods.dedup();
    (!periods.is_empty()).then_some(periods)
}

/// 24:00 in minutes since midnight: the latest a period may close, never an opening.
const MIDNIGHT: u32 = 24 * 60;

fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Lowercase, accents removed, typographic dashes and apostrophes made plain, so that
/// "À", "à" and "a\u{300}" all read "a".
fn fold(text: &str) -> String {
    fold_accents(text)
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{2018}' | '\u{2019}' | '`' => '\'',
            other => other,
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HourMark {
    /// "9h", French.
    H,
    /// "9u" or "9 uur", Dutch.
    U,
    /// "9:00" or "9.00", either language.
    Colon,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    /// A number with nothing that makes it a time ("9" in "van 9 tot 12 uur").
    Number(u32),
    Time {
        hour: u32,
        minute: u32,
        mark: HourMark,
    },
    /// A weekday, once words are resolved; `abbreviated` lets "lu." keep its dot.
    Day {
        weekday: u8,
        abbreviated: bool,
    },
    Symbol(char),
    Dot,
    /// Between clauses: ";" or a line break, or a full stop once resolved.
    Break,
}

impl Token {
    fn is_word(&self, words: &[&str]) -> bool {
        matches!(self, Token::Word(w) if words.contains(&w.as_str()))
    }
}

/// Splits folded text into tokens; None for a character no schedule uses.
fn tokenize(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\n' | '\r' | ';' => {
                tokens.push(Token::Break);
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            c if c.is_ascii_digit() => i = lex_number(&chars, i, &mut tokens)?,
            c if c.is_alphabetic() => {
                let end = run_end(&chars, i, |c| c.is_alphabetic() || c == '\'');
                tokens.push(Token::Word(chars[i..end].iter().collect()));
                i = end;
            }
            '.' => {
                tokens.push(Token::Dot);
                i += 1;
            }
            ',' | ':' | '-' | '/' | '&' | '+' => {
                tokens.push(Token::Symbol(c));
                i += 1;
            }
            _ => return None,
        }
    }
    Some(tokens)
}

fn run_end(chars: &[char], start: usize, keep: impl Fn(char) -> bool) -> usize {
    chars[start..]
        .iter()
        .position(|&c| !keep(c))
        .map_or(chars.len(), |p| p + start)
}

/// Reads "9", "9h", "9h30", "9 h 30", "09:30", "8.30 uur", "16u", "12 uur" starting at
/// `start`; returns where it stopped, or None for letters glued to a number that are no
/// hour mark ("1er", "9am"), which would otherwise split into harmless-looking tokens.
fn lex_number(chars: &[char], start: usize, tokens: &mut Vec<Token>) -> Option<usize> {
    let end = run_end(chars, start, |c| c.is_ascii_digit());
    let value: u32 = chars[start..end].iter().fold(0u32, |acc, c| {
        acc.saturating_mul(10)
            .saturating_add(c.to_digit(10).unwrap_or(0))
    });
    // Only "7j/7" and "7d/7" glue a letter to a number without making it a time.
    let glued_ok = || {
        let glued: String = chars[end..run_end(chars, end, char::is_alphabetic)]
            .iter()
            .collect();
        matches!(glued.as_str(), "" | "j" | "d")
    };
    if end - start > 2 {
        tokens.push(Token::Number(value));
        return glued_ok().then_some(end);
    }
    // Exactly two digits, so that "8.3" or "12.300" are not read as times.
    let two_digits_at = |at: usize| -> Option<u32> {
        let d1 = chars.get(at)?.to_digit(10)?;
        let d2 = chars.get(at + 1)?.to_digit(10)?;
        (!chars.get(at + 2).is_some_and(char::is_ascii_digit)).then_some(d1 * 10 + d2)
    };
    let skip_spaces = |at: usize| run_end(chars, at, |c| c == ' ' || c == '\t');
    let word_at = |at: usize| -> (String, usize) {
        let word_end = run_end(chars, at, char::is_alphabetic);
        (chars[at..word_end].iter().collect(), word_end)
    };

    if matches!(chars.get(end), Some(':' | '.'))
        && let Some(minute) = two_digits_at(end + 1)
    {
        let mut next = end + 3;
        let mut mark = HourMark::Colon;
        // "8.30 uur", "12.30h": the unit only confirms the reading.
        let (word, word_end) = word_at(skip_spaces(next));
        match word.as_str() {
            "uur" | "u" => (mark, next) = (HourMark::U, word_end),
            "h" => (mark, next) = (HourMark::H, word_end),
            _ => {}
        }
        tokens.push(Token::Time {
            hour: value,
            minute,
            mark,
        });
        return Some(next);
    }

    let (word, word_end) = word_at(skip_spaces(end));
    let mark = match word.as_str() {
        "h" => HourMark::H,
        "u" | "uur" => HourMark::U,
        _ => {
            tokens.push(Token::Number(value));
            return glued_ok().then_some(end);
        }
    };
    let mut next = word_end;
    let mut minute = 0;
    if word != "uur" {
        let minute_at = skip_spaces(word_end);
        if let Some(m) = two_digits_at(minute_at) {
            minute = m;
            next = minute_at + 2;
        }
    }
    tokens.push(Token::Time {
        hour: value,
        minute,
        mark,
    });
    Some(next)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Language {
    French,
    Dutch,
}

impl Language {
    /// The language that more tokens point to; None on a tie.
    fn of(tokens: &[Token]) -> Option<Language> {
        const FRENCH: &[&str] = &[
            "de", "a", "au", "du", "et", "le", "les", "lu", "me", "je", "ve", "sa", "lun", "mar",
            "mer", "jeu", "ven", "sam", "dim", "midi", "minuit", "jusqu'a", "jusqu'au", "tous",
            "jours", "chaque", "jour", "ouvert",
        ];
        const DUTCH: &[&str] = &[
            "van",
            "tot",
            "uur",
            "en",
            "met",
            "wo",
            "do",
            "vr",
            "za",
            "zo",
            "maa",
            "din",
            "woe",
            "don",
            "vrij",
            "zat",
            "zon",
            "middag",
            "middernacht",
            "alle",
            "dagen",
            "elke",
            "dag",
            "dagelijks",
            "geopend",
        ];
        let (mut french, mut dutch) = (0, 0);
        for token in tokens {
            match token {
                Token::Time {
                    mark: HourMark::H, ..
                } => french += 1,
                Token::Time {
                    mark: HourMark::U, ..
                } => dutch += 1,
                Token::Word(word) => {
                    if FRENCH.contains(&word.as_str()) {
                        french += 1;
                    } else if DUTCH.contains(&word.as_str()) {
                        dutch += 1;
                    } else if let Some((_, language)) = full_day_name(word) {
                        match language {
                            Language::French => french += 1,
                            Language::Dutch => dutch += 1,
                        }
                    }
                }
                _ => {}
            }
        }
        match french.cmp(&dutch) {
            std::cmp::Ordering::Greater => Some(Language::French),
            std::cmp::Ordering::Less => Some(Language::Dutch),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// Weekday names, Monday first (index = ISO weekday − 1).
pub const FRENCH_DAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
pub const DUTCH_DAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// The iCalendar (RFC 5545) `BYDAY` codes HSDS schedules use, Monday first.
pub const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// A full weekday name in either language, also plural ("les lundis", "maandags").
fn full_day_name(word: &str) -> Option<(u8, Language)> {
    let singular = word.strip_suffix('s').unwrap_or(word);
    [
        (FRENCH_DAYS, Language::French),
        (DUTCH_DAYS, Language::Dutch),
    ]
    .into_iter()
    .find_map(|(names, language)| {
        (1u8..)
            .zip(names)
            .find(|(_, name)| *name == word || *name == singular)
            .map(|(weekday, _)| (weekday, language))
    })
}

/// A weekday abbreviation; "ma" and "di" need the text's language.
fn abbreviated_day(word: &str, language: Option<Language>) -> Option<u8> {
    const UNAMBIGUOUS: [(&str, u8); 24] = [
        ("lu", 1),
        ("lun", 1),
        ("maa", 1),
        ("mar", 2),
        ("din", 2),
        ("me", 3),
        ("mer", 3),
        ("wo", 3),
        ("woe", 3),
        ("je", 4),
        ("jeu", 4),
        ("do", 4),
        ("don", 4),
        ("ve", 5),
        ("ven", 5),
        ("vr", 5),
        ("vrij", 5),
        ("sa", 6),
        ("sam", 6),
        ("za", 6),
        ("zat", 6),
        ("dim", 7),
        ("zo", 7),
        ("zon", 7),
    ];
    if let Some(&(_, weekday)) = UNAMBIGUOUS.iter().find(|(abbr, _)| *abbr == word) {
        return Some(weekday);
    }
    match (word, language?) {
        ("ma", Language::French) => Some(2),
        ("di", Language::French) => Some(7),
        ("ma", Language::Dutch) => Some(1),
        ("di", Language::Dutch) => Some(2),
        _ => None,
    }
}

/// Turns day words into [`Token::Day`] and full stops into breaks, except the dot of an
/// abbreviation ("lu. ma. je."). None when "ma"/"di" cannot be resolved.
fn resolve_days(tokens: Vec<Token>, language: Option<Language>) -> Option<Vec<Token>> {
    let mut resolved: Vec<Token> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let next = match token {
            Token::Word(word) => {
                if let Some((weekday, _)) = full_day_name(&word) {
                    Token::Day {
                        weekday,
                        abbreviated: false,
                    }
                } else if let Some(weekday) = abbreviated_day(&word, language) {
                    Token::Day {
                        weekday,
                        abbreviated: true,
                    }
                } else if matches!(word.as_str(), "ma" | "di") {
                    return None;
                } else {
                    Token::Word(word)
                }
            }
            Token::Dot => match resolved.last() {
                Some(Token::Day {
                    abbreviated: true, ..
                }) => continue,
                _ => Token::Break,
            },
            other => other,
        };
        resolved.push(next);
    }
    Some(resolved)
}

/// Days paired with time ranges (minutes since midnight, closing may be 24:00).
#[derive(Default)]
struct Clause {
    days: BTreeSet<u8>,
    ranges: Vec<(u32, u32)>,
    /// Whether the clause began with its days ("lundi 9h-12h") or its times
    /// ("24h/24, 7j/7"): more of the first kind after a complete clause starts a new one.
    days_first: Option<bool>,
}

impl Clause {
    fn is_complete(&self) -> bool {
        !self.days.is_empty() && !self.ranges.is_empty()
    }

    fn is_empty(&self) -> bool {
        self.days.is_empty() && self.ranges.is_empty()
    }

    /// Adds days or ranges; pushes the finished clause to `out` when a new one begins.
    fn add(&mut self, days: BTreeSet<u8>, ranges: Vec<(u32, u32)>, out: &mut Vec<Clause>) {
        let adding_days = !days.is_empty();
        if self.is_complete() && self.days_first == Some(adding_days) {
            out.push(std::mem::take(self));
        }
        self.days_first.get_or_insert(adding_days);
        self.days.extend(days);
        self.ranges.extend(ranges);
    }
}

/// A cursor over one segment's tokens, with backtracking by saving `pos`.
struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn at(&self, offset: usize) -> Option<&Token> {
        self.tokens.get(self.pos + offset)
    }

    fn eat_word(&mut self, words: &[&str]) -> bool {
        let found = self.peek().is_some_and(|t| t.is_word(words));
        if found {
            self.pos += 1;
        }
        found
    }

    fn eat_symbol(&mut self, symbols: &[char]) -> bool {
        let found = matches!(self.peek(), Some(Token::Symbol(c)) if symbols.contains(c));
        if found {
            self.pos += 1;
        }
        found
    }

    /// Consumes `pattern` if the next tokens match it exactly.
    fn eat_sequence(&mut self, pattern: &[Pattern]) -> bool {
        let matched = pattern
            .iter()
            .enumerate()
            .all(|(offset, expected)| self.at(offset).is_some_and(|token| expected.matches(token)));
        if matched {
            self.pos += pattern.len();
        }
        matched
    }

    fn eat_list_separator(&mut self) -> bool {
        self.eat_symbol(&[',', '/', '&', '+']) || self.eat_word(&["et", "en"])
    }

    fn eat_glue(&mut self) {
        while self.eat_symbol(&[',', ':', '/', '-', '&', '+'])
            || self.eat_word(&["et", "en", "ouvert", "open", "geopend"])
        {}
    }

    /// "7j/7", "7/7", "7 jours sur 7", "tous les jours", "elke dag", "dagelijks"…
    fn every_day(&mut self) -> bool {
        use Pattern::{Num, Sym, Word};
        const PATTERNS: &[&[Pattern]] = &[
            &[Num(7), Word("j"), Sym('/'), Num(7), Word("j")],
            &[Num(7), Word("j"), Sym('/'), Num(7)],
            &[Num(7), Word("d"), Sym('/'), Num(7)],
            &[Num(7), Sym('/'), Num(7)],
            &[Num(7), Word("jours"), Word("sur"), Num(7)],
            &[Word("tous"), Word("les"), Word("jours")],
            &[Word("chaque"), Word("jour")],
            &[Word("alle"), Word("dagen")],
            &[Word("elke"), Word("dag")],
            &[Word("dagelijks")],
        ];
        PATTERNS.iter().any(|pattern| self.eat_sequence(pattern))
    }

    /// "24h/24", "24/24", "24u/24", "24 heures sur 24".
    fn all_day(&mut self) -> bool {
        use Pattern::{Hour, Num, Sym, Word};
        const PATTERNS: &[&[Pattern]] = &[
            &[Hour(24), Sym('/'), Hour(24)],
            &[Hour(24), Sym('/'), Num(24)],
            &[Num(24), Sym('/'), Num(24)],
            &[Num(24), Word("heures"), Word("sur"), Num(24)],
        ];
        PATTERNS.iter().any(|pattern| self.eat_sequence(pattern))
    }

    /// "lundi", "du lundi au vendredi", "lu, ma et je", "ma-vr", "tous les jours"…
    fn days(&mut self) -> Option<BTreeSet<u8>> {
        let start = self.pos;
        let mut days = BTreeSet::new();
        // The last single day, which a following "au"/"-"/"tot" starts a range from.
        let mut last: Option<u8> = None;
        if !self.day_atom(&mut days, &mut last) {
            self.pos = start;
            return None;
        }
        loop {
            let before = self.pos;
            let is_range = self.eat_word(&["au", "a", "jusqu'au"])
                || self.eat_symbol(&['-'])
                || self.eat_sequence(&[Pattern::Word("t"), Pattern::Sym('/'), Pattern::Word("m")])
                || (self.eat_word(&["tot"]) && {
                    let _ = self.eat_sequence(&[Pattern::Word("en"), Pattern::Word("met")]);
                    true
                });
            if is_range {
                let _ = self.eat_word(&["le"]);
                match (last, self.peek()) {
                    (Some(from), Some(&Token::Day { weekday: to, .. })) => {
                        self.pos += 1;
                        // "lundi au lundi" is no schedule. Rewinding matters: what follows
                        // must not be read as times belonging to the previous clause.
                        let Some(range) = weekday_range(from, to) else {
                            self.pos = start;
                            return None;
                        };
                        days.extend(range);
                        last = Some(to);
                        continue;
                    }
                    _ => {
                        self.pos = before;
                        break;
                    }
                }
            }
            if self.eat_list_separator() && self.day_atom(&mut days, &mut last) {
                continue;
            }
            self.pos = before;
            break;
        }
        Some(days)
    }

    /// One weekday, possibly after an article ("le lundi", "du lundi", "elke maandag"),
    /// or every day ("tous les jours", "elke dag").
    fn day_atom(&mut self, days: &mut BTreeSet<u8>, last: &mut Option<u8>) -> bool {
        if self.every_day() {
            days.extend(1..=7);
            *last = None;
            return true;
        }
        let start = self.pos;
        let _ = self.eat_word(&["du", "van", "le", "les", "op", "chaque", "elke"]);
        if let Some(&Token::Day { weekday, .. }) = self.peek() {
            self.pos += 1;
            days.insert(weekday);
            *last = Some(weekday);
            return true;
        }
        self.pos = start;
        false
    }

    /// "de 9h à 12h et de 13h à 16h30", "9h-12h30 / 13h30-17h", "24h/24"…
    fn ranges(&mut self) -> Option<Vec<(u32, u32)>> {
        let mut ranges = vec![self.range()?];
        loop {
            let before = self.pos;
            if let Some(range) = self.range() {
                ranges.push(range);
                continue;
            }
            if self.eat_list_separator()
                && let Some(range) = self.range()
            {
                ranges.push(range);
                continue;
            }
            self.pos = before;
            break;
        }
        Some(ranges)
    }

    /// One time range, validated: it opens before it closes, on the same day.
    fn range(&mut self) -> Option<(u32, u32)> {
        let start = self.pos;
        if self.all_day() {
            return Some((0, MIDNIGHT));
        }
        let _ = self.eat_word(&["de", "van"]);
        let parsed = (|| {
            // "de minuit à 6h" opens at the start of the day, but "de 24h à 6h" is a typo.
            let says_midnight = self
                .peek()
                .is_some_and(|t| t.is_word(&["minuit", "middernacht"]));
            let opens = match self.time()? {
                MIDNIGHT if says_midnight => 0,
                MIDNIGHT => return None,
                minutes => minutes,
            };
            let connected = self.eat_symbol(&['-']) || self.eat_word(&["a", "tot", "jusqu'a"]);
            if !connected {
                return None;
            }
            let closes = self.time()?;
            // Compared as written out, where 24:00 becomes 23:59.
            (opens < closes.min(MIDNIGHT - 1)).then_some((opens, closes))
        })();
        if parsed.is_none() {
            self.pos = start;
        }
        parsed
    }

    /// A time of day in minutes; a bare number is an hour ("van 9 tot 12 uur").
    fn time(&mut self) -> Option<u32> {
        let minutes = match self.peek()? {
            &Token::Time { hour, minute, .. } if minute < 60 && hour * 60 + minute <= MIDNIGHT => {
                hour * 60 + minute
            }
            &Token::Number(hour) if hour <= 24 => hour * 60,
            token if token.is_word(&["midi", "middag"]) => 12 * 60,
            token if token.is_word(&["minuit", "middernacht"]) => MIDNIGHT,
            _ => return None,
        };
        self.pos += 1;
        Some(minutes)
    }
}

/// A token shape for the fixed expressions ("7j/7", "24h/24").
#[derive(Clone, Copy)]
enum Pattern {
    Num(u32),
    /// A time on the hour with an explicit mark ("24h", "24u").
    Hour(u32),
    Word(&'static str),
    Sym(char),
}

impl Pattern {
    fn matches(self, token: &Token) -> bool {
        match (self, token) {
            (Pattern::Num(n), Token::Number(m)) => n == *m,
            (
                Pattern::Hour(h),
                Token::Time {
                    hour, minute: 0, ..
                },
            ) => h == *hour,
            (Pattern::Word(w), Token::Word(word)) => w == word,
            (Pattern::Sym(s), Token::Symbol(c)) => s == *c,
            _ => false,
        }
    }
}

/// The days from `from` to `to` inclusive, wrapping over the weekend ("du samedi au
/// lundi"); None for a range that starts and ends on the same day.
fn weekday_range(from: u8, to: u8) -> Option<Vec<u8>> {
    match from.cmp(&to) {
        std::cmp::Ordering::Less => Some((from..=to).collect()),
        std::cmp::Ordering::Greater => Some((from..=7).chain(1..=to).collect()),
        std::cmp::Ordering::Equal => None,
    }
}

/// All clauses of one segment; None if a token is left that no rule accepts or a clause
/// lacks its days or its times.
fn parse_segment(tokens: &[Token]) -> Option<Vec<Clause>> {
    use Pattern::{Num, Sym};
    let mut parser = Parser { tokens, pos: 0 };
    let mut clauses = Vec::new();
    let mut clause = Clause::default();
    loop {
        parser.eat_glue();
        if parser.peek().is_none() {
            break;
        }
        if parser.eat_sequence(&[Num(24), Sym('/'), Num(7)]) {
            // A clause of its own: it must neither lend its days nor borrow times.
            if !clause.is_empty() {
                if !clause.is_complete() {
                    return None;
                }
                clauses.push(std::mem::take(&mut clause));
            }
            clauses.push(Clause {
                days: (1..=7).collect(),
                ranges: vec![(0, MIDNIGHT)],
                days_first: None,
            });
        } else if let Some(days) = parser.days() {
            clause.add(days, Vec::new(), &mut clauses);
        } else if let Some(ranges) = parser.ranges() {
            clause.add(BTreeSet::new(), ranges, &mut clauses);
        } else {
            return None;
        }
    }
    if clause.is_complete() {
        clauses.push(clause);
    } else if !clause.is_empty() {
        return None;
    }
    Some(clauses)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(weekday: u8, opens: &str, closes: &str) -> Opening {
        Opening {
            weekday,
            opens: opens.to_owned(),
            closes: closes.to_owned(),
        }
    }

    fn every(days: impl IntoIterator<Item = u8>, ranges: &[(&str, &str)]) -> Vec<Opening> {
        days.into_iter()
            .flat_map(|day| ranges.iter().map(move |(o, c)| p(day, o, c)))
            .collect()
    }

    fn assert_hours(text: &str, expected: Vec<Opening>) {
        assert_eq!(parse(text), Some(expected), "{text:?}");
    }

    #[test]
    fn hours_french_day_range_with_de_a() {
        assert_hours(
            "Du lundi au vendredi de 8h30 à 16h",
            every(1..=5, &[("08:30", "16:00")]),
        );
    }

    #[test]
    fn hours_dutch_day_range_with_van_tot_uur() {
        assert_hours(
            "Van maandag tot vrijdag van 8.30 uur tot 16 uur",
            every(1..=5, &[("08:30", "16:00")]),
        );
    }

    #[test]
    fn hours_french_abbreviation_list_reads_ma_as_mardi() {
        assert_hours(
            "lu, ma, je : 9h-12h",
            every([1, 2, 4], &[("09:00", "12:00")]),
        );
        assert_hours(
            "lu. ma. je. : 9h-12h",
            every([1, 2, 4], &[("09:00", "12:00")]),
        );
    }

    #[test]
    fn hours_several_days_and_several_ranges() {
        assert_hours(
            "Lundi, mardi et jeudi de 9h à 12h et de 13h à 16h30",
            every([1, 2, 4], &[("09:00", "12:00"), ("13:00", "16:30")]),
        );
        assert_hours(
            "Du lundi au vendredi : 9h-12h30 / 13h30-17h",
            every(1..=5, &[("09:00", "12:30"), ("13:30", "17:00")]),
        );
    }

    #[test]
    fn hours_dutch_list_with_bare_opening_hour() {
        assert_hours(
            "Maandag en woensdag van 9 tot 12 uur",
            every([1, 3], &[("09:00", "12:00")]),
        );
    }

    #[test]
    fn hours_compact_weekday_ranges() {
        let week = every(1..=5, &[("09:00", "17:00")]);
        assert_hours("ma-vr 9u-17u", week.clone());
        assert_hours("ma - vr: 09:00 - 17:00", week.clone());
        assert_hours("ma – vr 9-17", week.clone());
        assert_hours("ma t/m vr 9-17", week.clone());
        assert_hours("maandag tot en met vrijdag 9-17 uur", week);
        assert_hours("lu-ve 8h30-12h", every(1..=5, &[("08:30", "12:00")]));
    }

    #[test]
    fn hours_segments_separated_by_semicolon_newline_or_full_stop() {
        let expected = vec![p(3, "14:00", "17:00"), p(6, "10:00", "12:00")];
        assert_hours(
            "Le mercredi de 14h à 17h ; le samedi de 10h à 12h",
            expected.clone(),
        );
        assert_hours(
            "Le mercredi de 14h à 17h\nle samedi de 10h à 12h",
            expected.clone(),
        );
        assert_hours(
            "Le mercredi de 14h à 17h. Le samedi de 10h à 12h.",
            expected.clone(),
        );
        assert_hours("mercredi 14h-17h, samedi 10h-12h", expected);
    }

    #[test]
    fn hours_round_the_clock() {
        let all = every(1..=7, &[("00:00", "23:59")]);
        assert_hours("24h/24, 7j/7", all.clone());
        assert_hours("24/7", all.clone());
        assert_hours("7j/7 24h/24", all.clone());
        assert_hours("24h/24h - 7j/7j", all.clone());
        assert_hours("24u/24, 7/7", all.clone());
        assert_hours("24 heures sur 24, 7 jours sur 7", all);
        let mut monday_twice = every(1..=7, &[("00:00", "23:59")]);
        monday_twice.insert(1, p(1, "09:00", "12:00"));
        assert_hours("lundi 9h-12h, 24/7", monday_twice);
    }

    #[test]
    fn hours_time_notations() {
        let cases = [
            ("lundi 8h-9h", "08:00", "09:00"),
            ("lundi 8h30-9h", "08:30", "09:00"),
            ("lundi 8:30-9:00", "08:30", "09:00"),
            ("lundi 08.30-09.00", "08:30", "09:00"),
            ("maandag 8u30-16u", "08:30", "16:00"),
            ("maandag van 8.30 uur tot 12 uur", "08:30", "12:00"),
            ("lundi de 9 h 30 à 12 h", "09:30", "12:00"),
            ("lundi de 9h à midi", "09:00", "12:00"),
            ("lundi de midi à 14h", "12:00", "14:00"),
            ("lundi de 20h à minuit", "20:00", "23:59"),
            ("maandag van 9 tot 24 uur", "09:00", "23:59"),
            ("lundi de minuit à 6h", "00:00", "06:00"),
            ("lundi de 0h à 24h", "00:00", "23:59"),
        ];
        for (text, opens, closes) in cases {
            assert_hours(text, vec![p(1, opens, closes)]);
        }
    }

    #[test]
    fn hours_dutch_abbreviations_read_ma_di_as_maandag_dinsdag() {
        assert_hours(
            "ma, di, do: 9u-12u",
            every([1, 2, 4], &[("09:00", "12:00")]),
        );
        assert_hours(
            "di en do van 14 tot 16 uur",
            every([2, 4], &[("14:00", "16:00")]),
        );
    }

    #[test]
    fn hours_french_di_is_dimanche() {
        assert_hours(
            "sa et di de 10h à 12h",
            every([6, 7], &[("10:00", "12:00")]),
        );
    }

    #[test]
    fn hours_ambiguous_ma_di_without_language_evidence_are_refused() {
        assert_eq!(parse("ma 9-12"), None);
        assert_eq!(parse("ma-di 09:00-12:00"), None);
    }

    #[test]
    fn hours_every_day_words() {
        let all = every(1..=7, &[("09:00", "17:00")]);
        assert_hours("Tous les jours de 9h à 17h", all.clone());
        assert_hours("Elke dag van 9 tot 17 uur", all.clone());
        assert_hours("7j/7 de 9h à 17h", all);
    }

    #[test]
    fn hours_weekend_wrapping_day_range() {
        assert_hours(
            "du samedi au lundi de 10h à 12h",
            every([1, 6, 7], &[("10:00", "12:00")]),
        );
    }

    #[test]
    fn hours_output_is_sorted_and_deduplicated() {
        assert_hours(
            "jeudi 13h-14h; lundi 9h-10h; lundi 9h-10h; jeudi 8h-9h",
            vec![
                p(1, "09:00", "10:00"),
                p(4, "08:00", "09:00"),
                p(4, "13:00", "14:00"),
            ],
        );
    }

    #[test]
    fn hours_plural_days_and_opening_word() {
        assert_hours(
            "Ouvert les mardis de 9h à 12h",
            vec![p(2, "09:00", "12:00")],
        );
    }

    #[test]
    fn hours_refuses_text_it_does_not_understand() {
        for text in [
            "",
            "   ",
            "Sur rendez-vous",
            "Voir site web",
            "Fermé en juillet",
            "Du lundi au vendredi de 9h à 17h, sur rendez-vous",
            "Du lundi au vendredi de 9h à 17h. Fermé en juillet.",
            "Lundi de 9h à 12h (sauf jours fériés)",
            "9h-17h",
            "lundi",
            "lundi et mardi",
            "Du lundi au vendredi",
            "lundi de 17h à 9h",
            "lundi de 9h à 9h",
            "lundi de 9h à 25h",
            "lundi de 24h à 6h",
            "lundi de 23h59 à 24h",
            "lundi de 9h70 à 12h",
            "du lundi au lundi de 9h à 12h",
            "mardi 9h-12h, lundi au lundi 9h-12h",
            "lundi de 9h",
            "lundi à partir de 9h",
            "le 1er lundi du mois de 9h à 12h",
            "lundi 9am-5pm",
            "lundi 9-12ve",
            "lundi 9h-12h; 14h-16h",
            "du 1 au 15 juillet de 9h à 12h",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
