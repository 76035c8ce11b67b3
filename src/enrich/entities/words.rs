//! Small Spanish and English word lists that entity matching and discovery need: function words, month and
//! weekday names, personal titles, abbreviations, company suffixes and common words that double as names.
//! All entries are folded (lower case, no accents) and looked up through hash sets built once.

use std::sync::OnceLock;

/// rustc-hash: these sets are probed for most words of every document, and its hash is several
/// times cheaper than the default SipHash on short keys that no one can choose adversarially here.
type WordSet = rustc_hash::FxHashSet<&'static str>;

/// Function words and frequent sentence openers: a capitalised one of these at a sentence start is not a name.
const STOP_WORDS: &str = "
a al algo algun alguna algunas alguno algunos ante antes aqui asi aun aunque ayer bajo bien cada casi
como con contra cual cuales cuando cuanto de del desde donde dos durante e el ella ellas ello ellos en
entre era eran es esa esas ese eso esos esta estaba estado estan estas este esto estos fue fueron gran
ha habia han hasta hay hoy la las le les lo los mas me mientras mismo mucho muy nada ni no nos nosotros
nuestra nuestro o otra otras otro otros para pero poco por porque pues que quien quienes se segun ser
si sido siempre sin sino sobre solo son su sus tal tambien tampoco tan tanto te tiene tienen todo todos
tras tu tus un una unas uno unos usted ustedes ya yo ademas asimismo entonces luego despues manana
tarde noche primer primera primero segundo segunda tercer ultimo ultima nuevo nueva nuevos nuevas este
dicho dijo dice segun sera seran fuentes fuente presidente gobierno ministro empresa empresas
a about above after again against all also although am among an and another any anyone are around as at
be because been before being below between both but by can could did do does doing down during each
either even ever every few for from further had has have having he her here hers herself him himself his
how however i if in into is it its itself just last least less let like many may me meanwhile might
more most much must my myself neither never next no nor not now of off on once one only or other
others our ours out over own per perhaps same several she should since so some still such than that the
their theirs them themselves then there these they this those though through thus to today together
too tomorrow under unless until up upon us very was we were what whatever when where whether which while
who whom whose why will with within without would yesterday yet you your yours analysts shares sales
prices trading officials sources earlier later meanwhile overall total despite according following
first second third fourth fifth net profit revenue company companies government president chairman
gpu gpus cpu cpus ai ia ceo cfo gdp pib ipo etf asic asics hbm ram dram nand pc pcs tv usb api llm vat iva
";

/// Head nouns of institutions and places that take "of"/"de" after more than one word
/// ("Federal Reserve Bank of New York", "Tribunal Supremo de Justicia").
const HEAD_NOUNS: &str = "
bank banco department departamento ministry ministerio university universidad bureau oficina office
institute instituto council consejo commission comision association asociacion federation federacion
board chamber camara party partido republic republica court tribunal organization organisation
organizacion union league liga college school escuela society sociedad secretary secretaria agency
agencia committee comite congress congreso parliament parlamento senate senado house church iglesia
museum museo center centre centro fund fondo foundation fundacion corporation corporacion authority
autoridad service servicio exchange bolsa state estado states estados city ciudad county province
provincia region gulf golfo islands islas cape cabo sea mar lake lago port puerto gobierno government
direccion tesoro treasury presidencia ayuntamiento junta comunidad audiencia juzgado guardia policia
ejercito fuerzas confederacion sindicato supremo supreme general nacional national federal
";

/// Month and weekday names, in both languages; never names on their own.
const CALENDAR_WORDS: &str = "
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
lunes martes miercoles jueves viernes sabado domingo
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
";

/// Titles and roles stripped from the front (or the end) of a discovered name.
const TITLES: &str = "
president presidente presidenta vicepresidente vicepresidenta vice mr mrs ms dr sr sra srta don dona
ceo cfo coo chairman chairwoman chief minister ministro ministra secretary secretario secretaria
senator senador senadora governor gobernador gobernadora king rey queen reina prince principe princesa
general gen gov sen rep judge juez jueza premier chancellor canciller mayor alcalde alcaldesa
economist economista founder fundador fundadora director directora doctor doctora professor profesor
profesora lord sir saint san santa father padre presi
";

