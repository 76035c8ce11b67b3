//! `trends`: a planted burst comes first, a flat series and a week with more news overall raise
//! nothing, filters narrow the candidates, and bad windows get one clear line.

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};

use crate::support::{assert_one_line_error, path_str, sample_corpus, Workspace};

/// The first day of the generated corpus; it runs 120 days.
fn day(n: i64) -> String {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).expect("a day");
    (start + Duration::days(n)).format("%Y-%m-%d").to_string()
}

/// Four stories a day for 120 days, each with one of four everyday tags (a flat series each);
/// `extra(day)` adds records for that day.
fn corpus(ws: &Workspace, extra: impl Fn(i64) -> Vec<Value>) {
    let everyday = ["markets", "weather", "sport", "politics"];
    let mut lines = Vec::new();
    for n in 0..120 {
        for (i, tag) in everyday.iter().enumerate() {
            lines.push(json!({
                "id": format!("d{n}-{i}"),
                "date": day(n),
                "title": format!("Daily {tag} report {n}"),
                "body": format!("The {tag} desk filed its report number {n} about the {tag} of the day."),
                "tags": [tag],
            }));
        }
        lines.extend(extra(n));
    }
    let text: Vec<String> = lines.iter().map(Value::to_string).collect();
    ws.write("news.jsonl", text.join("\n") + "\n");
    ws.index_corpus();
}

fn items(report: &Value, kind: &str) -> Vec<String> {
    report["kinds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|group| group["kind"] == kind)
        .flat_map(|group| group["items"].as_array().cloned().unwrap_or_default())
        .filter_map(|item| item["value"].as_str().map(String::from))
        .collect()
}

#[test]
fn a_planted_burst_is_first_and_flat_series_do_not_rise() {
    let ws = Workspace::new();
    // Eight stories on a port strike in the last week (days 113–119), one in the weeks before.
    corpus(&ws, |n| {
        let planted = (113..120).contains(&n) || n == 60;
        let twice = n == 116;
        let mut out = Vec::new();
        for copy in 0..(usize::from(planted) + usize::from(twice)) {
            out.push(json!({
                "id": format!("strike-{n}-{copy}"),
                "date": day(n),
                "title": format!("Port strike enters day {n}"),
                "body": "Dock workers at the port stayed out on strike over pay.",
                "tags": ["port-strike"],
            }));
        }
        out
    });
    let report = ws.json(&["trends", "--kind", "tag", "--json"]);
    assert_eq!(report["window"]["from"], day(113), "{report}");
    assert_eq!(report["window"]["to"], day(119), "{report}");
    assert_eq!(report["baseline"]["to"], day(112), "{report}");
    assert_eq!(items(&report, "tag"), vec!["port-strike"], "{report}");
    let item = &report["kinds"][0]["items"][0];
    assert_eq!(item["window"], 8, "{item}");
    assert_eq!(item["baseline"], 1, "{item}");
    assert_eq!(item["window_total"], 36, "{item}");
    assert!(item["g2"].as_f64().unwrap_or(0.0) > 10.83, "{item}");
    let shown = item["documents"].as_array().expect("documents");
    assert_eq!(shown.len(), 3, "{item}");
    assert!(shown.iter().all(|doc| doc["id"]
        .as_str()
        .is_some_and(|id| id.starts_with("strike-"))));
    // 97 days in points of the window's 7 days (the first one 6); the window's is the highest.
    let spark: Vec<f64> = item["spark"]
        .as_array()
        .expect("spark")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    assert_eq!(report["spark_days"], 7, "{report}");
    assert_eq!(spark.len(), 14, "{item}");
    let highest = spark.iter().copied().fold(0.0, f64::max);
    assert!(spark.last().is_some_and(|last| *last == highest), "{item}");

    // The text shows the item, its counts and a sparkline.
    let text = String::from_utf8(ws.run(&["trends", "--kind", "tag"]).stdout).expect("utf-8");
    assert!(text.contains("port-strike"), "{text}");
    assert!(text.contains('█'), "{text}");
    assert!(!text.contains("markets"), "{text}");

    // Inside another tag nothing rises (the strike stories carry only their own tag).
    let inside = ws.json(&["trends", "--kind", "tag", "--tag", "markets", "--json"]);
    assert!(items(&inside, "tag").is_empty(), "{inside}");
}

#[test]
fn shares_not_counts_a_busier_week_raises_nothing() {
    let ws = Workspace::new();
    // The last week has twice the news of every kind: counts double, shares stay.
    corpus(&ws, |n| {
        if n < 113 {
            return Vec::new();
        }
        ["markets", "weather", "sport", "politics"]
            .iter()
            .map(|tag| {
                json!({
                    "id": format!("more-{n}-{tag}"),
                    "date": day(n),
                    "title": format!("More {tag} news on day {n}"),
                    "body": format!("Another {tag} story of a busy day, number {n}."),
                    "tags": [tag],
                })
            })
            .collect()
    });
    let report = ws.json(&["trends", "--json", "--min-score", "0"]);
    assert_eq!(report["window"]["documents"], 56, "{report}");
    assert!(items(&report, "tag").is_empty(), "{report}");
}

#[test]
fn too_little_baseline_falls_back_to_the_rest_of_the_index() {
    let ws = Workspace::new();
    corpus(&ws, |_| Vec::new());
    let report = ws.json(&["trends", "--from", &day(0), "--to", &day(6), "--json"]);
    let note = report["note"].as_str().unwrap_or_default();
    assert!(note.contains("rest of the index"), "{report}");
    assert_eq!(report["baseline"]["from"], day(7), "{report}");
    assert_eq!(report["baseline"]["documents"], 113 * 4, "{report}");
}

#[test]
fn bad_windows_get_one_clear_line() {
    let ws = Workspace::new();
    corpus(&ws, |_| Vec::new());
    let cases: [(&[&str], &str); 7] = [
        (
            &["--from", "2025-03-10", "--to", "2025-03-01"],
            "2025-03-10",
        ),
        (
            &["--from", "2030-01-01", "--to", "2030-01-07"],
            "holds no document",
        ),
        (
            &["--from", "2024-01-01", "--to", "2026-01-01"],
            "shorter window",
        ),
        (&["--window", "7h"], "--window"),
        (&["--window", "0d"], "--window"),
        (&["--kind", "colour"], "--kind"),
        (
            &[
                "--baseline-from",
                "2025-03-01",
                "--baseline-to",
                "2025-04-29",
            ],
            "overlaps the window",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["trends"];
        all.extend_from_slice(args);
        let output = ws.run(&all);
        assert_one_line_error(&output, expected, &format!("{args:?}"));
    }
}

#[test]
fn stories_planted_in_the_sample_corpus_raise_their_entity() {
    let ws = Workspace::new();
    let copy = ws.dir.path().join("sample");
    copy_dir(&sample_corpus(), &copy);
    // Eight stories on Alibaba in the sample's last week (it ends on 2026-11-18).
    for n in 0..8 {
        let path = copy.join(format!("planted-{n}.md"));
        let text = format!(
            "---\ntitle: \"Alibaba opens a new cloud region, part {n}\"\ndate: 2026-11-{}\nlang: en\n---\n\nAlibaba said on Tuesday that its cloud unit opened another data centre region, the company's {n}th this year, as Alibaba keeps expanding abroad.\n",
            12 + n % 7
        );
        std::fs::write(&path, text).expect("written");
    }
    let output = ws.run(&["index", path_str(&copy)]);
    assert!(output.status.success(), "{output:?}");
    let report = ws.json(&["trends", "--kind", "entity", "--json"]);
    assert_eq!(
        items(&report, "entity").first().map(String::as_str),
        Some("org/Alibaba"),
        "{report}"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walked");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copied");
        }
    }
}

