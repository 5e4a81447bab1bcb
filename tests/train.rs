//! `symdiff train`, `predict` and `eval --per-row` end to end: training on the shipped
//! generated tables reaches a stated loss and accuracy (or recovers a known line), the
//! non-terminal progress and the summary are snapshotted (times replaced), and a corpus of bad
//! inputs each fails with a snapshotted message and exit status 1 while the previous params
//! file stays as it was.

use std::path::{Path, PathBuf};
use std::process::Output;

/// A scratch folder of this test's own, holding copies of the example files.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("symdiff-train-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/train");
    for name in ["blobs.sd", "blobs.csv", "linear.sd", "linear.csv"] {
        std::fs::copy(root.join(name), dir.join(name)).unwrap();
    }
    dir
}

/// Runs `symdiff` in `dir` (so messages name relative paths); stderr is not a terminal.
fn run(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the symdiff binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Times (`0.012 s`) replaced by `<time>`, so a snapshot does not depend on the machine.
fn timeless(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let words: Vec<String> = line
            .split(' ')
            .collect::<Vec<_>>()
            .windows(2)
            .map(|w| match (w[0].parse::<f64>(), w[1]) {
                (Ok(_), "s" | "s)") if w[0].contains('.') => "<time>".to_string(),
                _ => w[0].to_string(),
            })
            .chain(line.split(' ').next_back().map(str::to_string))
            .collect();
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out
}

fn params_of(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn logistic_regression_on_blobs_reaches_98_percent_accuracy() {
    let dir = scratch("blobs");
    let args = [
        "train",
        "blobs.sd",
        "--data",
        "blobs.csv",
        "--lr",
        "0.1",
        "--epochs",
        "30",
        "--valid-split",
        "0.2",
        "--save",
        "p.json",
        "--format",
        "json",
    ];
    let out = run(&dir, &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Two blobs whose centres are 3√2 ≈ 4.2 standard deviations apart: about 98% of the
    // points lie on their own side of the best line.
    let train_accuracy = summary["train"]["accuracy"].as_f64().unwrap();
    let valid_accuracy = summary["validation"]["accuracy"].as_f64().unwrap();
    assert!(train_accuracy >= 0.98, "{summary}");
    assert!(valid_accuracy >= 0.95, "{summary}");
    assert!(
        summary["train"]["loss"].as_f64().unwrap() < 0.05,
        "{summary}"
    );
    assert_eq!(summary["train"]["rows"], 160);
    assert_eq!(summary["validation"]["rows"], 40);
    assert_eq!(summary["history"].as_array().unwrap().len(), 30);
    // The saved params classify the same way from `predict`.
    let predicted = run(
        &dir,
        &[
            "predict",
            "blobs.sd",
            "--params",
            "p.json",
            "--data",
            "blobs.csv",
        ],
    );
    assert!(predicted.status.success(), "{}", text(&predicted.stderr));
    let table = text(&predicted.stdout);
    assert!(table.starts_with("row,y,t,E\n1,"), "{table}");
    assert_eq!(table.lines().count(), 201);
    assert!(
        text(&predicted.stderr).contains("200 rows: mean loss E"),
        "{}",
        text(&predicted.stderr)
    );
}

#[test]
fn a_scalar_line_is_recovered_with_momentum() {
    let dir = scratch("linear");
    let args = [
        "train",
        "linear.sd",
        "--data",
        "linear.csv",
        "--lr",
        "0.05",
        "--epochs",
        "50",
        "--optimizer",
        "momentum",
        "--save",
        "line.json",
    ];
    let out = run(&dir, &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p = params_of(&dir.join("line.json"));
    // t = 2x - 1 + N(0, 0.1²) over 100 points: the least-squares line is within a few
    // hundredths of (2, -1), and its RMSE is the noise's 0.1.
    let (a, b) = (p["a"].as_f64().unwrap(), p["b"].as_f64().unwrap());
    assert!((a - 2.0).abs() < 0.05 && (b + 1.0).abs() < 0.05, "{p}");
    let summary = text(&out.stdout);
    assert!(summary.contains("RMSE 0.09"), "{summary}");
}

#[test]
fn the_same_seed_gives_the_same_params_and_another_seed_other_ones() {
    let dir = scratch("seeds");
    let train = |seed: &str, save: &str| {
        let args = [
            "train",
            "blobs.sd",
            "--data",
            "blobs.csv",
            "--epochs",
            "3",
            "--batch-size",
            "16",
            "--seed",
            seed,
            "--save",
            save,
        ];
        assert!(run(&dir, &args).status.success());
        std::fs::read_to_string(dir.join(save)).unwrap()
    };
    assert_eq!(train("7", "a.json"), train("7", "b.json"));
    assert_ne!(train("7", "a.json"), train("8", "c.json"));
}

#[test]
fn init_continues_from_saved_params() {
    let dir = scratch("init");
    let first = [
        "train",
        "linear.sd",
        "--data",
        "linear.csv",
        "--epochs",
        "5",
        "--lr",
        "0.1",
        "--optimizer",
        "sgd",
        "--batch-size",
        "1000",
        "--save",
        "p.json",
    ];
    assert!(run(&dir, &first).status.success());
    let second = [
        "train",
        "linear.sd",
        "--data",
        "linear.csv",
        "--epochs",
        "5",
        "--lr",
        "0.1",
        "--optimizer",
        "sgd",
        "--batch-size",
        "1000",
        "--init",
        "p.json",
        "--save",
        "q.json",
    ];
    assert!(run(&dir, &second).status.success());
    let ten = [
        "train",
        "linear.sd",
        "--data",
        "linear.csv",
        "--epochs",
        "10",
        "--lr",
        "0.1",
        "--optimizer",
        "sgd",
        "--batch-size",
        "1000",
        "--save",
        "r.json",
    ];
    assert!(run(&dir, &ten).status.success());
    // Full-batch SGD has no state: 5 + 5 epochs are 10 epochs.
    assert_eq!(
        params_of(&dir.join("q.json")),
        params_of(&dir.join("r.json"))
    );
}

#[test]
fn progress_without_a_terminal_is_one_line_per_epoch() {
    let dir = scratch("lines");
    let args = [
        "train",
        "linear.sd",
        "--data",
        "linear.csv",
        "--epochs",
        "4",
        "--lr",
        "0.05",
        "--valid-split",
        "0.2",
        "--batch-size",
        "20",
    ];
    let out = run(&dir, &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    insta::assert_snapshot!(
        "train_progress_lines",
        format!(
            "--- stderr\n{}--- stdout\n{}",
            timeless(&text(&out.stderr)),
            timeless(&text(&out.stdout))
        )
    );
    let every = [
        "train",
        "linear.sd",
        "--data",
        "linear.csv",
        "--epochs",
        "10",
        "--log-every",
        "5",
    ];
    let out = run(&dir, &every);
    let lines: Vec<String> = text(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("epoch"))
        .map(|l| l[..11].to_string())
        .collect();
    assert_eq!(lines, ["epoch  5/10", "epoch 10/10"]);
}

#[test]
fn predict_and_eval_per_row() {
    let dir = scratch("predict");
    std::fs::write(dir.join("p.json"), "{\"a\": 2, \"b\": -1}\n").unwrap();
    std::fs::write(dir.join("few.csv"), "x,t\n0,-1\n1,1.5\n").unwrap();
    std::fs::write(dir.join("inputs.csv"), "id,x\n7,0.5\n").unwrap();
    let csv = run(
        &dir,
        &[
            "predict",
            "linear.sd",
            "--params",
            "p.json",
            "--data",
            "few.csv",
        ],
    );
    let json = run(
        &dir,
        &[
            "predict",
            "linear.sd",
            "--params",
            "p.json",
            "--data",
            "few.csv",
            "--format",
            "json",
        ],
    );
    let bare = run(
        &dir,
        &[
            "predict",
            "linear.sd",
            "--params",
            "p.json",
            "--data",
            "inputs.csv",
        ],
    );
    let per_row = run(
        &dir,
        &["eval", "linear.sd", "--data", "few.csv", "--per-row"],
    );
    insta::assert_snapshot!(
        "predict_outputs",
        format!(
            "--- predict (csv)\n{}{}--- predict (json)\n{}--- predict without targets\n{}{}--- eval --per-row\n{}",
            text(&csv.stdout),
            text(&csv.stderr),
            text(&json.stdout),
            text(&bare.stdout),
            text(&bare.stderr),
            text(&per_row.stdout)
        )
    );
}

/// The bad inputs: each fails (exit 1) with its message, and `keep.json`, written before the
/// run, is as it was.
#[test]
fn bad_inputs_fail_with_a_clear_message_and_lose_nothing() {
    let dir = scratch("bad");
    let kept = "{\n  \"w\": [0.5, -0.5],\n  \"b\": 0.25\n}\n";
    let files: [(&str, &str); 7] = [
        ("missing.csv", "x[1],t\n1,0\n2,1\n"),
        ("words.csv", "x[1],x[2],t\n1,2,0\n3,four,1\n"),
        ("ragged.csv", "x[1],x[2],t\n1,2,0\n3,4\n"),
        ("empty.csv", ""),
        ("header.csv", "x[1],x[2],t\n"),
        ("shape.json", "{\"w\": [1, 2, 3], \"b\": 0}\n"),
        ("huge.csv", "x[1],x[2],t\n1e200,1e200,1\n-1e200,-1e200,0\n"),
    ];
    for (name, content) in files {
        std::fs::write(dir.join(name), content).unwrap();
    }
    let base = ["train", "blobs.sd", "--epochs", "3"];
    let cases: [(&str, &[&str]); 8] = [
        ("missing column", &["--data", "missing.csv"]),
        ("non-numeric cell", &["--data", "words.csv"]),
        ("ragged row", &["--data", "ragged.csv"]),
        ("empty file", &["--data", "empty.csv"]),
        ("header only", &["--data", "header.csv"]),
        (
            "wrong params shape",
            &["--data", "blobs.csv", "--init", "shape.json"],
        ),
        (
            "diverging learning rate",
            &["--data", "huge.csv", "--optimizer", "sgd", "--lr", "1e300"],
        ),
        (
            "unwritable --save",
            &["--data", "blobs.csv", "--save", "no/such/folder/p.json"],
        ),
    ];
    let mut report = String::new();
    for (what, extra) in cases {
        std::fs::write(dir.join("keep.json"), kept).unwrap();
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        if !extra.contains(&"--save") {
            args.extend_from_slice(&["--save", "keep.json"]);
        }
        let out = run(&dir, &args);
        assert_eq!(out.status.code(), Some(1), "{what}: {}", text(&out.stderr));
        assert_eq!(
            std::fs::read_to_string(dir.join("keep.json")).unwrap(),
            kept,
            "{what}: the previous params changed"
        );
        let stderr: String = text(&out.stderr)
            .lines()
            .filter(|l| !l.starts_with("training ") && !l.starts_with("epoch "))
            .map(|l| format!("{l}\n"))
            .collect();
        report.push_str(&format!("--- {what}\n{stderr}"));
    }
    // The diverged run kept its last finite params beside --save.
    let good = params_of(&dir.join("keep.last-good.json"));
    assert!(good["w"][0].as_f64().unwrap().is_finite(), "{good}");
    insta::assert_snapshot!("train_bad_inputs", report);
}

#[test]
fn an_extra_column_is_ignored_with_one_warning() {
    let dir = scratch("extra");
    let table = "id,x[1],x[2],t,note\n1,-1,-1,0,7\n2,1,1,1,8\n";
    std::fs::write(dir.join("extra.csv"), table).unwrap();
    let out = run(
        &dir,
        &["train", "blobs.sd", "--data", "extra.csv", "--epochs", "1"],
    );
    assert!(out.status.success());
    let warnings: Vec<String> = text(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("warning"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        warnings,
        ["warning: extra.csv: ignoring columns `id`, `note`, which the network does not read"]
    );
}

#[test]
fn ctrl_c_saves_the_params_and_exits_with_130() {
    let dir = scratch("interrupt");
    std::fs::write(dir.join("p.json"), "{\"w\": [0, 0], \"b\": 0}\n").unwrap();
    let args = [
        "train",
        "blobs.sd",
        "--data",
        "blobs.csv",
        "--epochs",
        "100000000",
        "--batch-size",
        "1",
        "--save",
        "p.json",
    ];
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(args)
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Give it time to start training (start-up takes milliseconds), then SIGINT, as Ctrl-C.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let pid = child.id().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    assert!(std::time::Instant::now() < deadline);
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(
        summary.starts_with("interrupted (Ctrl-C) before batch "),
        "{summary}"
    );
    assert!(summary.contains("params saved to p.json"), "{summary}");
    let p = params_of(&dir.join("p.json"));
    assert!(p["w"][0].as_f64().unwrap() != 0.0, "{p}");
}

#[test]
fn malformed_numbers_are_usage_errors() {
    let dir = scratch("usage");
    for flags in [
        ["--batch-size", "0"],
        ["--lr", "0"],
        ["--valid-split", "1.5"],
        ["--log-every", "0"],
    ] {
        let mut args = vec!["train", "blobs.sd", "--data", "blobs.csv"];
        args.extend_from_slice(&flags);
        let out = run(&dir, &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{flags:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains(flags[0]),
            "{}",
            text(&out.stderr)
        );
    }
    let both = run(
        &dir,
        &[
            "train",
            "blobs.sd",
            "--data",
            "blobs.csv",
            "--valid",
            "blobs.csv",
            "--valid-split",
            "0.2",
        ],
    );
    assert_eq!(both.status.code(), Some(2));
}