/// Abbreviations after which a full stop does not end the sentence.
const ABBREVIATIONS: &str = "
mr mrs ms dr sr sra srta st jr gen gov sen rep lt col capt sgt prof inc corp co ltd vs no nos dept
av avda etc fig approx est univ bros
";

/// Company-form words that may follow a curated organisation name and belong to its mention.
const ORG_SUFFIXES: &str = "
inc corp corporation co ltd limited plc ag sa nv llc group holdings
";

/// Aliases that are also ordinary lower-case words in Spanish or English. They only match when the text
/// capitalises their first letter ("Meta" the company, not "meta" = goal; "Arm" the company, not an arm).
const COMMON_WORD_ALIASES: &str = "
meta arm apple amazon china turkey chile congress congreso commerce comercio tesla micron oracle shell
fed moonshot alphabet trump musk visa target gap sur norte jordan georgia nice reading bing gemini
claude grok ford dell lima cuba india cadence
";

/// Nationality and language adjectives and demonyms, English and Spanish (folded, with Spanish
/// gender and number forms): capitalised in English ("Chinese firms") and at Spanish sentence
/// starts, but they describe, they do not name. Discovery never reports one on its own.
const DEMONYMS: &str = "
american americans chinese japanese korean south-korean taiwanese indian european europeans british
english french german germans italian spanish dutch russian russians ukrainian israeli iranian
saudi canadian mexican brazilian argentine argentinian chilean colombian peruvian venezuelan
cuban australian asian african arab arabic latin western eastern swiss swedish norwegian danish
finnish polish turkish greek portuguese belgian austrian irish scottish vietnamese thai malaysian
indonesian singaporean filipino pakistani egyptian dutchman hongkonger
estadounidense estadounidenses norteamericano norteamericana norteamericanos norteamericanas
americano americana americanos americanas chino china chinos chinas japones japonesa japoneses
japonesas coreano coreana coreanos coreanas taiwanes taiwanesa taiwaneses taiwanesas indio india
indios indias europeo europea europeos europeas britanico britanica britanicos britanicas ingles
inglesa ingleses inglesas frances francesa franceses francesas aleman alemana alemanes alemanas
italiano italiana italianos italianas espanol espanola espanoles espanolas ruso rusa rusos rusas
ucraniano ucraniana ucranianos ucranianas israeli israelies irani iranies saudi saudies canadiense
canadienses mexicano mexicana mexicanos mexicanas brasileno brasilena brasilenos brasilenas
argentino argentina argentinos argentinas chileno chilena chilenos chilenas colombiano colombiana
colombianos colombianas peruano peruana peruanos peruanas venezolano venezolana venezolanos
venezolanas cubano cubana cubanos cubanas asiatico asiatica asiaticos asiaticas africano africana
africanos africanas arabe arabes occidental occidentales oriental orientales holandes holandesa
holandeses neerlandes suizo suiza suizos suizas sueco sueca turco turca turcos griego griega
portugues portuguesa vietnamita vietnamitas
";

/// Capitalised words that discovery must not report although they look like names: news
/// boilerplate ("Updated", "Editing", "GMT") and product lines of the project's domain that are
/// neither organisations, people nor places ("Ascend", "Blackwell").
const NOT_NAMES: &str = "
updated editing reporting writing advertisement sponsored subscribe anuncio publicidad suscribete
actualizado gmt utc cet cest est edt pst pdt bst am pm
ascend blackwell hopper ampere rubin grace kunlun gaudi instinct xeon epyc snapdragon
";

fn set(cell: &'static OnceLock<WordSet>, list: &'static str) -> &'static WordSet {
    cell.get_or_init(|| list.split_whitespace().collect())
}