#[test]
fn timeline_bursts_mark_the_planted_weeks_and_nothing_on_flat_series() {
    let ws = Workspace::new();
    // Two strike stories a day on days 70–83 (two weeks), none elsewhere but one on day 20.
    corpus(&ws, |n| {
        let count = if (70..84).contains(&n) {
            2
        } else {
            usize::from(n == 20)
        };
        (0..count)
            .map(|copy| {
                json!({
                    "id": format!("strike-{n}-{copy}"),
                    "date": day(n),
                    "title": format!("Port strike, day {n}"),
                    "body": "Dock workers at the port stayed out on strike over pay.",
                    "tags": ["port-strike"],
                })
            })
            .collect()
    });
    let svg = ws.dir.path().join("bursts.svg");
    let report = ws.json(&[
        "timeline",
        "--tag",
        "port-strike",
        "--tag",
        "markets",
        "--by",
        "day",
        "--bursts",
        "--svg",
        path_str(&svg),
        "--json",
    ]);
    let strike = &report["series"][0];
    let bursts = strike["bursts"].as_array().expect("bursts");
    assert_eq!(bursts.len(), 1, "{strike}");
    assert_eq!(bursts[0]["from"], day(70), "{strike}");
    assert_eq!(bursts[0]["to"], day(83), "{strike}");
    assert_eq!(bursts[0]["documents"], 28, "{strike}");
    let first = bursts[0]["first_documents"].as_array().expect("documents");
    assert_eq!(first.len(), 3, "{strike}");
    assert_eq!(first[0]["date"], day(70), "{strike}");
    // A tag on one story every day has no burst.
    let markets = &report["series"][1];
    assert_eq!(markets["bursts"], json!([]), "{markets}");
    let drawn = std::fs::read_to_string(&svg).expect("svg written");
    assert_eq!(drawn.matches("class=\"burst\"").count(), 1, "{drawn}");

    // `trends --bursts` ranks the same burst first among every tag's (days: the index spans 120).
    let ranked = ws.json(&["trends", "--bursts", "--kind", "tag", "--json"]);
    assert_eq!(ranked["interval"], "day", "{ranked}");
    let top = &ranked["bursts"][0];
    assert_eq!(top["value"], "port-strike", "{ranked}");
    assert_eq!(
        (&top["from"], &top["to"]),
        (&json!(day(70)), &json!(day(83))),
        "{ranked}"
    );
    assert_eq!(
        ranked["bursts"].as_array().map(Vec::len),
        Some(1),
        "{ranked}"
    );

    // Without --bursts the JSON has no bursts at all.
    let plain = ws.json(&["timeline", "--tag", "port-strike", "--json"]);
    assert!(plain["series"][0].get("bursts").is_none(), "{plain}");
    let text = String::from_utf8(
        ws.run(&["timeline", "--tag", "markets", "--by", "week", "--bursts"])
            .stdout,
    )
    .expect("utf-8");
    assert!(text.contains("no bursts"), "{text}");
}

