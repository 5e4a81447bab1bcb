//! The CLI on a network with indexed layers: formulas in index form (the slides' Σ formulas),
//! values that agree with the same network written out in scalars, one element expanded term by
//! term, `--params`, `--data` columns `x[1], ...`, the graph with one node per array, and clear
//! errors.

mod common;

use common::{stderr, stdout, symdiff, symdiff_ok, write_temp};

const NET: &str = "tests/nets/indexed/two_layer.sd";
const AT: &str = "x=[1,0.5,-1],t=[0,1,0,1]";

#[test]
fn grad_prints_the_slides_formulas_in_index_form() {
    let out = symdiff_ok(&["grad", NET]);
    assert!(
        out.contains(
            "∂E/∂w1[j,i] = -h[j]·(1 - h[j])·x[i]·(Σ_k (t[k] - o[k])·o[k]·(1 - o[k])·w2[k,j])"
        ),
        "{out}"
    );
    assert!(
        out.contains("∂E/∂w2[k,j] = -(t[k] - o[k])·o[k]·(1 - o[k])·h[j]"),
        "{out}"
    );
    assert!(out.contains("∂E/∂b1[j] = -h[j]·(1 - h[j])·(Σ_k"), "{out}");
    // No values without inputs: a note says why.
    assert!(out.contains("note: no values for `x[3]`, `t[4]`"), "{out}");
}

/// The same network in scalars, element by element, as a reference for the values.
fn unrolled_source() -> String {
    let w1 = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]];
    let w2 = [
        [0.1, -0.2, 0.3],
        [-0.4, 0.5, -0.6],
        [0.7, -0.8, 0.9],
        [0.2, 0.1, -0.1],
    ];
    let mut s = String::from("network scalars {\n input x1, x2, x3\n target t1, t2, t3, t4\n");
    for (j, row) in w1.iter().enumerate() {
        for (i, w) in row.iter().enumerate() {
            s += &format!(" param w1_{}_{} = {w}\n", j + 1, i + 1);
        }
    }
    for (k, row) in w2.iter().enumerate() {
        for (j, w) in row.iter().enumerate() {
            s += &format!(" param w2_{}_{} = {w}\n", k + 1, j + 1);
        }
    }
    for j in 1..=3 {
        s += &format!(" h{j} = sigmoid(w1_{j}_1 * x1 + w1_{j}_2 * x2 + w1_{j}_3 * x3)\n");
    }
    for k in 1..=4 {
        s += &format!(" o{k} = sigmoid(w2_{k}_1 * h1 + w2_{k}_2 * h2 + w2_{k}_3 * h3)\n");
    }
    s += " loss E = 1/2 * ((t1 - o1)^2 + (t2 - o2)^2 + (t3 - o3)^2 + (t4 - o4)^2)\n}\n";
    s
}