pub(crate) fn is_head_noun(folded: &str) -> bool {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    set(&CELL, HEAD_NOUNS).contains(folded)
}

pub(crate) fn is_abbreviation(folded: &str) -> bool {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    set(&CELL, ABBREVIATIONS).contains(folded)
}

pub(crate) fn is_org_suffix(folded: &str) -> bool {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    set(&CELL, ORG_SUFFIXES).contains(folded)
}

pub(crate) fn is_common_word_alias(folded: &str) -> bool {
    static CELL: OnceLock<WordSet> = OnceLock::new();
    set(&CELL, COMMON_WORD_ALIASES).contains(folded)
}

/// Which of the name-trimming lists (function, calendar, title, demonym and not-a-name words) a
/// folded word is on: one lookup answers what discovery asks of every word at the edge of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lists(u8);

impl Lists {
    const STOP: u8 = 1;
    const CALENDAR: u8 = 2;
    const TITLE: u8 = 4;
    const DEMONYM: u8 = 8;
    const NOT_NAME: u8 = 16;

    pub fn stop_word(self) -> bool {
        self.0 & Self::STOP != 0
    }

    pub fn calendar_word(self) -> bool {
        self.0 & Self::CALENDAR != 0
    }

    pub fn title(self) -> bool {
        self.0 & Self::TITLE != 0
    }

    pub fn demonym(self) -> bool {
        self.0 & Self::DEMONYM != 0
    }

    pub fn not_name(self) -> bool {
        self.0 & Self::NOT_NAME != 0
    }
}

/// The lists `folded` is on, from one hash lookup.
pub(crate) fn lists_of(folded: &str) -> Lists {
    static CELL: OnceLock<rustc_hash::FxHashMap<&'static str, u8>> = OnceLock::new();
    let map = CELL.get_or_init(|| {
        let mut map = rustc_hash::FxHashMap::default();
        for (list, bit) in [
            (STOP_WORDS, Lists::STOP),
            (CALENDAR_WORDS, Lists::CALENDAR),
            (TITLES, Lists::TITLE),
            (DEMONYMS, Lists::DEMONYM),
            (NOT_NAMES, Lists::NOT_NAME),
        ] {
            for word in list.split_whitespace() {
                *map.entry(word).or_insert(0) |= bit;
            }
        }
        map
    });
    Lists(map.get(folded).copied().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_answer_folded_lookups() {
        assert!(lists_of("segun").stop_word());
        assert!(lists_of("the").stop_word());
        assert_eq!(lists_of("tencent"), Lists(0));
        assert!(lists_of("mayo").calendar_word());
        assert!(lists_of("friday").calendar_word());
        assert!(lists_of("presidente").title());
        assert!(is_abbreviation("mr"));
        assert!(is_head_noun("ministerio"));
        assert!(is_org_suffix("holdings"));
        assert!(is_common_word_alias("meta"));
        assert!(!is_common_word_alias("intel"));
    }

    /// Every word of every list, and a few on none, gets exactly the lists it is written in.
    #[test]
    fn one_lookup_answers_for_every_list() {
        let on = |list: &str, word: &str| list.split_whitespace().any(|listed| listed == word);
        let lists = [
            STOP_WORDS,
            CALENDAR_WORDS,
            TITLES,
            DEMONYMS,
            NOT_NAMES,
            HEAD_NOUNS,
        ];
        for word in lists
            .iter()
            .flat_map(|list| list.split_whitespace())
            .chain(["tencent", "", "Mayo"])
        {
            let found = lists_of(word);
            assert_eq!(found.stop_word(), on(STOP_WORDS, word), "{word}");
            assert_eq!(found.calendar_word(), on(CALENDAR_WORDS, word), "{word}");
            assert_eq!(found.title(), on(TITLES, word), "{word}");
            assert_eq!(found.demonym(), on(DEMONYMS, word), "{word}");
            assert_eq!(found.not_name(), on(NOT_NAMES, word), "{word}");
        }
    }
}