/// Eight Spanish stories, the last seven in the window, each saying "controles de exportación" among other
/// words that change from story to story, with a news agency byline and a newsletter footer.
fn planted_phrase(n: i64) -> Vec<Value> {
    let openings = [
        "El Gobierno endurece los controles de exportación sobre los procesadores avanzados",
        "Las empresas chinas temen los controles de exportación anunciados por Washington",
        "Nvidia calcula el coste de los controles de exportación en sus ventas asiáticas",
        "Pekín responde a los controles de exportación con una queja formal",
        "Los fabricantes europeos estudian los controles de exportación y sus excepciones",
        "Analistas prevén que los controles de exportación duren varios años",
        "Taiwán revisa sus envíos tras los controles de exportación de esta semana",
        "Huawei asegura que los controles de exportación no frenan su plan",
    ];
    if n < 112 {
        return Vec::new();
    }
    let at = usize::try_from(n - 112).unwrap_or(0) % openings.len();
    vec![json!({
        "id": format!("controles-{n}"),
        "date": day(n),
        "body": format!(
            "Por Reuters\n\n{}.\n\nSuscríbete a nuestro boletín diario",
            openings[at]
        ),
        "lang": "es",
    })]
}

#[test]
fn a_planted_phrase_is_the_first_term_as_people_write_it_and_boilerplate_is_not_a_term() {
    let ws = Workspace::new();
    corpus(&ws, planted_phrase);
    let report = ws.json(&["trends", "--kind", "term", "--json"]);
    let terms = &report["kinds"][0];
    assert_eq!(terms["kind"], "term", "{report}");
    let first = &terms["items"][0];
    assert_eq!(first["surface"], "controles de exportación", "{report}");
    assert_eq!(first["value"], "control export", "{report}");
    assert_eq!(first["window"], 7, "{first}");
    assert_eq!(first["baseline"], 1, "{first}");
    // Its words alone only echo the phrase, and bylines and footers are no terms.
    let listed: Vec<String> = items(&report, "term");
    for echo in ["control", "export"] {
        assert!(!listed.iter().any(|key| key == echo), "{listed:?}");
    }
    for boilerplate in ["reuters", "suscrib", "boletin"] {
        assert!(
            !listed.iter().any(|key| key.contains(boilerplate)),
            "{boilerplate} in {listed:?}"
        );
    }
    // The flat everyday series raise no term.
    assert!(!listed.iter().any(|key| key.contains("desk")), "{listed:?}");
    // The text and the CSV show the spelling; the CSV keeps the key beside it.
    let text = String::from_utf8(ws.run(&["trends", "--kind", "term"]).stdout).expect("utf-8");
    assert!(text.contains("Rising terms"), "{text}");
    assert!(text.contains("  controles de exportación  "), "{text}");
    let csv =
        String::from_utf8(ws.run(&["trends", "--kind", "term", "--csv"]).stdout).expect("utf-8");
    assert!(
        csv.lines()
            .any(|line| line.starts_with("term,control export,controles de exportación,7,")),
        "{csv}"
    );
}

#[test]
fn an_index_without_enrichment_has_no_terms_to_rise() {
    let ws = Workspace::new();
    ws.write(
        "news.jsonl",
        (0..30)
            .map(|n| {
                json!({"id": format!("n{n}"), "date": day(n), "title": "Chip tariffs",
                       "body": "Semiconductor tariffs again.", "lang": "en"})
                .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let output = ws.run(&["index", "--no-enrich", path_str(&ws.corpus())]);
    assert!(output.status.success(), "{output:?}");
    let report = ws.json(&["trends", "--kind", "term", "--window", "3d", "--json"]);
    assert_eq!(items(&report, "term"), Vec::<String>::new(), "{report}");
}