#[test]
fn values_agree_with_the_network_written_in_scalars() {
    let json = symdiff_ok(&["grad", NET, "--at", AT, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let scalars = write_temp("indexed-cli", "scalars.sd", &unrolled_source());
    let reference = symdiff_ok(&[
        "grad",
        scalars.to_str().unwrap(),
        "--at",
        "x1=1,x2=0.5,x3=-1,t1=0,t2=1,t3=0,t4=1",
        "--format",
        "json",
    ]);
    let r: serde_json::Value = serde_json::from_str(&reference).unwrap();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
    assert!(close(
        v["value"].as_f64().unwrap(),
        r["value"].as_f64().unwrap()
    ));
    for j in 0..3 {
        for i in 0..3 {
            let got = v["gradient"]["w1"]["value"][j][i].as_f64().unwrap();
            let want = r["gradient"][format!("w1_{}_{}", j + 1, i + 1)]["value"]
                .as_f64()
                .unwrap();
            assert!(close(got, want), "w1[{j},{i}]: {got} vs {want}");
        }
    }
    for k in 0..4 {
        for j in 0..3 {
            let got = v["gradient"]["w2"]["value"][k][j].as_f64().unwrap();
            let want = r["gradient"][format!("w2_{}_{}", k + 1, j + 1)]["value"]
                .as_f64()
                .unwrap();
            assert!(close(got, want), "w2[{k},{j}]: {got} vs {want}");
        }
    }
    assert_eq!(
        v["gradient"]["w1"]["indices"],
        serde_json::json!(["j", "i"])
    );
}

#[test]
fn explain_expands_one_element_term_by_term() {
    let out = symdiff_ok(&["explain", NET, "--wrt", "w1[2,1]", "--at", AT]);
    assert!(out.contains("∂E/∂w1[2,1]"), "{out}");
    assert!(
        out.contains(
            "Σ_k ∂E/∂o[k]·∂o[k]/∂z[k]·∂z[k]/∂h[2]·∂h[2]/∂s[2]·∂s[2]/∂w1[2,1]    (4 paths)"
        ),
        "{out}"
    );
    assert!(
        out.contains("= -h[2]·(1 - h[2])·x[1]·(Σ_k (t[k] - o[k])·o[k]·(1 - o[k])·w2[k,2])"),
        "{out}"
    );
    // Each of the four terms with its value.
    for k in 1..=4 {
        assert!(
            out.contains(&format!(
                "(t[{k}] - o[{k}])·o[{k}]·(1 - o[{k}])·w2[{k},2] = "
            )),
            "{out}"
        );
    }
    // The element's value is the grad's.
    let json = symdiff_ok(&["grad", NET, "--at", AT, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let value = v["gradient"]["w1"]["value"][1][0].as_f64().unwrap();
    assert!(
        out.trim_end().ends_with(&format!("= {value}")),
        "{out}\nexpected {value}"
    );
}

#[test]
fn explain_prints_the_path_template_and_its_locals() {
    let out = symdiff_ok(&["explain", NET, "--wrt", "w1"]);
    assert!(
        out.contains(
            "= Σ_k ∂E/∂o[k]·∂o[k]/∂z[k]·∂z[k]/∂h[j]·∂h[j]/∂s[j]·∂s[j]/∂w1[j,i]    (4 paths)"
        ),
        "{out}"
    );
    assert!(out.contains("∂h[j]/∂s[j] = h[j]·(1 - h[j])"), "{out}");
    assert!(out.contains("∂z[k]/∂h[j] = w2[k,j]"), "{out}");
    // Past --max-paths, the factored form in index notation.
    let out = symdiff_ok(&["explain", NET, "--wrt", "w1", "--max-paths", "0"]);
    assert!(out.contains("∂E/∂s[j] = ∂E/∂h[j]·h[j]·(1 - h[j])"), "{out}");
    assert!(out.contains("∂E/∂h[j] = Σ_k ∂E/∂z[k]·w2[k,j]"), "{out}");
}

#[test]
fn params_file_and_data_columns_give_the_values() {
    let params = write_temp(
        "indexed-cli",
        "p.json",
        r#"{"w1": [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]], "b1": [0, 0, 0],
            "w2": [[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6], [0.7, -0.8, 0.9], [0.2, 0.1, -0.1]]}"#,
    );
    let data = write_temp(
        "indexed-cli",
        "rows.csv",
        "x[1],x[2],x[3],t[1],t[2],t[3],t[4],id\n1,0.5,-1,0,1,0,1,7\n1,0.5,-1,0,1,0,1,8\n",
    );
    let one = symdiff_ok(&["grad", NET, "--at", AT, "--format", "json"]);
    let two = symdiff(&[
        "grad",
        NET,
        "--params",
        params.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(two.status.success(), "{}", stderr(&two));
    assert!(
        stderr(&two).contains("ignoring column `id`"),
        "{}",
        stderr(&two)
    );
    let one: serde_json::Value = serde_json::from_str(&one).unwrap();
    let two: serde_json::Value = serde_json::from_str(&stdout(&two)).unwrap();
    assert_eq!(two["rows"], 2);
    // Two equal rows: twice the loss and twice the gradient.
    let loss = one["value"].as_f64().unwrap();
    assert_eq!(two["value"].as_f64().unwrap(), 2.0 * loss);
    let g = one["gradient"]["w2"]["value"][3][2].as_f64().unwrap();
    assert_eq!(
        two["gradient"]["w2"]["value"][3][2].as_f64().unwrap(),
        2.0 * g
    );
}

#[test]
fn eval_and_check_work_on_the_indexed_network() {
    let out = symdiff_ok(&["eval", NET, "--at", AT]);
    assert!(out.contains("h[j] = sigmoid(s[j]) = ["), "{out}");
    assert!(
        out.contains("E = (Σ_k (t[k] - o[k])^2)/2 = 0.59459765969085"),
        "{out}"
    );
    let out = symdiff_ok(&["check", NET, "--at", AT]);
    assert!(out.contains("ok: "), "{out}");
    assert!(out.contains("0 failed"), "{out}");
}

#[test]
fn graph_draws_one_node_per_array_or_every_scalar() {
    let dot = symdiff_ok(&["graph", NET]);
    assert!(dot.contains("h[j], j = 1..3"), "{dot}");
    assert!(dot.contains("w1[j,i], j = 1..3, i = 1..3"), "{dot}");
    let unrolled = symdiff_ok(&["graph", NET, "--unroll"]);
    assert!(unrolled.contains("w1[2,1]"), "{unrolled}");
    assert!(!unrolled.contains("Σ"), "{unrolled}");
}

#[test]
fn bad_requests_are_clear_errors() {
    let out = symdiff(&["grad", NET, "--at", "x[1]=1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no value for `x[2]`, `x[3]`"),
        "{}",
        stderr(&out)
    );
    let out = symdiff(&["explain", NET, "--wrt", "w1[4,1]"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("elements are 1-based"),
        "{}",
        stderr(&out)
    );
    let out = symdiff(&["grad", NET, "--of", "h"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("differentiated by its loss `E`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_value_without_a_number_comes_with_its_reason() {
    let net = write_temp(
        "indexed-cli",
        "logs.sd",
        "network logs {\n input x[2]\n param w[2] = [1, -1]\n h[j] = log(w[j] * x[j])\n loss E = sum(j, h[j]^2)\n}\n",
    );
    let net = net.to_str().unwrap();
    let reason = "`h[2]` is NaN (no value): `h[j] = log(w[j]·x[j])` has no finite value there, where w[2] = -1, x[2] = 2";
    let out = symdiff_ok(&["grad", net, "--at", "x=[1,2]"]);
    assert!(out.contains("E = ?"), "{out}");
    assert!(out.contains(reason), "{out}");
    let json = symdiff_ok(&["grad", net, "--at", "x=[1,2]", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["value"].is_null());
    assert!(v["note"].as_str().unwrap().contains(reason), "{json}");
    // eval prints the values, then fails with the reason.
    let out = symdiff(&["eval", net, "--at", "x=[1,2]"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("h[j] = log(w[j]·x[j]) = [0, ?]"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains(reason), "{}", stderr(&out));
    let out = symdiff(&["check", net, "--at", "x=[1,2]", "--random", "0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(reason), "{}", stderr(&out));
}
